import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import {
  countDeliveries,
  idRange,
  receivedIds,
  reproduceCommand,
  subscribeOrders,
  writeAccounting,
} from './accounting.js';

const PREFETCH = 20;
const KILLS = 3;
// Receiver latency × prefetch keeps each batch flowing for ≈2 s, longer than rabbitmqctl takes
// to start and cut the connections, so every cut lands mid-stream.
const PER_BATCH = 600;
const RECEIVER_DELAY_MS = 50;

/**
 * Fault: RabbitMQ closes every connection of the vhost (`rabbitmqctl close_all_connections -p`)
 * three times while events flow. The sidecar must reconnect by itself, declare its topology again
 * and lose nothing; duplicates are bounded by what was in flight (the prefetch) at each cut.
 */
describe('fault: RabbitMQ connections closed mid-stream', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      synthesize: true,
      env: {
        TRIGGER_PREFETCH: String(PREFETCH),
        // The whole prefetch may be at the receiver at once (no deferrals into the retry path).
        SUBSCRIPTION_MAX_IN_FLIGHT: String(PREFETCH),
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('reconnects, re-asserts the topology and loses nothing', async () => {
    const started = Date.now();
    const { db, receiver, vhost } = harness;
    receiver.respond('/orders', { status: 200, delayMs: RECEIVER_DELAY_MS });
    const subscriptionId = await subscribeOrders(db, receiver.url);

    const ids = idRange(10_000, KILLS * PER_BATCH);
    const cuts: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const batch = ids.slice(kill * PER_BATCH, (kill + 1) * PER_BATCH);
      batch.forEach((id) => harness.publish('sales.order.updated', { id }));
      await receiver.waitFor(kill * PER_BATCH + 40, { path: '/orders', timeoutMs: 20_000 });
      // A queue the sidecar declares but never consumes: it must come back with the topology.
      await harness.channel.deleteQueue('event.trigger.invalid');
      await vhost.closeAllConnections();
      const deliveredAtCut = receivedIds(receiver.requests, batch).size;
      expect(deliveredAtCut, 'the cut must land mid-stream').toBeLessThan(batch.length);
      cuts.push(deliveredAtCut);
      await harness.reconnect(); // the test's own connection was closed too
    }

    await eventually(
      () => (receivedIds(receiver.requests, ids).size === ids.length ? true : undefined),
      60_000,
      'every order delivered after the connection cuts',
    );
    await eventually(
      async () => ((await harness.sidecar.readiness()).ready ? true : undefined),
      15_000,
      'readiness after reconnecting',
    );
    const queues = await vhost.queues();
    expect(queues.get('event.trigger.invalid')).toBeDefined(); // declared again
    expect(queues.get('event.trigger')).toEqual({ messages: 0, consumers: 1 });
    expect(queues.get('event.failover.retry')?.consumers).toBe(1);

    // Every request the receiver got has its success row (the message was acked after it).
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return found.length >= receiver.count('/orders') ? found : undefined;
    }, 30_000);
    const count = countDeliveries(receiver.requests, rows, ids);
    expect(count.unlogged).toEqual([]);
    expect(count.withoutSuccessRow).toEqual([]);
    // A redelivered trigger is delivered again under the same uuid, so receivers can deduplicate.
    expect(count.idsWithSeveralUuids).toBe(0);
    expect(count.duplicates).toBeLessThanOrEqual(KILLS * PREFETCH);

    const accounting = await writeAccounting({
      fault: 'connections-closed',
      title: `RabbitMQ closes every connection of the vhost, ${KILLS}× while events flow (after ${cuts.join(', ')} of each ${PER_BATCH})`,
      published: ids.length,
      delivered: count.delivered.size,
      deadLettered: 0,
      duplicates: count.duplicates,
      durationMs: Date.now() - started,
      command: reproduceCommand('connectionsClosed.rel.test.ts'),
      notes: `Prefetch ${PREFETCH}: duplicates are bounded by ${KILLS} × ${PREFETCH}; a deleted queue is declared again on reconnect.`,
    });
    expect(accounting.lost).toBe(0);
  });
});
