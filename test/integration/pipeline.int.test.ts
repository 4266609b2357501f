import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyMagentoSignature } from '../../fixtures/webhook-receiver/index.js';
import { loadConfig } from '../../src/config/index.js';
import { encryptMagentoValue, parseCryptKeys } from '../../src/magento/index.js';
import { startSidecar } from '../../src/main.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { captureLogs } from '../helpers/logCapture.js';

/**
 * The whole pipeline on real services: a trigger published the way Magento publishes it, resolved
 * through the REST stand-in, delivered to a real HTTP receiver, logged in the Magento table.
 */
describe('trigger → resolve → deliver → log', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('delivers a signed 4.x CloudEvent with the REST bytes spliced in, and logs the exact body', async () => {
    const { db, receiver, standIn } = harness;
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: `${receiver.url}/orders`,
      token: 'order-secret',
    });
    await new Promise((resolve) => setTimeout(resolve, 400)); // the subscription cache refreshes every 200 ms here

    harness.publish('sales.order.created', { id: '5' }, 1);
    const [delivery] = await receiver.waitFor(1, { path: '/orders' });

    // The receiver parsed it with the CloudEvents SDK's HTTP binding, as a real consumer would.
    expect(delivery?.parseError).toBeUndefined();
    expect(delivery?.event).toMatchObject({
      specversion: '1.0',
      source: '1',
      type: 'sales.order.created',
      datacontenttype: 'application/json',
    });
    expect(delivery?.headers['content-type']).toBe('application/json');

    // The data bytes are exactly what Magento's REST API answered (PHP escaping included).
    const restAnswer = await fetch(`${standIn.url}/rest/V1/orders/5`, {
      headers: { Authorization: 'Bearer integration-test-token' },
    });
    const restBytes = Buffer.from(await restAnswer.arrayBuffer());
    const raw = delivery?.rawBody ?? Buffer.alloc(0);
    expect(raw.toString()).toBe(
      `{"specversion":"1.0","id":"${delivery?.event?.id}","source":"1","type":"sales.order.created","datacontenttype":"application\\/json","data":${restBytes.toString()}}`,
    );
    expect(raw.toString()).toContain('\\/');
    expect(raw.toString()).not.toContain('"time"');

    const signature = delivery?.headers['x-magento-signature'];
    expect(typeof signature).toBe('string');
    expect(verifyMagentoSignature(raw, signature as string, 'order-secret')).toBe(true);

    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return found.length === 1 ? found : undefined;
    });
    expect(rows[0]).toMatchObject({ uuid: delivery?.event?.id, success: 1, response_data: '{"ok":true}' });
    expect(rows[0]?.serialized_data?.equals(raw)).toBe(true);
    expect(rows[0]?.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('reads every trigger variant: store id as number, as string, and absent (mageos-common)', async () => {
    const { db, receiver } = harness;
    await db.addSubscription({ eventName: 'customer.created', recipientUrl: `${receiver.url}/customers` });
    await new Promise((resolve) => setTimeout(resolve, 400));

    harness.publish('customer.created', { customerId: '1' }, 1, 'number');
    harness.publish('customer.created', { customerId: '2' }, '2' as unknown as number, 'string');
    harness.publish('customer.created', { customerId: '1' }, 0, 'absent');
    const deliveries = await receiver.waitFor(3, { path: '/customers' });
    const seen = deliveries.map((d) => `${d.event?.source}:${(d.event?.data as { id: number }).id}`).sort();
    expect(seen).toEqual(['0:1', '1:1', '2:2']);
  });

  it('applies the store rule: "All Stores" subscribers get store events, other stores do not', async () => {
    const { db, receiver } = harness;
    await db.addSubscription({
      eventName: 'cms.page.updated',
      recipientUrl: `${receiver.url}/all-stores`,
      storeId: 0,
    });
    await db.addSubscription({
      eventName: 'cms.page.updated',
      recipientUrl: `${receiver.url}/store-1`,
      storeId: 1,
    });
    await db.addSubscription({
      eventName: 'cms.page.updated',
      recipientUrl: `${receiver.url}/store-2`,
      storeId: 2,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));

    harness.publish('cms.page.updated', { pageId: 1 }, 1);
    await receiver.waitFor(1, { path: '/all-stores' });
    await receiver.waitFor(1, { path: '/store-1' });
    harness.publish('cms.page.updated', { pageId: 2 }, 0);
    await receiver.waitFor(2, { path: '/all-stores' });
    await receiver.waitFor(1, { path: '/store-2' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.count('/store-1')).toBe(2);
    expect(receiver.count('/store-2')).toBe(1);
  });

  it('skips a disabled subscription and sees a change of status within the refresh window', async () => {
    const { db, receiver } = harness;
    const subscriptionId = await db.addSubscription({
      eventName: 'cms.block.created',
      recipientUrl: `${receiver.url}/blocks`,
      status: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    harness.publish('cms.block.created', { blockId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.count('/blocks')).toBe(0);
    expect(await db.logRows({ subscriptionId })).toHaveLength(0);

    await db.setStatus(subscriptionId, true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    harness.publish('cms.block.created', { blockId: 1 });
    await receiver.waitFor(1, { path: '/blocks' });
  });

  it('logs one failed row per subscriber when Magento answers 404, and delivers nothing', async () => {
    const { db, receiver } = harness;
    const first = await db.addSubscription({
      eventName: 'sales.invoice.created',
      recipientUrl: `${receiver.url}/invoices-a`,
    });
    const second = await db.addSubscription({
      eventName: 'sales.invoice.created',
      recipientUrl: `${receiver.url}/invoices-b`,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    harness.publish('sales.invoice.created', { id: 404_404 });
    const rows = await eventually(async () => {
      const found = [
        ...(await db.logRows({ subscriptionId: first })),
        ...(await db.logRows({ subscriptionId: second })),
      ];
      return found.length === 2 ? found : undefined;
    });
    for (const row of rows) {
      expect(row.success).toBe(0);
      expect(row.serialized_data).toBeNull();
      expect(row.response_data).toMatch(
        /could not be resolved: Magento answered 404 to GET \/V1\/invoices\/404404: The entity that was requested doesn't exist/,
      );
    }
    expect(receiver.count('/invoices-a') + receiver.count('/invoices-b')).toBe(0);
  });

  it('fails only the subscriber whose token cannot be decrypted, or whose sink is unknown', async () => {
    const { db, receiver } = harness;
    // Encrypted under a key the sidecar does not have.
    const foreignToken = encryptMagentoValue('secret', parseCryptKeys('0123456789abcdef0123456789abcdef'));
    const broken = await db.addSubscription({
      eventName: 'sales.shipment.created',
      recipientUrl: `${receiver.url}/broken`,
      rawToken: foreignToken,
    });
    const plain = await db.addSubscription({
      eventName: 'sales.shipment.created',
      recipientUrl: `${receiver.url}/plain`,
      rawToken: 'stored-in-plain-text',
    });
    const unknownSink = await db.addSubscription({
      eventName: 'sales.shipment.created',
      recipientUrl: 'arn:aws:events:eu-west-1:1:event-bus/x',
      metadata: 'carrier-pigeon',
    });
    const healthy = await db.addSubscription({
      eventName: 'sales.shipment.created',
      recipientUrl: `${receiver.url}/healthy`,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));

    harness.publish('sales.shipment.created', { id: 2 });
    await receiver.waitFor(1, { path: '/healthy' });
    const rowOf = (subscriptionId: number) =>
      eventually(async () => (await db.logRows({ subscriptionId }))[0]);
    expect(await rowOf(broken)).toMatchObject({
      success: 0,
      response_data: expect.stringMatching(
        /cannot be decrypted: authentication failed with key 0/,
      ) as unknown,
    });
    expect(await rowOf(plain)).toMatchObject({
      success: 0,
      response_data: expect.stringMatching(/not in Magento's "key:cipher:data" format/) as unknown,
    });
    expect(await rowOf(unknownSink)).toMatchObject({
      success: 0,
      response_data: expect.stringMatching(/No sink for metadata "carrier-pigeon"/) as unknown,
    });
    expect(await rowOf(healthy)).toMatchObject({ success: 1 });
    expect(receiver.count('/broken') + receiver.count('/plain')).toBe(0);
    // Not retried: no retry chain was started for the broken ones.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await db.logRows({ subscriptionId: broken })).toHaveLength(1);
  });

  it('parks malformed and unknown messages with the reason, and keeps running', async () => {
    const bodies = [
      Buffer.from('not json at all'),
      Buffer.from('{"an":"object"}'),
      Buffer.from('["sales.order.created",{"id":5}]'),
      Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]),
      Buffer.from('["sales.order.creatd","{\\"id\\":5}",1]'),
    ];
    bodies.forEach((body) => harness.publishRaw(body));
    const parked = await eventually(async () => {
      const queues = await harness.vhost.queues();
      return (queues.get('event.trigger.invalid')?.messages ?? 0) >= bodies.length ? true : undefined;
    });
    expect(parked).toBe(true);
    const messages = await harness.drainQueue('event.trigger.invalid');
    const reasons = messages.map((message) => String(message.properties.headers?.['x-sidecar-reason']));
    expect(reasons).toEqual([
      expect.stringMatching(/^Malformed trigger message: the message body is not valid JSON/),
      expect.stringMatching(/expected a JSON array/),
      expect.stringMatching(/arguments \(element 1\) must be a JSON-encoded string/),
      'Malformed trigger message: the body is not valid UTF-8',
      expect.stringMatching(/Unknown event "sales.order.creatd".*did you mean sales.order.created/),
    ]);
    // Parked untouched, with where it came from.
    expect(messages[3]?.content.equals(bodies[3] ?? Buffer.alloc(0))).toBe(true);
    expect(messages[0]?.properties.headers?.['x-sidecar-original-routing-key']).toBe('event.trigger');
    expect((await harness.vhost.queues()).get('event.trigger')?.messages).toBe(0);
    expect((await harness.sidecar.readiness()).ready).toBe(true);
  });

  it('serves /healthz, /readyz and /metrics without secrets', async () => {
    const { httpUrl } = harness.sidecar;
    expect(await (await fetch(`${httpUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { amqp: { ok: true }, mysql: { ok: true }, pipeline: { ok: true } },
    });
    const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /sidecar_deliveries_total\{event="sales.order.created",subscription="\d+",outcome="success"\} 1/,
    );
    expect(metrics).toMatch(/sidecar_events_consumed_total\{outcome="invalid"\} 4/);
    expect(metrics).toMatch(/sidecar_consume_to_delivery_seconds_count \d+/);
    for (const secret of ['integration-test-token', 'order-secret', 'test-secret']) {
      expect(metrics).not.toContain(secret);
      expect(harness.logs.lines.join('\n')).not.toContain(secret);
    }
    expect((await fetch(`${httpUrl}/nope`)).status).toBe(404);
  });

  it('reports not ready, with the reason, while the broker is unreachable', async () => {
    const sidecar = await startSidecar(
      loadConfig({ ...harness.env, AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672/no_such_vhost_here' }, 'run'),
      { logger: captureLogs('fatal').logger },
    );
    try {
      await eventually(async () => ((await sidecar.readiness()).checks.subscriptions?.ok ? true : undefined));
      const answer = await fetch(`${sidecar.httpUrl}/readyz`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({
        status: 'not_ready',
        checks: { amqp: { ok: false }, mysql: { ok: true } },
      });
    } finally {
      await sidecar.close();
    }
  });
});
