import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import {
  countDeliveries,
  type FaultAccounting,
  idRange,
  receivedIds,
  reproduceCommand,
  subscribeOrders,
  writeAccounting,
} from './accounting.js';
import { publishAtRate } from './sidecarProcess.js';
import { startTcpProxy, type TcpProxy } from './tcpProxy.js';

const COMMAND = reproduceCommand('magentoFaults.rel.test.ts');
const MAGENTO_TIMEOUT_MS = 20_000;

interface Scenario {
  fault: string;
  title: string;
  /** How long the fault lasts. */
  faultMs: number;
  /** Events per second, published from 5 s before the fault to 5 s after it. */
  rate: number;
  firstId: number;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/**
 * Fault: Magento's REST API down (connections refused and reset), slow (every answer takes 30 s,
 * past the sidecar's timeout) and answering 500 for a minute, each on its own sidecar, at the same
 * time. Resolution is retried through event.trigger.delay.<N> with back-off and every event is
 * delivered once Magento recovers; nothing is dead-lettered (the attempts outlast the outage).
 */
describe('fault: Magento REST down, slow and failing', () => {
  const harnesses: Harness[] = [];
  let proxy: TcpProxy;

  beforeAll(async () => {
    const env = { MAGENTO_TIMEOUT_MS: String(MAGENTO_TIMEOUT_MS) };
    harnesses.push(...(await Promise.all([0, 1, 2].map(() => startHarness({ synthesize: true, env })))));
    const down = harnesses[0] as Harness;
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(down.standIn.url).port) });
    await down.restartSidecar({ MAGENTO_BASE_URL: proxy.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(harnesses.map((harness) => harness.stop()));
  });

  const run = async (harness: Harness, scenario: Scenario): Promise<FaultAccounting> => {
    const started = Date.now();
    const { db, receiver } = harness;
    const subscriptionId = await subscribeOrders(db, receiver.url);
    const ids = idRange(scenario.firstId, Math.round((scenario.rate * (scenario.faultMs + 10_000)) / 1000));
    const publishing = publishAtRate(
      (id) => harness.publish('sales.order.updated', { id }),
      ids,
      scenario.rate,
    );
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await scenario.start();
    await new Promise((resolve) => setTimeout(resolve, scenario.faultMs));
    await scenario.stop();
    await publishing;

    await eventually(
      () => (receivedIds(receiver.requests, ids).size === ids.length ? true : undefined),
      120_000,
      `every event delivered after "${scenario.fault}"`,
    );
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return countDeliveries(receiver.requests, found, ids).unlogged.length === 0 ? found : undefined;
    }, 15_000);
    const count = countDeliveries(receiver.requests, rows, ids);
    expect(count.withoutSuccessRow, scenario.fault).toEqual([]);
    expect(
      rows.every((row) => row.success === 1),
      scenario.fault,
    ).toBe(true);
    const retried = harness.logs.find('Payload resolution failed; retrying later');
    expect(retried.length, `${scenario.fault}: resolution retried`).toBeGreaterThan(0);
    const queues = await harness.vhost.queues();
    expect(queues.get('event.trigger.deadletter')?.messages ?? 0, scenario.fault).toBe(0);
    const attempts = retried.map((line) => Number(line.attempt));

    return writeAccounting({
      fault: scenario.fault,
      title: scenario.title,
      published: ids.length,
      delivered: count.delivered.size,
      deadLettered: 0,
      duplicates: count.duplicates,
      durationMs: Date.now() - started,
      command: COMMAND,
      notes: `${retried.length} resolution retries scheduled (up to attempt ${Math.max(...attempts) + 1}); every event delivered once Magento answered again.`,
    });
  };

  it('retries resolution through the outage and delivers every event afterwards', async () => {
    const [down, slow, failing] = harnesses as [Harness, Harness, Harness];
    const results = await Promise.all([
      run(down, {
        fault: 'magento-down',
        title: 'Magento REST down for 30 s (connections refused, open ones reset)',
        faultMs: 30_000,
        rate: 5,
        firstId: 80_000,
        start: () => proxy.down(),
        stop: () => proxy.up(),
      }),
      run(slow, {
        fault: 'magento-slow',
        title: `Magento REST answers after 30 s for 30 s (sidecar timeout ${MAGENTO_TIMEOUT_MS / 1000} s)`,
        faultMs: 30_000,
        rate: 5,
        firstId: 81_000,
        start: () => slow.standIn.setLatency(30_000),
        stop: () => slow.standIn.setLatency(0),
      }),
      run(failing, {
        fault: 'magento-500',
        title: 'Magento REST answers 500 for 60 s',
        faultMs: 60_000,
        rate: 5,
        firstId: 82_000,
        start: () => failing.standIn.failFor(60_000, 500),
        stop: () => undefined,
      }),
    ]);
    expect(failing.standIn.requests.filter((request) => request.status === 500).length).toBeGreaterThan(0);
    for (const result of results) {
      expect(result.lost, result.fault).toBe(0);
    }
  });
});
