import { type Channel, type ChannelModel, connect } from 'amqplib';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AwsStandIn, startAwsStandIn } from '../../fixtures/aws-stand-in/index.js';
import { verifyMagentoSignature } from '../../fixtures/webhook-receiver/index.js';
import { makeApiClient } from '../helpers/apiClient.js';
import { API_TOKEN, eventually, type Harness, startHarness } from '../helpers/harness.js';
import { createTestVhost, type TestVhost } from '../helpers/rabbitVhost.js';

const AWS_KEY = { id: 'AKIDSIDECARTEST00000', secret: 'sidecar-test-secret-key' };
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/**
 * Every sink end to end: a trigger published like Magento, the sidecar resolving and delivering
 * it, a log row per attempt. http with Standard Webhooks (checked with the reference library) and
 * CloudEvents binary mode; amqp into a real broker; sqs and eventbridge into the AWS stand-in,
 * with credentials from the standard AWS environment variables.
 */
describe('sinks end to end', () => {
  let harness: Harness;
  let aws: AwsStandIn;
  let target: TestVhost;
  let targetConnection: ChannelModel;
  let targetChannel: Channel;
  const api = (...args: Parameters<ReturnType<typeof makeApiClient>>) =>
    makeApiClient(harness.sidecar.httpUrl, API_TOKEN)(...args);

  beforeAll(async () => {
    // The AWS SDK's standard credential chain reads these (this test file runs in a process of its own).
    process.env.AWS_ACCESS_KEY_ID = AWS_KEY.id;
    process.env.AWS_SECRET_ACCESS_KEY = AWS_KEY.secret;
    aws = await startAwsStandIn({ secretAccessKey: AWS_KEY.secret });
    target = await createTestVhost('sidecar_sink');
    targetConnection = await connect(target.url);
    targetChannel = await targetConnection.createChannel();
    await targetChannel.assertExchange('shop', 'topic', { durable: true });
    await targetChannel.assertQueue('shop.orders', { durable: true });
    await targetChannel.bindQueue('shop.orders', 'shop', '#');
    harness = await startHarness({
      synthesize: true,
      env: {
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_SQS: aws.url,
        AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
        EVENTBRIDGE_SOURCE: 'shop.store{source}',
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await targetConnection?.close();
    await target?.remove();
    await aws?.close();
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  const subscribe = async (eventName: string, recipientUrl: string, metadata: string, token = 'secret') => {
    const answer = await api('POST', '/V1/async_event', {
      asyncEvent: { event_name: eventName, recipient_url: recipientUrl, verification_token: token, metadata },
    });
    expect(answer.status, answer.text).toBe(200);
    return (answer.body as { subscription_id: number }).subscription_id;
  };
  const controls = (id: number, change: Record<string, unknown>) =>
    api('PUT', `/V1/async_event/${id}/controls`, { controls: change });
  const successRows = (subscriptionId: number, count = 1) =>
    eventually(async () => {
      const rows = await harness.db.logRows({ subscriptionId });
      return rows.length >= count ? rows : undefined;
    });

  it('http: Standard Webhooks headers verify with the reference library, for plain and whsec_ tokens', async () => {
    const plain = await subscribe(
      'sales.order.created',
      `${harness.receiver.url}/sw-plain`,
      'http',
      'plain-token',
    );
    const whsec = await subscribe('sales.order.created', `${harness.receiver.url}/sw-whsec`, 'http', WHSEC);
    expect((await controls(plain, { standard_webhooks: true })).status).toBe(200);
    expect((await controls(whsec, { standardWebhooks: true })).status).toBe(200);
    harness.publish('sales.order.created', { id: 5 });
    const [fromPlain] = await harness.receiver.waitFor(1, { path: '/sw-plain' });
    const [fromWhsec] = await harness.receiver.waitFor(1, { path: '/sw-whsec' });
    for (const [request, verifier, token] of [
      [fromPlain, new Webhook(Buffer.from('plain-token', 'utf8'), { format: 'raw' }), 'plain-token'],
      [fromWhsec, new Webhook(WHSEC), WHSEC],
    ] as const) {
      const headers = request?.headers ?? {};
      expect(headers['webhook-id']).toBe(request?.event?.id);
      expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      const raw = request?.rawBody ?? Buffer.alloc(0);
      expect(() => verifier.verify(raw, headers as Record<string, string>)).not.toThrow();
      expect(() =>
        verifier.verify(Buffer.concat([raw, Buffer.from(' ')]), headers as Record<string, string>),
      ).toThrow();
      // x-magento-signature is always sent too.
      expect(verifyMagentoSignature(raw, String(headers['x-magento-signature']), token)).toBe(true);
    }
  });

  it('http: CloudEvents binary mode sends ce-* headers and the raw data, signed as sent', async () => {
    const id = await subscribe('sales.order.paid', `${harness.receiver.url}/binary`, 'http', 'bin-secret');
    await controls(id, { cloudevents_mode: 'binary', standard_webhooks: true });
    harness.publish('sales.order.paid', { id: 5 }, 1);
    const [request] = await harness.receiver.waitFor(1, { path: '/binary' });
    const headers = request?.headers ?? {};
    expect(headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-source': '1',
      'ce-type': 'sales.order.paid',
      'content-type': 'application/json',
    });
    expect(request?.event).toMatchObject({ id: headers['ce-id'], type: 'sales.order.paid', source: '1' });
    const raw = request?.rawBody ?? Buffer.alloc(0);
    expect(JSON.parse(raw.toString())).toMatchObject({ entity_id: 5 });
    expect(verifyMagentoSignature(raw, String(headers['x-magento-signature']), 'bin-secret')).toBe(true);
    expect(() =>
      new Webhook(Buffer.from('bin-secret'), { format: 'raw' }).verify(
        raw,
        headers as Record<string, string>,
      ),
    ).not.toThrow();
    // The log keeps the structured CloudEvent (what retries and Magento's Replay read).
    const [row] = await successRows(id);
    expect(JSON.parse(row?.serialized_data?.toString() ?? '{}')).toMatchObject({
      id: headers['ce-id'],
      data: { entity_id: 5 },
    });
  });

  it("amqp: publishes into the subscriber's broker with confirms", async () => {
    const recipient = `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(target.name)}?exchange=shop`;
    const id = await subscribe('sales.order.holded', recipient, 'amqp', 'amqp-secret');
    harness.publish('sales.order.holded', { id: 5 });
    const message = await eventually(async () => {
      const got = await targetChannel.get('shop.orders', { noAck: true });
      return got === false ? undefined : got;
    });
    const event = JSON.parse(message.content.toString()) as {
      id: string;
      type: string;
      data: { entity_id: number };
    };
    expect(event).toMatchObject({ type: 'sales.order.holded', data: { entity_id: 5 } });
    expect(message.properties).toMatchObject({
      messageId: event.id,
      contentType: 'application/cloudevents+json',
    });
    expect(message.fields.routingKey).toBe('sales.order.holded');
    const [row] = await successRows(id);
    expect(row).toMatchObject({ success: 1, uuid: event.id });
    expect(harness.logs.lines.join('\n')).not.toContain('guest:guest');
  });

  it('sqs and eventbridge: signed requests to the AWS stand-in, with the standard credential chain', async () => {
    aws.reset();
    const queue = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
    const sqs = await subscribe('sales.order.unholded', queue, 'sqs');
    const bus = await subscribe(
      'sales.order.unholded',
      'arn:aws:events:eu-central-1:123456789012:event-bus/shop',
      'eventbridge',
    );
    harness.publish('sales.order.unholded', { id: 5 }, 2);
    const [sqsRow] = await successRows(sqs);
    const [busRow] = await successRows(bus);
    expect(sqsRow).toMatchObject({
      success: 1,
      response_data: expect.stringMatching(/^MessageId /) as unknown,
    });
    expect(busRow).toMatchObject({
      success: 1,
      response_data: expect.stringMatching(/^EventId /) as unknown,
    });
    expect(aws.requests.map((request) => request.problems)).toEqual([[], []]);
    const sent = aws.requests.find((request) => request.operation === 'AmazonSQS.SendMessage');
    const put = aws.requests.find((request) => request.operation === 'AWSEvents.PutEvents');
    expect(sent).toMatchObject({ accessKeyId: AWS_KEY.id, region: 'eu-west-1', service: 'sqs' });
    expect(put).toMatchObject({ accessKeyId: AWS_KEY.id, region: 'eu-central-1', service: 'events' });
    expect(JSON.parse(String(sent?.body.MessageBody))).toMatchObject({ id: sqsRow?.uuid, source: '2' });
    const [entry] = put?.body.Entries as Array<Record<string, string>>;
    expect(entry).toMatchObject({ Source: 'shop.store2', DetailType: 'sales.order.unholded' });
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({
      id: busRow?.uuid,
      type: 'sales.order.unholded',
    });
  });

  it('validates the recipient of each sink when subscribing, and when the sink changes', async () => {
    const refuse = async (metadata: string, recipient_url: string, message: RegExp) => {
      const answer = await api('POST', '/V1/async_event', {
        asyncEvent: { event_name: 'sales.order.created', recipient_url, verification_token: 't', metadata },
      });
      expect(answer.status, `${metadata} ${recipient_url}`).toBe(400);
      expect((answer.body as { message: string }).message).toMatch(message);
    };
    await refuse('amqp', 'amqp://127.0.0.1/v', /must name the exchange/);
    await refuse('amqp', 'https://example.com/?exchange=x', /amqp:\/\/ or amqps:\/\//);
    await refuse('sqs', 'not a url', /SQS queue URL/);
    await refuse('sqs', 'https://sqs.eu-west-1.amazonaws.com/orders', /SQS queue URL/);
    await refuse('eventbridge', 'https://example.com/bus', /event bus name or ARN/);
    await refuse('http', 'amqp://127.0.0.1/v?exchange=x', /absolute http\(s\) URL/);
    const id = await subscribe('sales.order.created', `${harness.receiver.url}/switch`, 'http');
    const switched = await api('PUT', `/V1/async_event/${id}`, {
      asyncEvent: { status: true, metadata: 'sqs' },
    });
    expect(switched.status).toBe(400);
    expect((switched.body as { message: string }).message).toMatch(/SQS queue URL/);
  });
});
