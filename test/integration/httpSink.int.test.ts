import { createServer } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  startWebhookReceiver,
  verifyMagentoSignature,
  type WebhookReceiver,
} from '../../fixtures/webhook-receiver/index.js';
import {
  makeHttpSink,
  signStandardWebhook,
  type Sink,
  verifyStandardWebhook,
} from '../../src/delivery/index.js';
import { makeDestinationGuard } from '../../src/security/index.js';
import type { Subscription } from '../../src/store/index.js';

const subscription = (recipientUrl: string): Subscription => ({
  subscriptionId: 1,
  eventName: 'sales.order.created',
  recipientUrl,
  verificationToken: '0:3:unused',
  active: true,
  metadata: 'http',
  storeId: 0,
});
const BODY = Buffer.from(
  '{"specversion":"1.0","id":"u","source":"0","type":"x","datacontenttype":"application\\/json","data":{}}',
);

/** The `http` sink against a real loopback receiver: every outcome class of design.md §4. */
describe('http sink', () => {
  let receiver: WebhookReceiver;
  let sink: Sink;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sink = makeHttpSink({
      timeoutMs: 700,
      connectTimeoutMs: 500,
      connectionsPerOrigin: 4,
      guard: makeDestinationGuard({ allowCidrs: ['127.0.0.0/8'] }),
    });
  });
  afterAll(async () => {
    await sink?.close();
    await receiver?.close();
  });

  const deliver = (path: string, url = `${receiver.url}${path}`) =>
    sink.deliver({
      subscription: subscription(url),
      body: BODY,
      uuid: 'u',
      eventName: 'x',
      secret: 's3cret',
      format: { standardWebhooks: false, cloudEventsMode: 'structured' },
    });

  it('POSTs the exact bytes with content type and signature, and keeps the answer', async () => {
    receiver.respond('/ok', { status: 202, body: 'accepted' });
    expect(await deliver('/ok')).toEqual({ ok: true, status: 202, responseData: 'accepted' });
    const [request] = await receiver.waitFor(1, { path: '/ok' });
    expect(request?.method).toBe('POST');
    expect(request?.rawBody.equals(BODY)).toBe(true);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(verifyMagentoSignature(BODY, String(request?.headers['x-magento-signature']), 's3cret')).toBe(
      true,
    );
  });

  it('retries 5xx and 429 with their Retry-After, but not other 4xx', async () => {
    receiver.respond('/busy', { status: 429, headers: { 'retry-after': '12' }, body: 'later' });
    receiver.respond('/down', { status: 502 });
    receiver.respond('/bad', { status: 400, body: 'no thanks' });
    receiver.respond('/gone', { status: 410 });
    expect(await deliver('/busy')).toEqual({
      ok: false,
      retryable: true,
      status: 429,
      retryAfterS: 12,
      responseData: 'later',
    });
    expect(await deliver('/down')).toEqual({
      ok: false,
      retryable: true,
      status: 502,
      responseData: 'HTTP 502',
    });
    expect(await deliver('/bad')).toEqual({
      ok: false,
      retryable: false,
      status: 400,
      responseData: 'no thanks',
    });
    expect(await deliver('/gone')).toMatchObject({ ok: false, retryable: false, status: 410 });
  });

  it('does not follow redirects', async () => {
    receiver.respond('/moved', { status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } });
    expect(await deliver('/moved')).toEqual({
      ok: false,
      retryable: false,
      status: 302,
      responseData: 'HTTP 302 redirect to http://127.0.0.1:9/elsewhere not followed.',
    });
  });

  it('turns timeouts, resets and refused connections into retryable failures', async () => {
    receiver.respond('/slow', { status: 200, delayMs: 2000 });
    receiver.respond('/reset', { status: 200, destroy: true });
    expect(await deliver('/slow')).toEqual({
      ok: false,
      retryable: true,
      responseData: 'No answer within 700 ms (timeout)',
    });
    expect(await deliver('/reset')).toMatchObject({
      ok: false,
      retryable: true,
      responseData: expect.stringMatching(
        /^Request failed: .*(other side closed|socket hang up|ECONNRESET)/,
      ) as unknown,
    });
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    expect(await deliver('', `http://127.0.0.1:${closedPort}/hook`)).toMatchObject({
      ok: false,
      retryable: true,
      responseData: expect.stringMatching(/ECONNREFUSED/) as unknown,
    });
  });

  it('counts a 2xx whose body trickles past the timeout as delivered, not as a retryable failure', async () => {
    // The receiver has the event once it answers 200; retrying would deliver it twice.
    receiver.respond('/trickle', { status: 200, body: 'accepted, thank you', trickleMs: 100 });
    const outcome = await deliver('/trickle');
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(outcome.responseData).toMatch(/^\[the response body could not be read: No answer within 700 ms/);
    expect(receiver.count('/trickle')).toBe(1);
  });

  it('reads at most 64 KB of an answer and keeps it as text', async () => {
    receiver.respond('/huge', { status: 500, body: Buffer.alloc(10 * 1024 * 1024, 0x41) });
    const outcome = await deliver('/huge');
    expect(outcome).toMatchObject({ ok: false, retryable: true, status: 500 });
    expect(outcome.responseData.length).toBeLessThan(66_000);
    expect(outcome.responseData).toMatch(/… \[response truncated at 65535 bytes\]$/);
  });

  it('refuses a recipient that is not a URL without sending anything', async () => {
    expect(await deliver('', 'not a url')).toMatchObject({ ok: false, retryable: false });
  });

  it('adds Standard Webhooks headers and sends CloudEvents binary mode when the subscription asks', async () => {
    const fixed = makeHttpSink({
      timeoutMs: 700,
      connectTimeoutMs: 500,
      connectionsPerOrigin: 2,
      guard: makeDestinationGuard({ allowCidrs: ['127.0.0.0/8'] }),
      nowS: () => 1_700_000_000,
    });
    try {
      const body = Buffer.from(
        '{"specversion":"1.0","id":"u-9","source":"3","type":"sales.order.created","datacontenttype":"application\\/json","data":{"name":"Zo\\u00eb"}}',
      );
      await fixed.deliver({
        subscription: subscription(`${receiver.url}/binary`),
        body,
        uuid: 'u-9',
        eventName: 'sales.order.created',
        secret: 's3cret',
        format: { standardWebhooks: true, cloudEventsMode: 'binary' },
      });
      const [request] = await receiver.waitFor(1, { path: '/binary' });
      const data = Buffer.from('{"name":"Zo\\u00eb"}');
      expect(request?.rawBody.equals(data)).toBe(true);
      expect(request?.headers).toMatchObject({
        'ce-specversion': '1.0',
        'ce-id': 'u-9',
        'ce-source': '3',
        'ce-type': 'sales.order.created',
        'content-type': 'application/json',
        'webhook-id': 'u-9',
        'webhook-timestamp': '1700000000',
        'webhook-signature': signStandardWebhook('s3cret', 'u-9', 1_700_000_000, data),
      });
      expect(verifyMagentoSignature(data, String(request?.headers['x-magento-signature']), 's3cret')).toBe(
        true,
      );
      expect(verifyStandardWebhook('s3cret', request?.headers ?? {}, data, { nowS: 1_700_000_100 })).toEqual({
        ok: true,
      });
    } finally {
      await fixed.close();
    }
  });
});
