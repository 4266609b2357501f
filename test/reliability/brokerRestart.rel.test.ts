import { type ChannelModel, connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type MagentoStandIn, startMagentoStandIn } from '../../fixtures/magento-stand-in/index.js';
import { encodeTrigger } from '../../fixtures/magentoPublisher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fixtures/webhook-receiver/index.js';
import { loadConfig } from '../../src/config/index.js';
import { type Sidecar, startSidecar } from '../../src/main.js';
import { eventually, MAGENTO_TOKEN, sidecarTestEnv } from '../helpers/harness.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';
import {
  countDeliveries,
  idRange,
  receivedIds,
  reproduceCommand,
  subscribeOrders,
  writeAccounting,
} from './accounting.js';
import { createPrivateBroker, type PrivateBroker } from './privateBroker.js';

const PREFETCH = 50;
// Receiver latency × prefetch keeps the first phase flowing for ≈4 s, so the stop lands mid-stream.
const PER_PHASE = 1000;
const RECEIVER_DELAY_MS = 100;

/**
 * Fault: the whole broker stops mid-stream and starts again (a private RabbitMQ node: the shared
 * one is never stopped). The sidecar reconnects by itself, declares its topology and consumers
 * again and loses nothing: persistent messages wait in the durable queues, unacked ones are
 * redelivered (duplicates within the prefetch window, under the same uuid).
 */
describe('fault: RabbitMQ broker stopped and started', () => {
  let broker: PrivateBroker;
  let db: TestDatabase;
  let standIn: MagentoStandIn;
  let receiver: WebhookReceiver;
  let sidecar: Sidecar | undefined;
  let publisher: ChannelModel | undefined;

  beforeAll(async () => {
    broker = await createPrivateBroker();
    await broker.start();
    db = await createTestDatabase();
    standIn = await startMagentoStandIn({ token: MAGENTO_TOKEN, synthesize: true });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await publisher?.close().catch(() => undefined);
    await sidecar?.close();
    await Promise.all([standIn?.close(), receiver?.close()]);
    await db?.remove();
    await broker?.remove();
  });

  const publishAll = async (ids: readonly number[]): Promise<void> => {
    publisher = await connect(broker.url);
    const channel = await publisher.createConfirmChannel();
    for (const id of ids) {
      channel.publish('magento', 'event.trigger', encodeTrigger('sales.order.updated', { id }), {
        deliveryMode: 2,
        messageId: `${id}`.padStart(32, '0'),
      });
    }
    await channel.waitForConfirms(); // durable before the broker stops
  };

  it('reconnects after the restart, re-asserts the topology and loses nothing', async () => {
    const started = Date.now();
    const logs = captureLogs();
    const env = {
      ...sidecarTestEnv({ amqpUrl: broker.url, mysqlUrl: db.url, magentoUrl: standIn.url }),
      TRIGGER_PREFETCH: String(PREFETCH),
      // The whole prefetch may be at the receiver at once (no deferrals into the retry path).
      SUBSCRIPTION_MAX_IN_FLIGHT: String(PREFETCH),
    };
    sidecar = await startSidecar(loadConfig(env, 'run'), { logger: logs.logger });
    await sidecar.started;
    receiver.respond('/orders', { status: 200, delayMs: RECEIVER_DELAY_MS });
    const subscriptionId = await subscribeOrders(db, receiver.url);

    const ids = idRange(90_000, PER_PHASE * 2);
    await publishAll(ids.slice(0, PER_PHASE));
    await receiver.waitFor(100, { path: '/orders', timeoutMs: 20_000 });
    await publisher?.close().catch(() => undefined);
    await broker.stop();
    const deliveredWhileStopped = receiver.count('/orders');
    expect(deliveredWhileStopped, 'the stop must land mid-stream').toBeLessThan(PER_PHASE);
    const ready = sidecar;
    await eventually(async () => (!(await ready.readiness()).ready ? true : undefined), 10_000, 'not ready');
    await new Promise((resolve) => setTimeout(resolve, 2000)); // stays down a while
    await broker.start();
    await publishAll(ids.slice(PER_PHASE));

    await eventually(
      () => (receivedIds(receiver.requests, ids).size === ids.length ? true : undefined),
      90_000,
      'every event delivered after the broker restart',
    );
    await eventually(async () => ((await ready.readiness()).ready ? true : undefined), 20_000, 'ready');
    const queues = await broker.queues();
    expect(queues.get('event.trigger')).toEqual({ messages: 0, consumers: 1 });
    expect(queues.get('event.failover.retry')?.consumers).toBe(1);
    expect(queues.has('event.trigger.invalid')).toBe(true);

    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return countDeliveries(receiver.requests, found, ids).unlogged.length === 0 ? found : undefined;
    }, 15_000);
    const count = countDeliveries(receiver.requests, rows, ids);
    expect(count.withoutSuccessRow).toEqual([]);
    expect(count.idsWithSeveralUuids).toBe(0);
    expect(count.duplicates).toBeLessThanOrEqual(PREFETCH);

    const accounting = await writeAccounting({
      fault: 'broker-restart',
      title: `RabbitMQ broker stopped after ${deliveredWhileStopped} of ${ids.length} deliveries and started again (private node)`,
      published: ids.length,
      delivered: count.delivered.size,
      deadLettered: 0,
      duplicates: count.duplicates,
      durationMs: Date.now() - started,
      command: reproduceCommand('brokerRestart.rel.test.ts'),
      notes: `The sidecar reported not ready while the broker was down, reconnected by itself and consumed again; duplicates are unacked in-flight messages (prefetch ${PREFETCH}), same uuid.`,
    });
    expect(accounting.lost).toBe(0);
  });
});
