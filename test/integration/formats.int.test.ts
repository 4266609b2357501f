import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Harness, startHarness } from '../helpers/harness.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The switches that restore exact upstream behaviour: 3.x bodies, the upstream store rule, max_deaths from Magento. */
describe('legacy format, upstream store scope, max_deaths from core_config_data', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ env: { PAYLOAD_FORMAT: 'legacy', STORE_SCOPE: 'upstream' } });
    await harness.db.setConfig('system/async_events/max_deaths', '1');
    await harness.restartSidecar();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('sends the 3.x body {"data": …} with the REST bytes', async () => {
    const { db, receiver, standIn } = harness;
    await db.addSubscription({
      eventName: 'customer.address.updated',
      recipientUrl: `${receiver.url}/legacy`,
    });
    await settle(400);
    harness.publish('customer.address.updated', { addressId: 1 });
    const [delivery] = await receiver.waitFor(1, { path: '/legacy' });
    const rest = await fetch(`${standIn.url}/rest/V1/customers/addresses/1`, {
      headers: { Authorization: 'Bearer integration-test-token' },
    });
    expect(delivery?.rawBody.toString()).toBe(`{"data":${await rest.text()}}`);
  });

  it('does not send store events to "All Stores" subscribers with STORE_SCOPE=upstream', async () => {
    const { db, receiver } = harness;
    await db.addSubscription({
      eventName: 'sales.invoice.paid',
      recipientUrl: `${receiver.url}/everywhere`,
      storeId: 0,
    });
    await db.addSubscription({
      eventName: 'sales.invoice.paid',
      recipientUrl: `${receiver.url}/store-3`,
      storeId: 3,
    });
    await settle(400);
    harness.publish('sales.invoice.paid', { id: 3 }, 3);
    await receiver.waitFor(1, { path: '/store-3' });
    await settle(500);
    expect(receiver.count('/everywhere')).toBe(0);
  });

  it('reads max_deaths from core_config_data: 1 retry, then the kill', async () => {
    const { db, receiver } = harness;
    receiver.respond('/down', { status: 500 });
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.shipped',
      recipientUrl: `${receiver.url}/down`,
    });
    await settle(400);
    harness.publish('sales.order.shipped', { id: 6 });
    await receiver.waitFor(2, { path: '/down', timeoutMs: 8000 });
    const dead = await harness.takeMessages('event.failover.deadletter', 1, 5000);
    expect(JSON.parse(dead[0]?.content.toString() ?? '{}')).toMatchObject({
      subscription_id: subscriptionId,
      death_count: 0,
    });
    await settle(1500);
    expect(receiver.count('/down')).toBe(2);
    expect(await db.logRows({ subscriptionId })).toHaveLength(2);
  });
});
