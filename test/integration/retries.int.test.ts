import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyMagentoSignature } from '../../fixtures/webhook-receiver/index.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The upstream retry topology end to end on the real broker: event.retry.init → event.delay.<N> →
 * event.failover.retry → event.failover.deadletter, with MAX_DEATHS=2; retry messages written by
 * PHP; and our own resolution retries (event.trigger.delay.<N> → event.trigger.deadletter).
 */
describe('retries', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ env: { MAX_DEATHS: '2', RESOLVE_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('retries a 503 at ≈0, 1 and 5 s under one uuid, then dead-letters it', async () => {
    const { db, receiver } = harness;
    receiver.respond('/flaky', { status: 503, body: 'maintenance' });
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.paid',
      recipientUrl: `${receiver.url}/flaky`,
      token: 'flaky-secret',
    });
    await settle(400);

    harness.publish('sales.order.paid', { id: 5 });
    const attempts = await receiver.waitFor(3, { path: '/flaky', timeoutMs: 15_000 });
    const times = attempts.map((attempt) => attempt.receivedAt);
    const gaps = [(times[1] ?? 0) - (times[0] ?? 0), (times[2] ?? 0) - (times[1] ?? 0)];
    expect(gaps[0]).toBeGreaterThan(900);
    expect(gaps[0]).toBeLessThan(3000);
    expect(gaps[1]).toBeGreaterThan(3900);
    expect(gaps[1]).toBeLessThan(7000);

    // The same bytes and signature every time.
    const first = attempts[0]?.rawBody ?? Buffer.alloc(0);
    for (const attempt of attempts) {
      expect(attempt.rawBody.equals(first)).toBe(true);
      expect(
        verifyMagentoSignature(
          attempt.rawBody,
          String(attempt.headers['x-magento-signature']),
          'flaky-secret',
        ),
      ).toBe(true);
    }

    const dead = await harness.takeMessages('event.failover.deadletter', 1, 5000);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.content.toString() ?? '{}')).toEqual({
      subscription_id: subscriptionId,
      death_count: 0,
      content: first.toString(),
    });
    expect(dead[0]?.properties.headers?.['x-retry-count']).toBe(0);

    const rows = await db.logRows({ subscriptionId });
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.uuid))).toEqual(new Set([attempts[0]?.event?.id]));
    expect(
      rows.every(
        (row) =>
          row.success === 0 && row.response_data === 'maintenance' && row.serialized_data?.equals(first),
      ),
    ).toBe(true);
    await settle(500);
    expect(receiver.count('/flaky')).toBe(3);

    // The upstream delay queues were declared as upstream declares them.
    const queues = await harness.vhost.queues();
    expect(queues.has('event.retry.init') || queues.has('event.delay.4')).toBe(true);
  });

  it("honours a receiver's Retry-After for later retries and stops at the first success", async () => {
    const { db, receiver } = harness;
    receiver.respond('/busy', [
      { status: 429, headers: { 'retry-after': '2' }, body: 'slow down' },
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 200, body: 'finally' },
    ]);
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.holded',
      recipientUrl: `${receiver.url}/busy`,
    });
    await settle(400);
    harness.publish('sales.order.holded', { id: 5 });
    const attempts = await receiver.waitFor(3, { path: '/busy', timeoutMs: 10_000 });
    const gap = (attempts[2]?.receivedAt ?? 0) - (attempts[1]?.receivedAt ?? 0);
    expect(gap).toBeGreaterThan(1900);
    expect(gap).toBeLessThan(3500); // event.delay.2, not the 4 s of the default back-off
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return found.length === 3 ? found : undefined;
    });
    expect(rows.map((row) => [row.success, row.response_data])).toEqual([
      [0, 'slow down'],
      [0, 'HTTP 503'],
      [1, 'finally'],
    ]);
  });

  it('does not retry a final 4xx answer', async () => {
    const { db, receiver } = harness;
    receiver.respond('/reject', { status: 422, body: '{"error":"unprocessable"}' });
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.unholded',
      recipientUrl: `${receiver.url}/reject`,
    });
    await settle(400);
    harness.publish('sales.order.unholded', { id: 5 });
    await receiver.waitFor(1, { path: '/reject' });
    await settle(2000);
    expect(receiver.count('/reject')).toBe(1);
    expect(await db.logRows({ subscriptionId })).toMatchObject([
      { success: 0, response_data: '{"error":"unprocessable"}' },
    ]);
  });

  it('consumes retry messages written by the PHP module (numbers as strings, 4.x and 3.x content)', async () => {
    const { db, receiver } = harness;
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: `${receiver.url}/php`,
      token: 'php-secret',
    });
    await settle(400);
    const cloudEvent =
      '{"specversion":"1.0","id":"5b6f0e8e-2c1d-4b7a-9f3e-0a1b2c3d4e5f","source":"0","type":"sales.order.created","datacontenttype":"application\\/json","data":{"entity_id":5,"name":"Zo\\u00eb"}}';
    const fromPhp4 = `{"subscription_id":"${subscriptionId}","death_count":"1","content":${JSON.stringify(cloudEvent).replaceAll('/', '\\/')},"uuid":"5b6f0e8e-2c1d-4b7a-9f3e-0a1b2c3d4e5f"}`;
    const legacyData = '{"data":{"entity_id":5,"url":"https:\\/\\/shop.test\\/a","total":1.0}}';
    const fromPhp3 = `{"subscription_id":${subscriptionId},"death_count":1,"content":${legacyData},"uuid":"legacy-uuid"}`;
    harness.publishRaw(Buffer.from(fromPhp4), { exchange: 'event.failover', routingKey: 'event.retry' });
    harness.publishRaw(Buffer.from(fromPhp3), { exchange: 'event.failover', routingKey: 'event.retry' });

    const deliveries = await receiver.waitFor(2, { path: '/php' });
    const bodies = deliveries.map((delivery) => delivery.rawBody.toString()).sort();
    expect(bodies).toEqual([cloudEvent, legacyData].sort());
    for (const delivery of deliveries) {
      expect(
        verifyMagentoSignature(
          delivery.rawBody,
          String(delivery.headers['x-magento-signature']),
          'php-secret',
        ),
      ).toBe(true);
    }
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return found.length === 2 ? found : undefined;
    });
    expect(rows.map((row) => row.uuid).sort()).toEqual([
      '5b6f0e8e-2c1d-4b7a-9f3e-0a1b2c3d4e5f',
      'legacy-uuid',
    ]);
  });

  it('parks malformed retry messages and retries of deleted subscriptions', async () => {
    harness.publishRaw(Buffer.from('{"subscription_id":"x","death_count":1,"content":"{}"}'), {
      exchange: 'event.failover',
      routingKey: 'event.retry',
    });
    harness.publishRaw(Buffer.from('{"subscription_id":999999,"death_count":1,"content":"{}","uuid":"u"}'), {
      exchange: 'event.failover',
      routingKey: 'event.retry',
    });
    const parked = await harness.takeMessages('event.failover.invalid', 2);
    const reasons = parked.map((message) => String(message.properties.headers?.['x-sidecar-reason'])).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^Malformed retry message: subscription_id must be a positive integer/),
      'Subscription 999999 does not exist; the retry cannot be delivered',
    ]);
  });

  it('retries payload resolution while Magento answers 5xx, then delivers', async () => {
    const { db, receiver, standIn } = harness;
    await db.addSubscription({
      eventName: 'sales.creditmemo.created',
      recipientUrl: `${receiver.url}/memos`,
    });
    await settle(400);
    standIn.reset();
    standIn.failNext(1, 503);
    harness.publish('sales.creditmemo.created', { id: 1 });
    const [delivery] = await receiver.waitFor(1, { path: '/memos', timeoutMs: 8000 });
    expect((delivery?.event?.data as { entity_id: number }).entity_id).toBe(1);
    const memoRequests = standIn.requests.filter((request) =>
      request.path.startsWith('/rest/V1/creditmemo/1'),
    );
    expect(memoRequests.map((request) => request.status)).toEqual([503, 200]);
    expect(memoRequests[0]?.authorized).toBe(true);
    expect((memoRequests[1]?.at ?? 0) - (memoRequests[0]?.at ?? 0)).toBeGreaterThan(900);
  });

  it('parks a trigger in event.trigger.deadletter after RESOLVE_MAX_ATTEMPTS, with the reason', async () => {
    const { db, receiver, standIn } = harness;
    await db.addSubscription({ eventName: 'cms.page.created', recipientUrl: `${receiver.url}/pages` });
    await settle(400);
    standIn.reset();
    standIn.failFor(20_000, 500);
    harness.publish('cms.page.created', { pageId: 2 });
    const parked = await harness.takeMessages('event.trigger.deadletter', 1, 12_000);
    standIn.reset();
    expect(parked).toHaveLength(1);
    expect(String(parked[0]?.properties.headers?.['x-sidecar-reason'])).toMatch(
      /^Payload not resolved after 3 attempts: Magento answered 500 to GET \/V1\/cmsPage\/2: Internal Error/,
    );
    expect(JSON.parse(parked[0]?.content.toString() ?? '[]')).toEqual([
      'cms.page.created',
      '{"pageId":2}',
      0,
    ]);
    expect(receiver.count('/pages')).toBe(0);
  });
});
