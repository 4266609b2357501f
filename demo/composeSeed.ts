/**
 * The demo stack's Magento side (`docker-compose --profile demo up`): once the sidecar is ready,
 * creates three subscriptions through its REST API (orders and customers to the webhook viewer,
 * one to a path that answers 404 so failures show up too), then publishes a trickle of events to
 * RabbitMQ exactly as Magento's AsyncEventPublisher does, until stopped.
 */
import { connect } from 'amqplib';

import { encodeTrigger, publishLikeMagento } from '../fixtures/magentoPublisher.js';
import { stopOnSignal } from '../fixtures/stopOnSignal.js';

const SIDECAR = process.env.SIDECAR_URL ?? 'http://sidecar:8080';
const TOKEN = process.env.API_TOKEN ?? 'demo-api-token-change-me';
const AMQP = process.env.AMQP_URL ?? 'amqp://guest:guest@rabbitmq:5672/';
const VIEWER = process.env.VIEWER_URL ?? 'http://webhook-viewer:8092';
const MISSING = process.env.MISSING_URL ?? 'http://magento-stand-in:8091/no-such-hook';
const PER_SECOND = Number(process.env.EVENTS_PER_SECOND ?? '5');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForSidecar(): Promise<void> {
  for (;;) {
    const ready = await fetch(`${SIDECAR}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) {
      return;
    }
    console.log(`Waiting for ${SIDECAR}/readyz …`);
    await sleep(2000);
  }
}

async function subscribe(eventName: string, recipientUrl: string): Promise<void> {
  const response = await fetch(`${SIDECAR}/rest/V1/async_event`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      asyncEvent: {
        event_name: eventName,
        recipient_url: recipientUrl,
        verification_token: 'demo-secret',
        metadata: 'http',
      },
    }),
  });
  console.log(`Subscribed ${eventName} → ${recipientUrl}: HTTP ${response.status} ${await response.text()}`);
}

async function main(): Promise<void> {
  await waitForSidecar();
  await subscribe('sales.order.created', `${VIEWER}/hooks/orders`);
  await subscribe('customer.created', `${VIEWER}/hooks/customers`);
  await subscribe('sales.invoice.created', MISSING);
  const connection = await connect(AMQP);
  const channel = await connection.createChannel();
  let running = true;
  stopOnSignal('Demo publisher', async () => {
    running = false;
    await connection.close();
  });
  const events = ['sales.order.created', 'customer.created', 'sales.invoice.created'] as const;
  for (let index = 1; running; index += 1) {
    const eventName = events[index % events.length] ?? 'sales.order.created';
    const args = eventName === 'customer.created' ? { customerId: String(index) } : { id: String(index) };
    publishLikeMagento(channel, encodeTrigger(eventName, args, index % 2));
    await sleep(1000 / PER_SECOND);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
