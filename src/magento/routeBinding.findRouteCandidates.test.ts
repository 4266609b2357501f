import { describe, expect, it } from 'vitest';

import { findRouteCandidates, routePlaceholders } from './routeBinding.js';
import type { WebapiRoute } from './webapiXml.js';

const CUSTOMERS = 'Magento\\Customer\\Api\\CustomerRepositoryInterface';

function route(url: string, overrides: Partial<WebapiRoute> = {}): WebapiRoute {
  return {
    url,
    httpMethod: 'GET',
    serviceClass: CUSTOMERS,
    serviceMethod: 'getById',
    resources: ['Magento_Customer::customer'],
    parameters: [],
    secure: false,
    file: 'webapi.xml',
    ...overrides,
  };
}

describe('routePlaceholders', () => {
  it('lists the :name segments in order', () => {
    expect(routePlaceholders('/V1/carts/:cartId/items/:itemId')).toEqual(['cartId', 'itemId']);
    expect(routePlaceholders('/V1/orders')).toEqual([]);
    expect(routePlaceholders('/V1/odd/:/x:y')).toEqual([]);
  });
});

describe('findRouteCandidates', () => {
  it('keeps GET routes of the method, in declaration order, with their placeholders', () => {
    const routes = [
      route('/V1/customers/:customerId'),
      route('/V1/customers/:customerId', { httpMethod: 'PUT' }),
      route('/V1/customers/search', { serviceMethod: 'getList' }),
      route('/V1/acme/customers/:id/:websiteId'),
    ];
    const candidates = findRouteCandidates(CUSTOMERS, 'getById', routes);
    expect(candidates).toEqual([
      { route: routes[0], placeholders: ['customerId'] },
      { route: routes[3], placeholders: ['id', 'websiteId'] },
    ]);
  });

  it('compares PHP names case-insensitively and ignores a leading backslash', () => {
    const routes = [route('/V1/customers/:customerId', { serviceClass: `\\${CUSTOMERS.toLowerCase()}` })];
    expect(findRouteCandidates(`\\${CUSTOMERS}`, 'GETBYID', routes)).toHaveLength(1);
  });

  it('skips self and anonymous routes, also inside a comma-separated ref', () => {
    const routes = [
      route('/V1/customers/me', { resources: ['self'] }),
      route('/V1/customers/public/:id', { resources: ['anonymous'] }),
      route('/V1/customers/mixed/:id', { resources: ['Magento_Customer::customer, self'] }),
      route('/V1/customers/:customerId'),
    ];
    expect(findRouteCandidates(CUSTOMERS, 'getById', routes).map((candidate) => candidate.route.url)).toEqual(
      ['/V1/customers/:customerId'],
    );
  });

  it('skips routes with a forced parameter but keeps routes with defaults', () => {
    const routes = [
      route('/V1/customers/token/:x', {
        parameters: [{ name: 'customerId', value: '%customer_id%', force: true }],
      }),
      route('/V1/customers/:customerId', { parameters: [{ name: 'websiteId', value: '1', force: false }] }),
    ];
    expect(findRouteCandidates(CUSTOMERS, 'getById', routes).map((candidate) => candidate.route.url)).toEqual(
      ['/V1/customers/:customerId'],
    );
  });

  it('returns nothing when the method has no GET route', () => {
    expect(
      findRouteCandidates('Magento\\Catalog\\Api\\ProductRepositoryInterface', 'getById', [route('/V1/x')]),
    ).toEqual([]);
  });
});
