import { type Channel, type ChannelModel, connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyMagentoSignature } from '../../fixtures/webhook-receiver/index.js';
import { makeAmqpSink, type Sink } from '../../src/delivery/index.js';
import { makeDestinationGuard } from '../../src/security/index.js';
import type { Subscription } from '../../src/store/index.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestVhost, type TestVhost } from '../helpers/rabbitVhost.js';

const BODY = Buffer.from(
  '{"specversion":"1.0","id":"u-1","source":"0","type":"sales.order.created","datacontenttype":"application\\/json","data":{"entity_id":5}}',
);
const FORMAT = { standardWebhooks: false, cloudEventsMode: 'structured' } as const;

/** The `amqp` sink against the real broker, in a vhost of its own standing for a subscriber's RabbitMQ. */
describe('amqp sink', () => {
  let target: TestVhost;
  let admin: ChannelModel;
  let channel: Channel;
  let sink: Sink;
  const logs = captureLogs('debug');
  const recipient = (query: string, credentials = 'guest:guest') =>
    `amqp://${credentials}@127.0.0.1:5672/${encodeURIComponent(target.name)}?${query}`;

  beforeAll(async () => {
    target = await createTestVhost('sidecar_sink');
    admin = await connect(target.url);
    channel = await admin.createChannel();
    await channel.assertExchange('orders', 'topic', { durable: true });
    await channel.assertExchange('nowhere', 'topic', { durable: true });
    await channel.assertQueue('orders.all', { durable: true });
    await channel.bindQueue('orders.all', 'orders', 'sales.#');
    sink = makeAmqpSink({
      timeoutMs: 2000,
      connectTimeoutMs: 1000,
      guard: makeDestinationGuard({ allowCidrs: ['127.0.0.0/8'] }),
      logger: logs.logger,
    });
  });
  afterAll(async () => {
    await sink?.close();
    await admin?.close();
    await target?.remove();
  });

  const deliver = (recipientUrl: string, body = BODY, standardWebhooks = false) =>
    sink.deliver({
      subscription: {
        subscriptionId: 1,
        eventName: 'sales.order.created',
        recipientUrl,
        verificationToken: '0:3:unused',
        active: true,
        metadata: 'amqp',
        storeId: 4,
      } satisfies Subscription,
      body,
      uuid: 'u-1',
      eventName: 'sales.order.created',
      secret: 'amqp-secret',
      format: { ...FORMAT, standardWebhooks },
    });

  it('publishes the structured CloudEvent, persistent and confirmed, routed by the event name', async () => {
    expect(await deliver(recipient('exchange=orders'), BODY, true)).toMatchObject({ ok: true });
    const message = await channel.get('orders.all', { noAck: true });
    expect(message).not.toBe(false);
    if (message === false) {
      return;
    }
    expect(message.content.equals(BODY)).toBe(true);
    expect(message.fields.routingKey).toBe('sales.order.created');
    expect(message.properties).toMatchObject({
      contentType: 'application/cloudevents+json',
      messageId: 'u-1',
      deliveryMode: 2,
      type: 'sales.order.created',
    });
    const headers = message.properties.headers as Record<string, unknown>;
    expect(verifyMagentoSignature(BODY, String(headers['x-magento-signature']), 'amqp-secret')).toBe(true);
    expect(headers['webhook-id']).toBe('u-1');
    expect(String(headers['webhook-signature'])).toMatch(/^v1,/);
  });

  it('honours routingKey and wraps a 3.x body into a CloudEvent', async () => {
    const legacy = Buffer.from('{"data":{"entity_id":5}}');
    expect(await deliver(recipient('exchange=orders&routingKey=sales.custom'), legacy)).toMatchObject({
      ok: true,
    });
    const message = await channel.get('orders.all', { noAck: true });
    expect(message !== false && message.fields.routingKey).toBe('sales.custom');
    expect(message !== false && JSON.parse(message.content.toString())).toEqual({
      specversion: '1.0',
      id: 'u-1',
      source: '4',
      type: 'sales.order.created',
      datacontenttype: 'application/json',
      data: { entity_id: 5 },
    });
  });

  it('fails for good when unroutable, when the exchange is missing or the login is refused', async () => {
    expect(await deliver(recipient('exchange=nowhere'))).toMatchObject({
      ok: false,
      retryable: false,
      responseData: expect.stringMatching(/^Unroutable: no queue is bound to exchange "nowhere"/) as unknown,
    });
    expect(await deliver(recipient('exchange=missing'))).toMatchObject({
      ok: false,
      retryable: false,
      responseData: expect.stringMatching(/the exchange does not exist/) as unknown,
    });
    // The missing exchange closed its own channel only: other exchanges keep working.
    expect(await deliver(recipient('exchange=orders'))).toMatchObject({ ok: true });
    await channel.get('orders.all', { noAck: true });
    expect(await deliver(recipient('exchange=orders', 'guest:wrong-password'))).toMatchObject({
      ok: false,
      retryable: false,
      responseData: expect.stringMatching(/access refused/) as unknown,
    });
  });

  it('retries when the broker cannot be reached, and never logs credentials', async () => {
    expect(await deliver('amqp://guest:s3cr3t-pw@127.0.0.1:1/x?exchange=orders')).toMatchObject({
      ok: false,
      retryable: true,
      responseData: expect.stringMatching(/^Cannot reach the broker: .*ECONNREFUSED/) as unknown,
    });
    expect(logs.lines.join('\n')).not.toMatch(/s3cr3t-pw|wrong-password/);
  });

  it('validates recipients and applies the destination guard to the broker host', async () => {
    expect(await sink.checkRecipient(recipient('exchange=orders'))).toBeUndefined();
    expect(await sink.checkRecipient(recipient('routingKey=x'))).toMatchObject({
      message: expect.stringMatching(/must name the exchange/) as unknown,
    });
    expect(await sink.checkRecipient('https://example.com/?exchange=x')).toMatchObject({
      message: expect.stringMatching(/amqp:\/\/ or amqps:\/\//) as unknown,
    });
    const strict = makeAmqpSink({
      timeoutMs: 1000,
      connectTimeoutMs: 500,
      guard: makeDestinationGuard({ allowCidrs: [] }),
      logger: logs.logger,
    });
    try {
      expect(await strict.checkRecipient(recipient('exchange=orders'))).toMatchObject({
        message: 'Destination refused: %reason',
      });
      const blocked = await strict.deliver({
        subscription: {
          subscriptionId: 1,
          eventName: 'x',
          recipientUrl: recipient('exchange=orders'),
          verificationToken: '',
          active: true,
          metadata: 'amqp',
          storeId: 0,
        },
        body: BODY,
        uuid: 'u',
        eventName: 'x',
        secret: 's',
        format: FORMAT,
      });
      expect(blocked).toMatchObject({
        ok: false,
        retryable: false,
        responseData: expect.stringMatching(/loopback/) as unknown,
      });
    } finally {
      await strict.close();
    }
    expect(sink.destinationOf(recipient('exchange=orders'))).toBe(
      `amqp://127.0.0.1:5672/${encodeURIComponent(target.name)}`,
    );
  });

  it('closes its connections', async () => {
    await sink.close();
    for (let i = 0; i < 50 && (await target.connectionCount()) > 1; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await target.connectionCount()).toBe(1); // the test's own
  });
});
