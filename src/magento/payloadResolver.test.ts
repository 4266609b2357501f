import { describe, expect, it } from 'vitest';

import { makeSemaphore } from '../shared/index.js';
import type { CatalogEvent } from './catalog.js';
import { makePayloadResolver } from './payloadResolver.js';
import type { MagentoRestClient, RestResponse } from './restClient.js';
import type { WebapiRoute } from './webapiXml.js';

const ROUTE: WebapiRoute = {
  url: '/V1/orders/:id',
  httpMethod: 'GET',
  serviceClass: 'Magento\\Sales\\Api\\OrderRepositoryInterface',
  serviceMethod: 'get',
  resources: ['Magento_Sales::actions_view'],
  parameters: [],
  secure: false,
  file: 'webapi.xml',
};

const EVENT: CatalogEvent = {
  definition: {
    name: 'sales.order.created',
    declaredName: 'sales.order.created',
    serviceClass: ROUTE.serviceClass,
    serviceMethod: 'get',
    resources: [],
    file: 'async_events.xml',
  },
  overriddenFiles: [],
  resolvedService: { serviceClass: ROUTE.serviceClass, serviceMethod: 'get', viaAlias: false },
  candidates: [{ route: ROUTE, placeholders: ['id'] }],
  resolution: 'direct',
};

const BATCH = { maxSize: 10, maxWaitMs: 1 };

const json = (
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): RestResponse => ({
  status,
  body: Buffer.from(body),
  contentType,
});

function fakeClient(
  answer: (path: string) => Promise<RestResponse>,
): MagentoRestClient & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    get(path) {
      paths.push(path);
      return answer(path);
    },
    post: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  };
}

describe('makePayloadResolver', () => {
  it('returns the REST bytes untouched', async () => {
    const client = fakeClient(() => Promise.resolve(json(200, '{"entity_id":5,"url":"a\\/b"}')));
    const resolver = makePayloadResolver({ client, semaphore: makeSemaphore(4), batch: BATCH });
    const outcome = await resolver.resolve(EVENT, { id: '5' }, 0);
    expect(outcome).toMatchObject({ kind: 'resolved', path: '/V1/orders/5' });
    expect(outcome.kind === 'resolved' && outcome.payload.toString()).toBe('{"entity_id":5,"url":"a\\/b"}');
  });

  it('shares one request between identical resolutions in flight', async () => {
    let release: (response: RestResponse) => void = () => undefined;
    const client = fakeClient(() => new Promise((resolve) => (release = resolve)));
    const resolver = makePayloadResolver({ client, semaphore: makeSemaphore(4), batch: BATCH });
    const first = resolver.resolve(EVENT, { id: 5 }, 0);
    const second = resolver.resolve(EVENT, { id: '5' }, 0);
    while (client.paths.length === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    release(json(200, '{}'));
    expect((await first).kind).toBe('resolved');
    expect((await second).kind).toBe('resolved');
    expect(client.paths).toEqual(['/V1/orders/5']);
  });

  it('bounds the requests in flight', async () => {
    let active = 0;
    let peak = 0;
    const client = fakeClient(async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active -= 1;
      return json(200, '{}');
    });
    const resolver = makePayloadResolver({ client, semaphore: makeSemaphore(3), batch: BATCH });
    await Promise.all(Array.from({ length: 12 }, (_, id) => resolver.resolve(EVENT, { id }, 0)));
    expect(peak).toBe(3);
  });

  it.each([
    [
      404,
      '{"message":"No such entity with %fieldName = %fieldValue","parameters":{"fieldName":"id","fieldValue":5}}',
      'final',
      /Magento answered 404 to GET \/V1\/orders\/5: No such entity with id = 5/,
    ],
    [
      400,
      '{"message":"The \\"%1\\" value\'s type is invalid.","parameters":["abc"]}',
      'final',
      /The "abc" value's type is invalid/,
    ],
    [
      500,
      '{"message":"Internal Error. Details are available in Magento log file. Report ID: webapi-1"}',
      'retryable',
      /answered 500/,
    ],
    [
      503,
      '<html>maintenance</html>',
      'retryable',
      /answered 503 to GET \/V1\/orders\/5: <html>maintenance<\/html>/,
    ],
    [
      401,
      '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Magento_Sales::actions_view"}}',
      'retryable',
      /authorized to access Magento_Sales::actions_view/,
    ],
    [429, '', 'retryable', /answered 429/],
    [301, '', 'retryable', /redirect; set MAGENTO_BASE_URL/],
  ])('classifies HTTP %i as %s', async (status, body, kind, reason) => {
    const resolver = makePayloadResolver({
      client: fakeClient(() => Promise.resolve(json(status, body))),
      semaphore: makeSemaphore(1),
      batch: BATCH,
    });
    const outcome = await resolver.resolve(EVENT, { id: 5 }, 0);
    expect(outcome.kind).toBe(kind);
    expect(outcome.kind === 'resolved' ? '' : outcome.reason).toMatch(reason);
  });

  it('treats a 200 that is not JSON (a proxy page) as temporary', async () => {
    const resolver = makePayloadResolver({
      client: fakeClient(() => Promise.resolve(json(200, '<!doctype html>', 'text/html'))),
      semaphore: makeSemaphore(1),
      batch: BATCH,
    });
    expect(await resolver.resolve(EVENT, { id: 5 }, 0)).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(/instead of JSON/) as unknown,
    });
  });

  it('treats network failures as temporary', async () => {
    const failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const resolver = makePayloadResolver({
      client: fakeClient(() => Promise.reject(failure)),
      semaphore: makeSemaphore(1),
      batch: BATCH,
    });
    expect(await resolver.resolve(EVENT, { id: 5 }, 0)).toEqual({
      kind: 'retryable',
      reason: 'GET /V1/orders/5 failed: connect ECONNREFUSED 127.0.0.1:1',
    });
  });

  it('fails for good without a route or with arguments that do not bind', async () => {
    const client = fakeClient(() => Promise.resolve(json(200, '{}')));
    const resolver = makePayloadResolver({ client, semaphore: makeSemaphore(1), batch: BATCH });
    expect(
      await resolver.resolve({ ...EVENT, candidates: [], resolution: 'none' }, { id: 5 }, 0),
    ).toMatchObject({
      kind: 'final',
      reason: expect.stringMatching(
        /has no REST GET route and the MageOS_AsyncEvents resolve route is not installed/,
      ) as unknown,
    });
    expect(await resolver.resolve(EVENT, { orderId: 5 }, 0)).toMatchObject({
      kind: 'final',
      reason: expect.stringMatching(/id/) as unknown,
    });
    expect(client.paths).toEqual([]);
  });
});
