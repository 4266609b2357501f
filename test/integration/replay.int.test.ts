import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyMagentoSignature } from '../../fixtures/webhook-receiver/index.js';
import { makeApiClient } from '../helpers/apiClient.js';
import { API_TOKEN, eventually, type Harness, startHarness } from '../helpers/harness.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Replay of one delivery or of every chain a query matches, and dead-letter inspection and re-drive. */
describe('replay and dead letters', () => {
  let harness: Harness;
  const api = (method: string, path: string, body?: unknown) =>
    makeApiClient(harness.sidecar.httpUrl, API_TOKEN)(method, path, body);

  beforeAll(async () => {
    // MAX_DEATHS=0: a failed retry is killed at once, which fills event.failover.deadletter quickly.
    harness = await startHarness({ env: { MAX_DEATHS: '0' } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('replays one delivery as a new chain with the same uuid, bytes and signature', async () => {
    const { db, receiver } = harness;
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: `${receiver.url}/replay-one`,
      token: 'replay-secret',
    });
    await settle(400);
    harness.publish('sales.order.created', { id: '5' });
    const [original] = await receiver.waitFor(1, { path: '/replay-one' });
    const [row] = await eventually(async () => {
      const rows = await db.logRows({ subscriptionId });
      return rows.length === 1 ? rows : undefined;
    });

    const answer = await api('POST', '/V1/async_event_logs/replay', { log_id: row?.log_id });
    expect(answer).toMatchObject({
      status: 200,
      body: {
        replayed: [{ log_id: row?.log_id, uuid: original?.event?.id, subscription_id: subscriptionId }],
      },
    });
    const [, replayed] = await receiver.waitFor(2, { path: '/replay-one', timeoutMs: 5000 });
    expect(replayed?.rawBody.equals(original?.rawBody ?? Buffer.alloc(0))).toBe(true);
    expect(
      verifyMagentoSignature(
        replayed?.rawBody ?? Buffer.alloc(0),
        String(replayed?.headers['x-magento-signature']),
        'replay-secret',
      ),
    ).toBe(true);
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return found.length === 2 ? found : undefined;
    });
    expect(new Set(rows.map((logged) => logged.uuid))).toEqual(new Set([original?.event?.id]));
    const trace = await api('GET', `/V1/async_event_logs/${String(original?.event?.id)}`);
    expect((trace.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('refuses to replay for a disabled subscription or a missing body, and re-resolves with resolve: fresh', async () => {
    const { db, receiver } = harness;
    const disabled = await db.addSubscription({
      eventName: 'cms.page.created',
      recipientUrl: `${receiver.url}/off`,
    });
    const disabledRow = await db.insertLog({
      subscriptionId: disabled,
      uuid: 'u-off',
      success: false,
      body: '{"data":{}}',
    });
    await db.setStatus(disabled, false);
    expect(await api('POST', '/V1/async_event_logs/replay', { log_id: disabledRow })).toMatchObject({
      status: 400,
      body: {
        message: expect.stringMatching(/Subscription %1 is disabled/) as unknown,
        parameters: [disabled],
      },
    });
    expect(await api('POST', '/V1/async_event_logs/replay', { log_id: 99_999_999 })).toMatchObject({
      status: 404,
    });

    // An unresolvable event leaves a row without a body (and a trigger record).
    const gone = await db.addSubscription({
      eventName: 'sales.invoice.created',
      recipientUrl: `${receiver.url}/fresh`,
    });
    await settle(400);
    harness.standIn.failNext(1, 404);
    harness.publish('sales.invoice.created', { id: 3 });
    const [row] = await eventually(async () => {
      const rows = await db.logRows({ subscriptionId: gone });
      return rows.length === 1 ? rows : undefined;
    });
    expect(row?.serialized_data).toBeNull();
    expect(await api('POST', '/V1/async_event_logs/replay', { log_id: row?.log_id })).toMatchObject({
      status: 400,
      body: {
        message: 'Delivery log %1 cannot be replayed: %2',
        parameters: [row?.log_id, expect.stringMatching(/no stored body/) as unknown],
      },
    });
    const fresh = await api('POST', '/V1/async_event_logs/replay', { log_id: row?.log_id, resolve: 'fresh' });
    expect(fresh.status).toBe(200);
    const [delivery] = await receiver.waitFor(1, { path: '/fresh', timeoutMs: 5000 });
    expect(delivery?.event?.id).toBe(row?.uuid);
    expect((delivery?.event?.data as { entity_id: number }).entity_id).toBe(3);
  });

  it('replays every chain a query matches once, newest attempt each, after a dry run', async () => {
    const { db, receiver } = harness;
    receiver.respond('/bulk', [{ status: 422 }, { status: 422 }, { status: 422 }, { status: 200 }]);
    const subscriptionId = await db.addSubscription({
      eventName: 'customer.login',
      recipientUrl: `${receiver.url}/bulk`,
    });
    await settle(400);
    for (const customerId of ['1', '2', '1']) {
      harness.publish('customer.login', { customerId });
    }
    await receiver.waitFor(3, { path: '/bulk' });
    await eventually(async () => ((await db.logRows({ subscriptionId })).length === 3 ? true : undefined));

    const q = `event_name:customer.login AND success:false AND subscription_id:${subscriptionId}`;
    const dry = await api('POST', '/V1/async_event_logs/replay', { q, dryRun: true });
    expect(dry.body).toMatchObject({ dry_run: true, count: 3, limited: false });
    expect((dry.body as { sample: unknown[] }).sample).toHaveLength(3);
    expect(receiver.count('/bulk')).toBe(3);

    const limited = await api('POST', '/V1/async_event_logs/replay', { q, limit: 2 });
    expect(limited.body).toMatchObject({ dry_run: true, count: 2, limited: true });

    const real = await api('POST', '/V1/async_event_logs/replay', { q, dryRun: false });
    expect(real.body).toMatchObject({ dry_run: false, count: 3, skipped: [] });
    expect((real.body as { replayed: unknown[] }).replayed).toHaveLength(3);
    await receiver.waitFor(6, { path: '/bulk', timeoutMs: 8000 });
    await settle(500);
    expect(receiver.count('/bulk')).toBe(6);

    expect(await api('POST', '/V1/async_event_logs/replay', { q: 'verification_token:x' })).toMatchObject({
      status: 400,
    });
    expect(await api('POST', '/V1/async_event_logs/replay', {})).toMatchObject({ status: 400 });
    expect(await api('POST', '/V1/async_event_logs/replay', { q, limit: 0 })).toMatchObject({ status: 400 });
    expect(
      await api('POST', '/V1/async_event_logs/replay', { log_id: 1, resolve: 'sometimes' }),
    ).toMatchObject({ status: 400 });
  });

  it('lists dead letters without consuming them and re-drives chosen ones', async () => {
    const { db, receiver, vhost } = harness;
    receiver.respond('/dead', { status: 503 });
    const subscriptionId = await db.addSubscription({
      eventName: 'cms.block.created',
      recipientUrl: `${receiver.url}/dead`,
    });
    await settle(400);
    harness.publish('cms.block.created', { blockId: 1 });
    harness.publishRaw(Buffer.from('{not json'));
    await eventually(
      async () => {
        const queues = await vhost.queues();
        return (queues.get('event.failover.deadletter')?.messages ?? 0) >= 1 &&
          (queues.get('event.trigger.invalid')?.messages ?? 0) >= 1
          ? true
          : undefined;
      },
      10_000,
      'the dead letters',
    );

    const listed = await api('GET', '/V1/async_event_deadletters?limit=10');
    expect(listed.status).toBe(200);
    const queues = (
      listed.body as {
        queues: Array<{ queue: string; total: number; messages: Array<Record<string, unknown>> }>;
      }
    ).queues;
    const killed = queues.find((entry) => entry.queue === 'event.failover.deadletter');
    expect(killed?.total).toBe(1);
    expect(killed?.messages[0]).toMatchObject({
      subscription_id: subscriptionId,
      event_name: 'cms.block.created',
      uuid: expect.any(String) as unknown,
    });
    const invalid = queues.find((entry) => entry.queue === 'event.trigger.invalid');
    expect(invalid?.messages[0]).toMatchObject({
      reason: expect.stringMatching(/^Malformed trigger message/) as unknown,
      body_preview: '{not json',
    });
    // Looking did not consume.
    expect((await vhost.queues()).get('event.failover.deadletter')?.messages).toBe(1);

    receiver.respond('/dead', { status: 200 });
    const messageId = String(killed?.messages[0]?.message_id);
    expect(
      await api('POST', '/V1/async_event_deadletters/redrive', {
        queue: 'event.failover.deadletter',
        message_ids: [messageId, 'nope'],
      }),
    ).toMatchObject({
      status: 200,
      body: { queue: 'event.failover.deadletter', redriven: [messageId], not_found: ['nope'] },
    });
    await eventually(
      () =>
        receiver.requests.some((request) => request.path === '/dead' && receiver.count('/dead') >= 3)
          ? true
          : undefined,
      8000,
      'the re-driven delivery',
    );
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return found.some((logged) => logged.success === 1) ? found : undefined;
    });
    expect(new Set(rows.map((logged) => logged.uuid)).size).toBe(1);
    expect((await vhost.queues()).get('event.failover.deadletter')?.messages).toBe(0);

    // A parked malformed trigger goes back to event.trigger and is parked again: nothing lost, no loop.
    const all = await api('POST', '/V1/async_event_deadletters/redrive', {
      queue: 'event.trigger.invalid',
      all: true,
    });
    expect((all.body as { redriven: unknown[] }).redriven).toHaveLength(1);
    await eventually(async () =>
      (await vhost.queues()).get('event.trigger.invalid')?.messages === 1 ? true : undefined,
    );

    expect(await api('GET', '/V1/async_event_deadletters?queue=event.trigger')).toMatchObject({
      status: 400,
    });
    expect(
      await api('POST', '/V1/async_event_deadletters/redrive', { queue: 'event.failover.deadletter' }),
    ).toMatchObject({ status: 400 });
  });
});
