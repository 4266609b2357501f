import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startMagentoStandIn } from '../../fixtures/magento-stand-in/index.js';
import { verifyMagentoSignature } from '../../fixtures/webhook-receiver/index.js';
import { eventually, type Harness, MAGENTO_TOKEN, MODULE_ETC, startHarness } from '../helpers/harness.js';

const run = promisify(execFile);
const PUBLISH_SCRIPT = fileURLToPath(
  new URL('../../magento-module/Test/EndToEnd/publish.php', import.meta.url),
);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PHP is installed by .ci/run; without it these tests cannot run, and say so. */
async function requirePhp(): Promise<void> {
  try {
    await run('php', ['--version']);
  } catch {
    throw new Error(
      'php is not installed: these tests need php-cli and php-amqplib (`bash .ci/run` installs them)',
    );
  }
}

/**
 * Events whose service method has no GET route (catalog.product.* → ProductRepositoryInterface::getById)
 * resolve through the thin module's batch route, and a PHP publisher using the module's own
 * AsyncEventPublisher feeds the real sidecar.
 */
describe('module resolve route and the PHP publisher', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ env: { ASYNC_EVENTS_PATHS: MODULE_ETC, RESOLVE_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('resolves catalog.product.created through POST /V1/async_events/resolve with the exact PHP bytes', async () => {
    const { db, receiver, standIn } = harness;
    expect(harness.sidecar.catalog.get('catalog.product.created')?.resolution).toBe('module');
    await db.addSubscription({
      eventName: 'catalog.product.created',
      recipientUrl: `${receiver.url}/products`,
      token: 'product-secret',
    });
    await settle(400);
    standIn.reset();
    harness.publish('catalog.product.created', { productId: '1' });
    const [delivery] = await receiver.waitFor(1, { path: '/products' });

    const rest = await fetch(`${standIn.url}/rest/V1/products/24-MB01`, {
      headers: { Authorization: `Bearer ${MAGENTO_TOKEN}` },
    });
    const productBytes = await rest.text();
    expect(delivery?.rawBody.toString()).toBe(
      `{"specversion":"1.0","id":"${delivery?.event?.id}","source":"0","type":"catalog.product.created","datacontenttype":"application\\/json","data":${productBytes}}`,
    );
    expect(
      verifyMagentoSignature(
        delivery?.rawBody ?? Buffer.alloc(0),
        String(delivery?.headers['x-magento-signature']),
        'product-secret',
      ),
    ).toBe(true);
    expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toContain(
      'POST /rest/V1/async_events/resolve',
    );
  });

  it('batches a burst of events into few module requests', async () => {
    const { db, receiver, standIn } = harness;
    await db.addSubscription({ eventName: 'catalog.product.updated', recipientUrl: `${receiver.url}/burst` });
    await settle(400);
    standIn.reset();
    const skus = ['1', '14'];
    for (let index = 0; index < 40; index += 1) {
      harness.publish('catalog.product.updated', { productId: skus[index % 2] ?? '1' });
    }
    await receiver.waitFor(40, { path: '/burst', timeoutMs: 10_000 });
    const posts = standIn.requests.filter((request) => request.path === '/rest/V1/async_events/resolve');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeLessThanOrEqual(10);
  });

  it('logs a final failure for an entity that does not exist, and retries a temporary one', async () => {
    const { db, receiver, standIn } = harness;
    const subscriptionId = await db.addSubscription({
      eventName: 'catalog.product.created',
      recipientUrl: `${receiver.url}/products-2`,
    });
    await settle(400);
    harness.publish('catalog.product.created', { productId: 999 });
    const [row] = await eventually(async () => {
      const rows = await db.logRows({ subscriptionId });
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toMatchObject({
      success: 0,
      response_data:
        "The payload could not be resolved: Magento could not resolve catalog.product.created (404): The product that was requested doesn't exist. Verify the product and try again.",
    });

    standIn.failResolveElements(1);
    harness.publish('catalog.product.created', { product_id: 14 });
    const [delivery] = await receiver.waitFor(1, { path: '/products-2', timeoutMs: 8000 });
    expect((delivery?.event?.data as { sku: string }).sku).toBe('24-WB04');
  });

  it('sends every event through the module with RESOLVE_STRATEGY=module', async () => {
    const { db, receiver, standIn } = harness;
    await harness.restartSidecar({ RESOLVE_STRATEGY: 'module' });
    await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: `${receiver.url}/orders-via-module`,
    });
    await settle(400);
    standIn.reset();
    harness.publish('sales.order.created', { id: '5' });
    const [delivery] = await receiver.waitFor(1, { path: '/orders-via-module' });
    expect((delivery?.event?.data as { increment_id: string }).increment_id).toBe('000000005');
    expect(standIn.requests.map((request) => request.path)).toEqual(['/rest/V1/async_events/resolve']);
    await harness.restartSidecar();
  });

  it('retries, then parks with the fix in the reason, when the store lacks the module route', async () => {
    const { db, receiver } = harness;
    const bareStore = await startMagentoStandIn({ token: MAGENTO_TOKEN, moduleRoute: false });
    try {
      await harness.restartSidecar({ MAGENTO_BASE_URL: bareStore.url });
      await db.addSubscription({
        eventName: 'catalog.product.created',
        recipientUrl: `${receiver.url}/never`,
      });
      await settle(400);
      harness.publish('catalog.product.created', { productId: '1' });
      const [parked] = await harness.takeMessages('event.trigger.deadletter', 1, 15_000);
      expect(String(parked?.properties.headers?.['x-sidecar-reason'])).toMatch(
        /^Payload not resolved after 3 attempts: Magento has no POST \/V1\/async_events\/resolve: install the thin MageOS_AsyncEvents module/,
      );
      expect(receiver.count('/never')).toBe(0);
    } finally {
      await harness.restartSidecar();
      await bareStore.close();
    }
  });

  it('delivers an event published by the module’s PHP AsyncEventPublisher, byte for byte', async () => {
    await requirePhp();
    const { db, receiver, standIn } = harness;
    await db.addSubscription({
      eventName: 'sales.invoice.paid',
      recipientUrl: `${receiver.url}/from-php`,
      token: 'php-secret',
    });
    await settle(400);
    const { stdout } = await run('php', [
      PUBLISH_SCRIPT,
      '--amqp-url',
      harness.vhost.url,
      '--event',
      'sales.invoice.paid',
      '--data',
      '{"id":"3"}',
      '--store',
      '1',
    ]);
    expect(stdout.trim()).toBe('["sales.invoice.paid","{\\"id\\":\\"3\\"}","1"]');
    const [delivery] = await receiver.waitFor(1, { path: '/from-php' });
    const invoice = await (
      await fetch(`${standIn.url}/rest/V1/invoices/3`, {
        headers: { Authorization: `Bearer ${MAGENTO_TOKEN}` },
      })
    ).text();
    expect(delivery?.rawBody.toString()).toBe(
      `{"specversion":"1.0","id":"${delivery?.event?.id}","source":"1","type":"sales.invoice.paid","datacontenttype":"application\\/json","data":${invoice}}`,
    );
    expect(
      verifyMagentoSignature(
        delivery?.rawBody ?? Buffer.alloc(0),
        String(delivery?.headers['x-magento-signature']),
        'php-secret',
      ),
    ).toBe(true);
  });
});
