import { describe, expect, it } from 'vitest';

import { buildEventCatalog, type CatalogSource } from './catalog.js';
import { parseServiceAliases } from './serviceAliases.js';

const ORDERS = 'Magento\\Sales\\Api\\OrderRepositoryInterface';

function events(file: string, body: string): CatalogSource {
  return { file, xml: `<config>${body}</config>` };
}

function event(name: string, serviceClass: string, method: string, resources = ''): string {
  return `<async_event name="${name}"><service class="${serviceClass}" method="${method}"/>${resources}</async_event>`;
}

function route(url: string, serviceClass: string, method: string, extra = '', resource = 'A::b'): string {
  return `<route url="${url}" method="GET"><service class="${serviceClass}" method="${method}"/>
    <resources><resource ref="${resource}"/></resources>${extra}</route>`;
}

const WEBAPI: CatalogSource = {
  file: 'sales/webapi.xml',
  xml: `<routes>${route('/V1/orders/:id', ORDERS, 'get')}${route('/V1/orders/mine/:id', ORDERS, 'get', '', 'self')}</routes>`,
};

describe('buildEventCatalog', () => {
  it('merges events by lower-cased name, later files winning, and records the overridden files', () => {
    const catalog = buildEventCatalog({
      asyncEvents: [
        events(
          'vendor.xml',
          event('sales.order.created', ORDERS, 'get') + event('sales.order.paid', ORDERS, 'get'),
        ),
        events(
          'acme.xml',
          event(
            'Sales.Order.CREATED',
            `\\${ORDERS}`,
            'get',
            '<resources><resource>A::b</resource></resources>',
          ),
        ),
        events('last.xml', event('SALES.ORDER.CREATED', ORDERS, 'get')),
      ],
      webapi: [WEBAPI],
    });
    expect([...catalog.events.keys()]).toEqual(['sales.order.created', 'sales.order.paid']);
    const created = catalog.get('Sales.Order.Created');
    expect(created?.definition).toMatchObject({
      declaredName: 'SALES.ORDER.CREATED',
      file: 'last.xml',
      resources: [],
    });
    expect(created?.overriddenFiles).toEqual(['vendor.xml', 'acme.xml']);
    expect(catalog.get('sales.order.paid')?.overriddenFiles).toEqual([]);
    expect(catalog.problems).toEqual([]);
  });

  it('attaches usable GET routes of the resolved service', () => {
    const catalog = buildEventCatalog({
      asyncEvents: [events('a.xml', event('order', ORDERS, 'get'))],
      webapi: [WEBAPI],
    });
    const order = catalog.get('order');
    expect(order?.resolvedService).toEqual({ serviceClass: ORDERS, serviceMethod: 'get', viaAlias: false });
    expect(order?.candidates.map((candidate) => candidate.route.url)).toEqual(['/V1/orders/:id']);
    expect(order?.candidates[0]?.placeholders).toEqual(['id']);
  });

  it('resolves through operator aliases on top of the built-in ones', () => {
    const catalog = buildEventCatalog({
      asyncEvents: [events('a.xml', event('acme.order', 'Acme\\OrderLoader', 'load'))],
      webapi: [WEBAPI],
      serviceAliases: parseServiceAliases(`Acme\\OrderLoader::load=${ORDERS}::get`),
    });
    expect(catalog.get('acme.order')?.resolvedService).toEqual({
      serviceClass: ORDERS,
      serviceMethod: 'get',
      viaAlias: true,
    });
    expect(catalog.get('acme.order')?.candidates).toHaveLength(1);
  });

  it('records an event without a usable route as a no-route problem naming the thin module', () => {
    const catalog = buildEventCatalog({
      asyncEvents: [events('a.xml', event('order.mine', ORDERS, 'getList'))],
      webapi: [WEBAPI],
    });
    expect(catalog.get('order.mine')?.candidates).toEqual([]);
    expect(catalog.problems).toEqual([
      {
        kind: 'no-route',
        file: 'a.xml',
        eventName: 'order.mine',
        message: expect.stringContaining(
          `Event "order.mine" uses ${ORDERS}::getList, which has no usable GET route`,
        ) as unknown,
      },
    ]);
    expect(catalog.problems[0]?.message).toContain('resolve route of the thin MageOS_AsyncEvents module');
  });

  it('records invalid and unreadable files as problems and still loads the others', () => {
    const catalog = buildEventCatalog({
      asyncEvents: [
        events('bad.xml', '<async_event name="x y"/>'),
        { file: 'gone.xml', error: new Error('EACCES: permission denied') },
        events('good.xml', event('order', ORDERS, 'get')),
      ],
      webapi: [{ file: 'broken/webapi.xml', xml: '<routes>' }, WEBAPI],
    });
    expect([...catalog.events.keys()]).toEqual(['order']);
    expect(catalog.get('order')?.candidates).toHaveLength(1);
    expect(catalog.files).toEqual({
      asyncEvents: ['bad.xml', 'gone.xml', 'good.xml'],
      webapi: ['broken/webapi.xml', 'sales/webapi.xml'],
    });
    expect(catalog.problems.map(({ kind, file }) => ({ kind, file }))).toEqual([
      { kind: 'invalid-file', file: 'broken/webapi.xml' },
      { kind: 'invalid-file', file: 'bad.xml' },
      { kind: 'invalid-file', file: 'gone.xml' },
    ]);
    expect(catalog.problems[1]?.message).toMatch(/^bad\.xml: 2 problems/);
    expect(catalog.problems[2]?.message).toBe('gone.xml: EACCES: permission denied');
  });

  it('uses merged routes: a later module can redeclare a route for a caller-bound resource', () => {
    const override: CatalogSource = {
      file: 'acme/webapi.xml',
      xml: `<routes>${route('/V1/orders/:id', ORDERS, 'get', '', 'anonymous')}</routes>`,
    };
    const catalog = buildEventCatalog({
      asyncEvents: [events('a.xml', event('order', ORDERS, 'get'))],
      webapi: [WEBAPI, override],
    });
    expect(catalog.routes.find((entry) => entry.url === '/V1/orders/:id')?.resources).toEqual([
      'A::b',
      'anonymous',
    ]);
    expect(catalog.get('order')?.candidates).toEqual([]);
  });
});
