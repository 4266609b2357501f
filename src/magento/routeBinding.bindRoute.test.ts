import { describe, expect, it } from 'vitest';

import { bindRoute, type RouteCandidate, routePlaceholders } from './routeBinding.js';
import type { WebapiRoute } from './webapiXml.js';

function candidate(url: string): RouteCandidate {
  const route: WebapiRoute = {
    url,
    httpMethod: 'GET',
    serviceClass: 'Acme\\Api\\ThingRepositoryInterface',
    serviceMethod: 'get',
    resources: ['Acme::things'],
    parameters: [],
    secure: false,
    file: 'webapi.xml',
  };
  return { route, placeholders: routePlaceholders(url) };
}

const ORDER = candidate('/V1/orders/:id');
const CUSTOMER = candidate('/V1/customers/:customerId');

describe('bindRoute', () => {
  it('binds a placeholder from the argument of the same name', () => {
    expect(bindRoute([ORDER], { id: 5 })).toEqual({ ok: true, path: '/V1/orders/5', route: ORDER.route });
  });

  it('binds camelCase placeholders from snake_case arguments and back', () => {
    expect(bindRoute([CUSTOMER], { customer_id: '42' })).toMatchObject({
      ok: true,
      path: '/V1/customers/42',
    });
    const snake = candidate('/V1/things/:thing_id');
    expect(bindRoute([snake], { thingId: 7 })).toMatchObject({ ok: true, path: '/V1/things/7' });
  });

  it('prefers the exact name when several arguments match', () => {
    expect(bindRoute([CUSTOMER], { customer_id: 1, customerId: 2 })).toMatchObject({
      ok: true,
      path: '/V1/customers/2?customer_id=1',
    });
  });

  it('URL-encodes path values', () => {
    const product = candidate('/V1/products/:sku');
    expect(bindRoute([product], { sku: 'a b/c?d#é' })).toMatchObject({
      ok: true,
      path: '/V1/products/a%20b%2Fc%3Fd%23%C3%A9',
    });
  });

  it('passes the other arguments as a PHP query string', () => {
    const result = bindRoute([ORDER], {
      id: 5,
      storeId: 1,
      fields: ['a', 'b'],
      filter: { x: { y: 'z' } },
      on: true,
      off: false,
      gone: null,
    });
    expect(result).toMatchObject({
      ok: true,
      path: '/V1/orders/5?storeId=1&fields[0]=a&fields[1]=b&filter[x][y]=z&on=1&off=0',
    });
  });

  it('explains which placeholders are unbound and which arguments exist', () => {
    expect(bindRoute([ORDER, CUSTOMER], { orderId: 5, storeId: 1 })).toEqual({
      ok: false,
      reason:
        'GET /V1/orders/:id: placeholder :id has no matching argument; ' +
        'GET /V1/customers/:customerId: placeholder :customerId has no matching argument ' +
        '(available arguments: orderId, storeId)',
    });
    expect(bindRoute([ORDER], {})).toMatchObject({
      ok: false,
      reason: expect.stringContaining('(available arguments: none)') as unknown,
    });
  });

  it.each([
    [true, 'it is a boolean'],
    [null, 'it is null'],
    [{ a: 1 }, 'it is an object'],
    [[1], 'it is an array'],
    ['', 'it is an empty string'],
  ])('rejects %j as a path value', (value, why) => {
    const result = bindRoute([ORDER], { id: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(`placeholder :id cannot take argument "id": ${why}`);
  });

  it('prefers the candidate binding the most placeholders', () => {
    const byId = candidate('/V1/items/:id');
    const byIdAndStore = candidate('/V1/stores/:storeId/items/:id');
    expect(bindRoute([byId, byIdAndStore], { id: 3, store_id: 2 })).toMatchObject({
      ok: true,
      path: '/V1/stores/2/items/3',
    });
  });

  it('falls back to a usable candidate when a better one cannot bind', () => {
    const byIdAndStore = candidate('/V1/stores/:storeId/items/:id');
    const byId = candidate('/V1/items/:id');
    expect(bindRoute([byIdAndStore, byId], { id: 3 })).toMatchObject({ ok: true, path: '/V1/items/3' });
  });

  it('then prefers fewer query parameters, then declaration order', () => {
    const byItem = candidate('/V1/items/:itemId');
    const byCart = candidate('/V1/carts/:cartId');
    expect(bindRoute([byItem, byCart], { itemId: 1, cartId: 2, extra: null })).toMatchObject({
      ok: true,
      path: '/V1/items/1?cartId=2',
    });
    expect(bindRoute([byCart, byItem], { itemId: 1, cartId: 2 })).toMatchObject({
      ok: true,
      path: '/V1/carts/2?itemId=1',
    });
    const byItemWithList = candidate('/V1/lists/:itemId');
    expect(bindRoute([byItem, byItemWithList], { itemId: 1 })).toMatchObject({
      ok: true,
      route: byItem.route,
    });
  });

  it('prefers a route with no placeholders only when nothing binds more', () => {
    const list = candidate('/V1/orders');
    expect(bindRoute([list, ORDER], { id: 9 })).toMatchObject({ ok: true, path: '/V1/orders/9' });
    expect(bindRoute([list, ORDER], { entityId: 9 })).toMatchObject({
      ok: true,
      path: '/V1/orders?entityId=9',
    });
  });

  it('explains that there is no candidate at all', () => {
    expect(bindRoute([], { id: 1 })).toEqual({
      ok: false,
      reason: 'no usable GET route (none without self/anonymous resources or forced parameters)',
    });
  });
});
