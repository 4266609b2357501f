import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RespondContext, ResponseSpec } from '../../fixtures/webhook-receiver/index.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import {
  countDeliveries,
  type FaultAccounting,
  idRange,
  receivedIds,
  reproduceCommand,
  writeAccounting,
} from './accounting.js';

const TIMEOUT_MS = 1500;
const EVENTS = 20;
const COMMAND = reproduceCommand('receiverFaults.rel.test.ts');
const TEN_MB = Buffer.alloc(10 * 1024 * 1024, 0x41);

/** Answers `fault` to the first request of each delivery (by CloudEvent id), 200 to the next. */
function failFirstAttempt(fault: ResponseSpec): (request: RespondContext) => ResponseSpec {
  const seen = new Set<string>();
  return ({ rawBody }) => {
    const { id } = JSON.parse(rawBody.toString('utf8')) as { id: string };
    if (seen.has(id)) {
      return { status: 200, body: { ok: true } };
    }
    seen.add(id);
    return fault;
  };
}

/**
 * Fault: receivers that misbehave in every way the issue lists, each behind its own subscription
 * of the same event, while the same events are delivered to all of them. Every event ends
 * delivered (after a retry where the fault is temporary) or as a final failed row with its
 * reason, never retried in a loop; nobody's fault delays the others.
 */
describe('fault: misbehaving receivers', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      synthesize: true,
      env: {
        DELIVERY_TIMEOUT_MS: String(TIMEOUT_MS),
        DELIVERY_CONNECT_TIMEOUT_MS: '1000',
        // Failing every first attempt opens a receiver's circuit (by design); a short cooldown
        // keeps the test short while the breaker still takes part.
        CIRCUIT_COOLDOWN_MS: '2000',
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('delivers through timeouts, resets and trickled bodies; fails 3xx and 410 for good; stores 10 MB answers truncated', async () => {
    const started = Date.now();
    const { db, receiver } = harness;
    receiver.respond('/timeout', failFirstAttempt({ status: 200, delayMs: TIMEOUT_MS * 2 }));
    receiver.respond('/reset', failFirstAttempt({ status: 200, destroy: true }));
    receiver.respond('/trickle', { status: 200, body: 'accepted, processing it later', trickleMs: 100 });
    receiver.respond('/redirect', {
      status: 302,
      headers: { location: `${receiver.url}/redirect-target` },
    });
    receiver.respond('/huge', { status: 200, body: TEN_MB });
    receiver.respond('/gone', { status: 410, body: 'gone' });
    const paths = ['/timeout', '/reset', '/trickle', '/redirect', '/huge', '/gone'] as const;
    const subscriptions = new Map<string, number>();
    for (const path of paths) {
      subscriptions.set(
        path,
        await db.addSubscription({
          eventName: 'sales.order.updated',
          recipientUrl: `${receiver.url}${path}`,
        }),
      );
    }
    const idOf = (path: string): number => subscriptions.get(path) ?? -1;
    await new Promise((resolve) => setTimeout(resolve, 400)); // the subscription cache refreshes

    // One event first: its 410 disables /gone before the others are published.
    const ids = idRange(30_000, EVENTS);
    harness.publish('sales.order.updated', { id: ids[0] });
    await eventually(
      async () => {
        const [rows] = await db.pool.query<Array<{ status: number } & RowDataPacket>>(
          'SELECT status FROM async_event_subscriber WHERE subscription_id = ?',
          [idOf('/gone')],
        );
        return rows[0]?.status === 0 ? true : undefined;
      },
      10_000,
      'the 410 to disable /gone',
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    ids.slice(1).forEach((id) => harness.publish('sales.order.updated', { id }));

    const byPath = (path: string) => receiver.requests.filter((request) => request.path === path);
    const accepting = ['/timeout', '/reset', '/trickle', '/huge'];
    await eventually(
      () => {
        const counts = [...accepting, '/redirect'].map((path) => [path, receivedIds(byPath(path), ids).size]);
        if (counts.every(([, size]) => size === EVENTS)) {
          return true;
        }
        throw new Error(`received so far: ${JSON.stringify(counts)}`);
      },
      40_000,
      'every event at every receiver',
    );
    // Retries of /timeout and /reset are due ≈1 s after their first attempt.
    const results: FaultAccounting[] = [];
    for (const path of accepting) {
      const rows = await eventually(async () => {
        const found = await db.logRows({ subscriptionId: idOf(path) });
        const count = countDeliveries(byPath(path), found, ids);
        return count.delivered.size === EVENTS && count.unlogged.length === 0 ? found : undefined;
      }, 30_000);
      const count = countDeliveries(byPath(path), rows, ids);
      expect(count.withoutSuccessRow, path).toEqual([]);
      expect(count.idsWithSeveralUuids, path).toBe(0);
      if (path === '/trickle' || path === '/huge') {
        expect(count.duplicates, path).toBe(0); // a 2xx is final however its body arrives
        // One success row each and nothing else: a delivery held by the in-flight limit has no row.
        expect(rows.filter((row) => row.success === 1).length, path).toBe(EVENTS);
        expect(
          rows.filter((failed) => failed.success === 0).map((row) => row.response_data),
          path,
        ).toEqual([]);
      } else {
        expect(count.duplicates, path).toBe(EVENTS); // the cut first attempt, then the retry
        // At least the cut attempt per event; more when the open circuit deferred some.
        expect(rows.filter((row) => row.success === 0).length, path).toBeGreaterThanOrEqual(EVENTS);
      }
      if (path === '/huge') {
        for (const row of rows) {
          expect(row.response_data.length).toBeLessThanOrEqual(65_535);
          expect(row.response_data.slice(-40)).toMatch(/\[(response )?truncated( at \d+ bytes)?\]$/);
        }
      }
      results.push(
        await writeAccounting({
          fault: `receiver${path.replace('/', '-')}`,
          title: RECEIVER_TITLES[path] ?? path,
          published: EVENTS,
          delivered: count.delivered.size,
          deadLettered: 0,
          duplicates: count.duplicates,
          durationMs: Date.now() - started,
          command: COMMAND,
          notes: RECEIVER_NOTES[path] ?? '',
        }),
      );
    }

    // 3xx: one failed, final row per event naming the redirect; the target never hears of it.
    const redirectRows = await db.logRows({ subscriptionId: idOf('/redirect') });
    expect(redirectRows).toHaveLength(EVENTS);
    for (const row of redirectRows) {
      expect(row.success).toBe(0);
      expect(row.response_data).toMatch(/^HTTP 302 redirect to .*\/redirect-target not followed/);
    }
    expect(receiver.count('/redirect-target')).toBe(0);
    expect(receiver.count('/redirect')).toBe(EVENTS);
    results.push(
      await writeAccounting({
        fault: 'receiver-redirect',
        title: 'Receiver answers 302 (redirect)',
        published: EVENTS,
        delivered: 0,
        deadLettered: redirectRows.length,
        duplicates: receiver.count('/redirect') - EVENTS,
        durationMs: Date.now() - started,
        command: COMMAND,
        notes: 'Not followed: one failed, final row per event naming the location; the target got nothing.',
      }),
    );

    // 410: the first event's failed row, the subscription disabled, no later event sent to it.
    const goneRows = await db.logRows({ subscriptionId: idOf('/gone') });
    expect(goneRows).toHaveLength(1);
    expect(goneRows[0]).toMatchObject({ success: 0, response_data: 'gone' });
    expect(receiver.count('/gone')).toBe(1);
    results.push(
      await writeAccounting({
        fault: 'receiver-gone',
        title: 'Receiver answers 410 Gone',
        published: 1,
        delivered: 0,
        deadLettered: goneRows.length,
        duplicates: receiver.count('/gone') - 1,
        durationMs: Date.now() - started,
        command: COMMAND,
        notes: `One failed, final row; the subscription is disabled at once, so the ${EVENTS - 1} later events are not sent to it.`,
      }),
    );

    // Nothing waits in or loops through the retry path.
    await eventually(async () => {
      const queues = await harness.vhost.queues();
      const waiting = [...queues]
        .filter(([name]) => name !== 'event.trigger.invalid')
        .reduce((sum, [, queue]) => sum + queue.messages, 0);
      return waiting === 0 ? true : undefined;
    }, 10_000);
    expect((await harness.vhost.queues()).get('event.failover.deadletter')?.messages).toBe(0);
    for (const result of results) {
      expect(result.lost, result.fault).toBe(0);
    }
  });
});

const RECEIVER_TITLES: Record<string, string> = {
  '/timeout': `Receiver does not answer within the timeout (${TIMEOUT_MS} ms), first attempt of each event`,
  '/reset': 'Receiver resets the connection, first attempt of each event',
  '/trickle': 'Receiver answers 200, then sends its body one byte per 100 ms (past the timeout)',
  '/huge': 'Receiver answers 200 with a 10 MB body',
};
const RECEIVER_NOTES: Record<string, string> = {
  '/timeout':
    'Each event reached the receiver twice by design: the first attempt timed out, the retry (same uuid) succeeded; the circuit opened on the way and deferred some.',
  '/reset':
    'Each event reached the receiver twice by design: the first connection was reset, the retry (same uuid) succeeded; the circuit opened on the way and deferred some.',
  '/trickle': 'A 2xx is final however slowly its body follows: one attempt, one success row, no retry.',
  '/huge': 'Delivered once; response_data keeps the first 64 KB and says it was truncated.',
};
