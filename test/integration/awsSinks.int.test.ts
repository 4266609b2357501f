import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AwsStandIn, startAwsStandIn } from '../../fixtures/aws-stand-in/index.js';
import { makeEventBridgeSink, makeSqsSink, type Sink } from '../../src/delivery/index.js';
import type { Subscription } from '../../src/store/index.js';

const CREDENTIALS = { accessKeyId: 'AKIDSTANDIN0000000000', secretAccessKey: 'stand-in-secret-key' };
const BODY = Buffer.from(
  '{"specversion":"1.0","id":"u-1","source":"2","type":"sales.order.created","datacontenttype":"application\\/json","data":{"entity_id":5,"name":"Zo\\u00eb"}}',
);
const FORMAT = { standardWebhooks: false, cloudEventsMode: 'structured' } as const;

const subscription = (metadata: string, recipientUrl: string): Subscription => ({
  subscriptionId: 1,
  eventName: 'sales.order.created',
  recipientUrl,
  verificationToken: '0:3:unused',
  active: true,
  metadata,
  storeId: 0,
});

/** The eventbridge and sqs sinks against the AWS stand-in: protocol, SigV4 and every outcome class. */
describe('AWS sinks', () => {
  let aws: AwsStandIn;
  let eventBridge: Sink;
  let sqs: Sink;
  const common = { timeoutMs: 2000, connectTimeoutMs: 1000, credentials: CREDENTIALS };

  beforeAll(async () => {
    aws = await startAwsStandIn({ secretAccessKey: CREDENTIALS.secretAccessKey });
    eventBridge = makeEventBridgeSink({
      ...common,
      region: 'eu-west-1',
      endpoint: aws.url,
      source: 'magento.{source}',
    });
    sqs = makeSqsSink({ ...common, region: 'eu-west-1', endpoint: aws.url });
  });
  afterAll(async () => {
    await Promise.all([eventBridge?.close(), sqs?.close()]);
    await aws?.close();
  });

  const deliver = (sink: Sink, recipient: string, body = BODY) =>
    sink.deliver({
      subscription: subscription(sink.name, recipient),
      body,
      uuid: 'u-1',
      eventName: 'sales.order.created',
      secret: 'unused',
      format: FORMAT,
    });

  it('puts the CloudEvent on a bus with a signed AWS JSON 1.1 request', async () => {
    aws.reset();
    const outcome = await deliver(eventBridge, 'orders');
    expect(outcome).toMatchObject({
      ok: true,
      status: 200,
      responseData: expect.stringMatching(/^EventId /) as unknown,
    });
    const [request] = aws.requests;
    expect(request?.problems).toEqual([]);
    expect(request).toMatchObject({
      operation: 'AWSEvents.PutEvents',
      service: 'events',
      region: 'eu-west-1',
      accessKeyId: CREDENTIALS.accessKeyId,
    });
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target']));
    expect(request?.body).toEqual({
      Entries: [
        {
          EventBusName: 'orders',
          Source: 'magento.2',
          DetailType: 'sales.order.created',
          Detail: BODY.toString(),
        },
      ],
    });
  });

  it('signs for the region of a bus ARN', async () => {
    aws.reset();
    const arn = 'arn:aws:events:us-east-2:123456789012:event-bus/orders';
    expect(await deliver(eventBridge, arn)).toMatchObject({ ok: true });
    expect(aws.requests[0]).toMatchObject({ region: 'us-east-2', problems: [] });
  });

  it('turns failed entries and error answers into failed attempts, throttling retryable', async () => {
    aws.respond('throttled', { kind: 'entryError', code: 'ThrottlingException', message: 'Rate exceeded' });
    aws.respond('malformed', {
      kind: 'entryError',
      code: 'MalformedDetail',
      message: 'Detail is malformed.',
    });
    aws.respond('busy', {
      kind: 'error',
      status: 400,
      type: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    aws.respond('missing', {
      kind: 'error',
      status: 400,
      type: 'ResourceNotFoundException',
      message: 'Event bus missing does not exist.',
    });
    aws.respond('broken', { kind: 'error', status: 500, type: 'InternalException', message: 'oops' });
    expect(await deliver(eventBridge, 'throttled')).toEqual({
      ok: false,
      retryable: true,
      responseData: 'PutEvents entry failed: ThrottlingException: Rate exceeded',
    });
    expect(await deliver(eventBridge, 'malformed')).toMatchObject({ ok: false, retryable: false });
    expect(await deliver(eventBridge, 'busy')).toMatchObject({ ok: false, retryable: true, status: 400 });
    expect(await deliver(eventBridge, 'missing')).toMatchObject({
      ok: false,
      retryable: false,
      status: 400,
      responseData: 'ResourceNotFoundException: Event bus missing does not exist. (HTTP 400)',
    });
    expect(await deliver(eventBridge, 'broken')).toMatchObject({ ok: false, retryable: true, status: 500 });
  });

  it('sends the CloudEvent to a queue with a signed AWS JSON 1.0 request (FIFO: group and dedup ids)', async () => {
    aws.reset();
    const queue = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
    expect(await deliver(sqs, queue)).toMatchObject({
      ok: true,
      responseData: expect.stringMatching(/^MessageId /) as unknown,
    });
    expect(await deliver(sqs, `${queue}.fifo`)).toMatchObject({ ok: true });
    const [plain, fifo] = aws.requests;
    expect(plain?.problems).toEqual([]);
    expect(plain).toMatchObject({ operation: 'AmazonSQS.SendMessage', service: 'sqs', region: 'eu-west-1' });
    expect(plain?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(plain?.body).toEqual({ QueueUrl: queue, MessageBody: BODY.toString() });
    expect(fifo?.body).toMatchObject({
      MessageGroupId: 'sales.order.created',
      MessageDeduplicationId: 'u-1',
    });
  });

  it('classifies SQS errors and unreachable endpoints', async () => {
    aws.respond('/123456789012/gone', {
      kind: 'error',
      status: 400,
      type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
      queryError: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
    });
    aws.respond('/123456789012/slow', {
      kind: 'error',
      status: 400,
      type: 'com.amazonaws.sqs#RequestThrottled',
      message: 'slow down',
    });
    const gone = await deliver(sqs, 'https://sqs.eu-west-1.amazonaws.com/123456789012/gone');
    expect(gone).toMatchObject({ ok: false, retryable: false, status: 400 });
    expect(gone.responseData).toMatch(/does not exist/);
    expect(await deliver(sqs, 'https://sqs.eu-west-1.amazonaws.com/123456789012/slow')).toMatchObject({
      ok: false,
      retryable: true,
    });
    const nowhere = makeSqsSink({ ...common, region: 'eu-west-1', endpoint: 'http://127.0.0.1:1' });
    try {
      expect(await deliver(nowhere, 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders')).toMatchObject(
        {
          ok: false,
          retryable: true,
          responseData: expect.stringMatching(/^Request failed: /) as unknown,
        },
      );
    } finally {
      await nowhere.close();
    }
  });

  it('is checked for real: a wrong secret key fails SigV4 at the stand-in', async () => {
    aws.reset();
    const forged = makeSqsSink({
      ...common,
      credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-key' },
      region: 'eu-west-1',
      endpoint: aws.url,
    });
    try {
      expect(await deliver(forged, 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders')).toMatchObject({
        ok: false,
        retryable: false,
        responseData: expect.stringMatching(
          /^InvalidSignatureException: the signature does not match/,
        ) as unknown,
      });
      expect(aws.requests[0]?.problems).toEqual(['the signature does not match the canonical request']);
    } finally {
      await forged.close();
    }
  });

  it('validates recipients: bus names or ARNs; AWS queue URLs unless an endpoint is configured', async () => {
    expect(await eventBridge.checkRecipient('orders')).toBeUndefined();
    expect(await eventBridge.checkRecipient('aws.partner/acme.com/123/events')).toBeUndefined();
    expect(
      await eventBridge.checkRecipient('arn:aws:events:eu-west-1:123456789012:event-bus/orders'),
    ).toBeUndefined();
    expect(await eventBridge.checkRecipient('https://example.com/bus')).toMatchObject({
      message: expect.stringMatching(/event bus name or ARN/) as unknown,
    });
    expect(await eventBridge.checkRecipient('arn:aws:sqs:eu-west-1:123456789012:queue')).toBeDefined();
    const awsOnly = makeSqsSink({ ...common, region: undefined, endpoint: undefined });
    try {
      expect(
        await awsOnly.checkRecipient('https://sqs.eu-west-1.amazonaws.com/123456789012/orders'),
      ).toBeUndefined();
      expect(
        await awsOnly.checkRecipient('https://eu-west-1.queue.amazonaws.com/123456789012/orders.fifo'),
      ).toBeUndefined();
      // Another host would receive SigV4-signed requests: refused without an operator's endpoint.
      expect(await awsOnly.checkRecipient('https://169.254.169.254/123456789012/orders')).toMatchObject({
        message: expect.stringMatching(/SQS queue URL/) as unknown,
      });
      expect(
        await awsOnly.checkRecipient('http://sqs.eu-west-1.amazonaws.com/123456789012/orders'),
      ).toBeDefined();
    } finally {
      await awsOnly.close();
    }
    expect(await sqs.checkRecipient('http://localhost:4566/000000000000/orders')).toBeUndefined();
    expect(await sqs.checkRecipient('http://localhost:4566/orders')).toBeDefined();
  });
});
