import { describe, expect, it } from 'vitest';

import { makeSemaphore } from '../shared/index.js';
import { makeModuleResolver } from './moduleResolver.js';
import type { MagentoRestClient, RestResponse } from './restClient.js';

interface Posted {
  path: string;
  requests: Array<{ event_name: string; arguments: Record<string, unknown>; store_id: number }>;
}

function fakeClient(
  answer: (posted: Posted) => RestResponse | Promise<RestResponse>,
): MagentoRestClient & { posted: Posted[] } {
  const posted: Posted[] = [];
  return {
    posted,
    get: () => Promise.reject(new Error('not used')),
    async post(path, json) {
      const entry = { path, ...(JSON.parse(json.toString()) as { requests: Posted['requests'] }) };
      posted.push(entry);
      return answer(entry);
    },
    close: () => Promise.resolve(),
  };
}

const jsonAnswer = (body: string, status = 200): RestResponse => ({
  status,
  body: Buffer.from(body),
  contentType: 'application/json; charset=utf-8',
});

/** Answers like the module: one element per request; `payload` is PHP-encoded. */
const echoPayloads = (posted: Posted): RestResponse =>
  jsonAnswer(
    `[${posted.requests
      .map(
        (request) =>
          `{"event_name":"${request.event_name}","ok":true,"payload":{"id":${JSON.stringify(Object.values(request.arguments)[0])},"url":"https:\\/\\/x.test","name":"Zo\\u00eb","price":36.0}}`,
      )
      .join(',')}]`,
  );

const request = (id: number) => ({
  eventName: 'catalog.product.created',
  arguments: { productId: id },
  storeId: 0,
});

describe('makeModuleResolver', () => {
  it('collects events into one request and hands back each payload as the exact bytes PHP wrote', async () => {
    const client = fakeClient(echoPayloads);
    const resolver = makeModuleResolver({ client, semaphore: makeSemaphore(2), maxSize: 50, maxWaitMs: 5 });
    const outcomes = await Promise.all([1, 2, 3].map((id) => resolver.resolve(request(id))));
    expect(client.posted).toHaveLength(1);
    expect(client.posted[0]).toEqual({
      path: '/V1/async_events/resolve',
      requests: [1, 2, 3].map((id) => ({
        event_name: 'catalog.product.created',
        arguments: { productId: id },
        store_id: 0,
      })),
    });
    expect(
      outcomes.map((outcome) => (outcome.kind === 'resolved' ? outcome.payload.toString() : outcome.kind)),
    ).toEqual([
      '{"id":1,"url":"https:\\/\\/x.test","name":"Zo\\u00eb","price":36.0}',
      '{"id":2,"url":"https:\\/\\/x.test","name":"Zo\\u00eb","price":36.0}',
      '{"id":3,"url":"https:\\/\\/x.test","name":"Zo\\u00eb","price":36.0}',
    ]);
  });

  it('sends a full batch at once and splits larger bursts', async () => {
    const client = fakeClient(echoPayloads);
    const resolver = makeModuleResolver({ client, semaphore: makeSemaphore(2), maxSize: 4, maxWaitMs: 1000 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, (_, id) => resolver.resolve(request(id))));
    expect(performance.now() - started).toBeLessThan(500);
    expect(client.posted.map((posted) => posted.requests.length)).toEqual([4, 4]);
  });

  it('shares one element between identical requests in flight', async () => {
    const client = fakeClient(echoPayloads);
    const resolver = makeModuleResolver({ client, semaphore: makeSemaphore(1), maxSize: 10, maxWaitMs: 5 });
    const [first, second] = await Promise.all([resolver.resolve(request(7)), resolver.resolve(request(7))]);
    expect(first).toBe(second);
    expect(client.posted[0]?.requests).toHaveLength(1);
  });

  it('maps failed elements to final or retryable outcomes with the reason', async () => {
    const client = fakeClient(() =>
      jsonAnswer(
        '[{"event_name":"a","ok":false,"retryable":false,"status":404,"message":"The product that was requested doesn\'t exist."},' +
          '{"event_name":"b","ok":false,"retryable":true,"status":500,"message":"Deadlock found"},{"event_name":"c","ok":true}]',
      ),
    );
    const resolver = makeModuleResolver({ client, semaphore: makeSemaphore(1), maxSize: 10, maxWaitMs: 5 });
    const outcomes = await Promise.all([1, 2, 3].map((id) => resolver.resolve(request(id))));
    expect(outcomes[0]).toEqual({
      kind: 'final',
      reason:
        "Magento could not resolve catalog.product.created (404): The product that was requested doesn't exist.",
    });
    expect(outcomes[1]).toEqual({
      kind: 'retryable',
      reason: 'Magento could not resolve catalog.product.created (500): Deadlock found',
    });
    expect(outcomes[2]).toMatchObject({ kind: 'resolved' });
    expect(outcomes[2]?.kind === 'resolved' && outcomes[2].payload.toString()).toBe('null');
  });

  it('retries when the module is not installed, and stops asking Magento for a while', async () => {
    const client = fakeClient(() =>
      jsonAnswer('{"message":"Request does not match any route.","trace":null}', 404),
    );
    const resolver = makeModuleResolver({ client, semaphore: makeSemaphore(1), maxSize: 10, maxWaitMs: 1 });
    expect(await resolver.resolve(request(1))).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(
        /Magento has no POST \/V1\/async_events\/resolve: install the thin MageOS_AsyncEvents module/,
      ) as unknown,
    });
    expect(await resolver.resolve(request(2))).toMatchObject({ kind: 'retryable' });
    expect(client.posted).toHaveLength(1);
  });

  it('asks one by one when Magento refuses a whole batch with 400', async () => {
    const client = fakeClient((posted) =>
      posted.requests.length > 1 ? jsonAnswer('{"message":"bad batch"}', 400) : echoPayloads(posted),
    );
    const resolver = makeModuleResolver({ client, semaphore: makeSemaphore(2), maxSize: 10, maxWaitMs: 5 });
    const outcomes = await Promise.all([1, 2].map((id) => resolver.resolve(request(id))));
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['resolved', 'resolved']);
    expect(client.posted.map((posted) => posted.requests.length)).toEqual([2, 1, 1]);
  });

  it('treats a broken answer (short, cut, not JSON), a 5xx and a network failure as temporary for the whole batch', async () => {
    for (const answer of [
      () => jsonAnswer('[{"ok":true}]'), // one element for two requests
      () => jsonAnswer('[{"ok":true,"payload":{"id":1}},{"ok":true,"payload":{"id":2}'), // cut short
      () => jsonAnswer('[{"ok":true,"payload":{"id":1}},{"ok":true,"payload":"open}]'), // string never closed
      () => jsonAnswer('[{"ok":true,"payload":<b>1</b>},{"ok":true,"payload":<b>2</b>}]'), // not JSON
      () => jsonAnswer('{"message":"Internal Error"}', 503),
      () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ]) {
      const resolver = makeModuleResolver({
        client: fakeClient(answer),
        semaphore: makeSemaphore(1),
        maxSize: 10,
        maxWaitMs: 1,
      });
      const outcomes = await Promise.all([1, 2].map((id) => resolver.resolve(request(id))));
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(['retryable', 'retryable']);
    }
  });
});
