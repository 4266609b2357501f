import { describe, expect, it } from 'vitest';

import { mergeWebapiRoutes } from './mergeWebapiRoutes.js';
import type { WebapiRoute } from './webapiXml.js';

function route(overrides: Partial<WebapiRoute>): WebapiRoute {
  return {
    url: '/V1/orders/:id',
    httpMethod: 'GET',
    serviceClass: 'Magento\\Sales\\Api\\OrderRepositoryInterface',
    serviceMethod: 'get',
    resources: ['Magento_Sales::actions_view'],
    parameters: [],
    secure: false,
    file: 'core.xml',
    ...overrides,
  };
}

describe('mergeWebapiRoutes', () => {
  it('keeps routes that differ in url or method', () => {
    const routes = [route({}), route({ httpMethod: 'POST' }), route({ url: '/V1/orders' })];
    expect(mergeWebapiRoutes(routes)).toEqual(routes);
  });

  it('lets a later declaration of the same url and method win, uniting resources and parameters', () => {
    const merged = mergeWebapiRoutes([
      route({ parameters: [{ name: 'a', value: '1', force: false }] }),
      route({ url: '/V1/invoices/:id', serviceClass: 'Magento\\Sales\\Api\\InvoiceRepositoryInterface' }),
      route({
        serviceClass: 'Acme\\Sales\\Api\\OrderRepositoryInterface',
        resources: ['Acme_Sales::view', 'Magento_Sales::actions_view'],
        parameters: [
          { name: 'b', value: '2', force: false },
          { name: 'a', value: '3', force: true },
        ],
        file: 'acme.xml',
      }),
    ]);
    expect(merged.map((entry) => entry.url)).toEqual(['/V1/orders/:id', '/V1/invoices/:id']);
    expect(merged[0]).toEqual(
      route({
        serviceClass: 'Acme\\Sales\\Api\\OrderRepositoryInterface',
        resources: ['Magento_Sales::actions_view', 'Acme_Sales::view'],
        parameters: [
          { name: 'a', value: '3', force: true },
          { name: 'b', value: '2', force: false },
        ],
        file: 'acme.xml',
      }),
    );
  });
});
