import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventually, type Harness, startHarness } from '../helpers/harness.js';

const SUBSCRIBERS = 30;
const EVENTS = 20;

/**
 * A wide fan-out waits for delivery slots instead of being deferred: the trigger consumer claims
 * one unit of DELIVERY_CONCURRENCY per subscriber before delivering, so prefetched events do not
 * all put their deliveries in front of the subscription limits at once. Without the budget, 20
 * prefetched events would queue 20 deliveries per subscription behind max_in_flight 1 at 50 ms
 * each, past the admission gate's 250 ms bound, and most would be deferred to the backlog.
 */
describe('fan-out under the delivery budget', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      synthesize: true,
      env: { DELIVERY_CONCURRENCY: '8', SUBSCRIPTION_MAX_IN_FLIGHT: '1' },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('delivers every event to 30 slow subscribers without deferring any delivery', async () => {
    const { db, receiver } = harness;
    for (let index = 0; index < SUBSCRIBERS; index += 1) {
      receiver.respond(`/fan/${index}`, { status: 200, delayMs: 50 });
      await db.addSubscription({
        eventName: 'sales.order.created',
        recipientUrl: `${receiver.url}/fan/${index}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 400)); // the subscription cache refreshes every 200 ms here

    for (let id = 1; id <= EVENTS; id += 1) {
      harness.publish('sales.order.created', { id: String(id) }, 0);
    }
    await receiver.waitFor(SUBSCRIBERS * EVENTS, { timeoutMs: 30_000 });
    const rows = await eventually(async () => {
      const found = await db.logRows();
      return found.length >= SUBSCRIBERS * EVENTS ? found : undefined;
    });
    expect(rows.filter((row) => row.success === 1)).toHaveLength(SUBSCRIBERS * EVENTS);
    // Nothing was refused by a subscription limit (a refusal counts here and holds the delivery).
    const metrics = await (await fetch(`${harness.sidecar.httpUrl}/metrics`)).text();
    expect(metrics).toContain('# TYPE sidecar_deliveries_deferred_total counter');
    expect(metrics).not.toMatch(/^sidecar_deliveries_deferred_total\{/m);
    expect(metrics).not.toMatch(/^sidecar_deliveries_held_total\{/m);
  });
});
