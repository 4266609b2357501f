import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeApiClient } from '../helpers/apiClient.js';
import { API_TOKEN, eventually, type Harness, startHarness } from '../helpers/harness.js';

interface Stats {
  window: { from: string; to: string; minutes: number; bucket_minutes: number };
  series: Array<{ minute: string; total: number; failed: number }>;
  totals: { total: number; failed: number };
  by_event: Array<{ event_name: string | null; total: number; failed: number; subscriptions: number }>;
  by_subscription: Array<{
    subscription_id: number;
    event_name: string | null;
    total: number;
    failed: number;
  }>;
  queues:
    | {
        available: true;
        backlog: Array<{ queue: string; messages: number; consumers: number }>;
        dead_letters: Array<{ queue: string; messages: number; consumers: number }>;
      }
    | { available: false; reason: string };
  resolution: { count: number; p50_seconds: number | null; p95_seconds: number | null };
  retries_scheduled: Record<string, number>;
  indexing_lag_seconds: number | null;
}

const utcMs = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET /V1/async_event_stats on the real MariaDB and RabbitMQ: per-bucket counts placed by the
 * database clock, per event and subscription, the window bound, queue depths including delay
 * queues with dynamic names, and the figures read from the metrics registry.
 */
describe('delivery statistics API', () => {
  let harness: Harness;
  const api = (path: string, token: string | null = API_TOKEN) =>
    makeApiClient(harness.sidecar.httpUrl, token ?? undefined)('GET', path);
  const stats = async (minutes: number): Promise<Stats> => {
    const answer = await api(`/V1/async_event_stats?minutes=${minutes}`);
    expect(answer.status, answer.text).toBe(200);
    return answer.body as Stats;
  };

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('counts attempts per minute, per event and per subscription within the window only', async () => {
    const { db } = harness;
    const customers = await db.addSubscription({
      eventName: 'customer.created',
      recipientUrl: 'http://127.0.0.1:9/c',
      storeId: 1,
    });
    const orders = await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: 'http://127.0.0.1:9/o',
    });
    const [[clock]] = await db.pool.query<RowDataPacket[]>(
      "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s') AS now",
    );
    const now = utcMs(String(clock?.now));
    const at = (minutesAgo: number) =>
      new Date(now - minutesAgo * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    // Oldest first, as Magento's default `created` writes them (the window's first id is bisected on it).
    const rows: Array<{ subscriptionId: number; success: boolean; minutesAgo: number }> = [
      { subscriptionId: customers, success: false, minutesAgo: 24 * 60 },
      { subscriptionId: orders, success: true, minutesAgo: 3 * 60 },
      { subscriptionId: orders, success: false, minutesAgo: 61.5 },
      { subscriptionId: customers, success: true, minutesAgo: 30 },
      { subscriptionId: customers, success: true, minutesAgo: 30 },
      { subscriptionId: customers, success: false, minutesAgo: 29 },
      { subscriptionId: orders, success: false, minutesAgo: 5 },
      { subscriptionId: orders, success: false, minutesAgo: 5 },
      { subscriptionId: orders, success: true, minutesAgo: 4 },
      { subscriptionId: customers, success: true, minutesAgo: 0 },
    ];
    for (const [index, row] of rows.entries()) {
      await db.insertLog({
        subscriptionId: row.subscriptionId,
        uuid: `u-${index}`,
        success: row.success,
        created: at(row.minutesAgo),
      });
    }

    const hour = await stats(60);
    expect(hour.window).toMatchObject({ minutes: 60, bucket_minutes: 1 });
    expect(hour.series).toHaveLength(60);
    expect(utcMs(hour.window.to) - utcMs(hour.window.from)).toBe(60 * 60_000);
    // Where each row must land, from the window the API chose (it follows the database clock).
    const expected = new Map<string, { total: number; failed: number }>();
    for (const row of rows) {
      const created = now - row.minutesAgo * 60_000;
      if (created < utcMs(hour.window.from)) {
        continue;
      }
      const bucketStart = new Date(Math.floor(created / 60_000) * 60_000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
      const entry = expected.get(bucketStart) ?? { total: 0, failed: 0 };
      entry.total += 1;
      entry.failed += row.success ? 0 : 1;
      expected.set(bucketStart, entry);
    }
    const nonEmpty = new Map(
      hour.series
        .filter((point) => point.total > 0)
        .map((point) => [point.minute, { total: point.total, failed: point.failed }]),
    );
    expect(nonEmpty).toEqual(expected);
    expect(hour.totals).toEqual({ total: 7, failed: 3 });
    expect(hour.by_event).toEqual([
      { event_name: 'customer.created', total: 4, failed: 1, subscriptions: 1 },
      { event_name: 'sales.order.created', total: 3, failed: 2, subscriptions: 1 },
    ]);
    expect(hour.by_subscription).toEqual([
      expect.objectContaining({
        subscription_id: customers,
        event_name: 'customer.created',
        store_id: 1,
        total: 4,
        failed: 1,
      }),
      expect.objectContaining({
        subscription_id: orders,
        event_name: 'sales.order.created',
        store_id: 0,
        total: 3,
        failed: 2,
      }),
    ]);

    const day = await stats(1440);
    expect(day.window.bucket_minutes).toBe(10);
    expect(day.series).toHaveLength(144);
    // The 24 h-old row sits exactly on the window's edge: in or out depending on the bucket alignment.
    expect(day.totals.total).toBeGreaterThanOrEqual(9);
    expect(day.totals.total).toBeLessThanOrEqual(10);

    const week = await stats(10_080);
    expect(week.totals).toEqual({ total: 10, failed: 5 });
    expect(week.series).toHaveLength(168);
  });

  it('refuses a window outside 1 minute to 7 days with a Magento-shaped 400, and needs a token', async () => {
    for (const minutes of ['0', '10081', 'abc', '1.5', '-3']) {
      expect(await api(`/V1/async_event_stats?minutes=${minutes}`)).toMatchObject({
        status: 400,
        body: {
          message: '"%fieldName" must be a whole number from 1 to %max.',
          parameters: { fieldName: 'minutes', max: 10_080 },
        },
      });
    }
    expect((await api('/V1/async_event_stats', null)).status).toBe(401);
    expect((await api('/V1/async_event_stats', 'wrong-token')).status).toBe(401);
    expect((await api('/rest/V1/async_event_stats')).status).toBe(200);
  });

  it('reports queue depths: fixed queues, dead letters and delay queues with dynamic names', async () => {
    const { db, receiver } = harness;
    // A Retry-After of 7 s is no step of the backoff: only the declared-names list can find its queue.
    receiver.respond('/slow', { status: 503, headers: { 'retry-after': '7' } });
    await db.addSubscription({ eventName: 'cms.page.created', recipientUrl: `${receiver.url}/slow` });
    await settle(400);
    harness.publish('cms.page.created', { pageId: 1 });
    harness.publishRaw(Buffer.from('["not a known event"'));

    const found = await eventually(
      async () => {
        const current = await stats(15);
        if (!current.queues.available) {
          return undefined;
        }
        const delayed = current.queues.backlog.find((queue) => queue.queue === 'event.delay.7');
        const invalid = current.queues.dead_letters.find((queue) => queue.queue === 'event.trigger.invalid');
        return (delayed?.messages ?? 0) === 1 && (invalid?.messages ?? 0) === 1 ? current : undefined;
      },
      10_000,
      'event.delay.7 and event.trigger.invalid to hold one message each',
    );
    if (!found.queues.available) {
      throw new Error('queues unavailable');
    }
    const names = found.queues.backlog.map((queue) => queue.queue);
    expect(names).toEqual(
      expect.arrayContaining(['event.trigger', 'event.retry.init', 'event.failover.retry']),
    );
    expect(found.queues.backlog.find((queue) => queue.queue === 'event.trigger')?.consumers).toBe(1);
    expect(found.queues.dead_letters.map((queue) => queue.queue).sort()).toEqual([
      'event.failover.deadletter',
      'event.failover.invalid',
      'event.trigger.deadletter',
      'event.trigger.invalid',
    ]);
    expect(found.retries_scheduled.init).toBeGreaterThanOrEqual(1);
    // The registry saw the payload resolution of cms.page.created; no indexer runs in this build.
    expect(found.resolution.count).toBeGreaterThanOrEqual(1);
    expect(found.resolution.p50_seconds).toBeGreaterThan(0);
    expect(found.indexing_lag_seconds).toBeNull();
    // The failed attempts are in the series too.
    expect(found.totals.failed).toBeGreaterThanOrEqual(2);
  });
});
