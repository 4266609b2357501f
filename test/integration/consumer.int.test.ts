import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  assertTopology,
  makeAmqpConnection,
  makeConfirmPublisher,
  makeConsumer,
  makeParker,
  PARKED_HEADERS,
} from '../../src/amqp/index.js';
import { eventually } from '../helpers/harness.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestVhost, type TestVhost } from '../helpers/rabbitVhost.js';

/** The consumer on a real broker: a handler that throws every time must not loop forever. */
describe('consumer', () => {
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost();
  });
  afterAll(async () => {
    await vhost?.remove();
  });

  it('parks a message whose handler keeps throwing after a bounded number of tries, with the reason', async () => {
    const logs = captureLogs('fatal');
    const connection = makeAmqpConnection({ url: vhost.url, logger: logs.logger });
    connection.addSetup(async (model) => {
      const channel = await model.createChannel();
      await assertTopology(channel);
      await channel.close();
    });
    const publisher = makeConfirmPublisher(connection, logs.logger);
    const calls = new Map<string, number>();
    const parked: string[] = [];
    const consumer = makeConsumer({
      connection,
      queue: 'event.trigger',
      prefetch: 5,
      logger: logs.logger,
      requeueDelayMs: 20,
      poison: {
        parker: makeParker(publisher),
        queue: 'event.trigger.invalid',
        maxFailures: 3,
        onParked: (queue) => parked.push(queue),
      },
      handler: (message) => {
        const body = message.content.toString();
        calls.set(body, (calls.get(body) ?? 0) + 1);
        return body.startsWith('bad')
          ? Promise.reject(new RangeError('Maximum call stack size exceeded'))
          : Promise.resolve();
      },
    });
    connection.start();
    await connection.waitUntilConnected(AbortSignal.timeout(10_000));

    const check = await connect(vhost.url);
    const channel = await check.createChannel();
    channel.publish('magento', 'event.trigger', Buffer.from('bad, with an id'), {
      messageId: 'a'.repeat(32),
    });
    channel.publish('magento', 'event.trigger', Buffer.from('bad, without an id'));
    channel.publish('magento', 'event.trigger', Buffer.from('good'));

    const messages = await eventually(
      async () => {
        const queues = await vhost.queues();
        return queues.get('event.trigger.invalid')?.messages === 2 &&
          queues.get('event.trigger')?.messages === 0
          ? true
          : undefined;
      },
      15_000,
      'both bad messages parked',
    ).then(async () => {
      const taken = [];
      for (
        let got = await channel.get('event.trigger.invalid', { noAck: true });
        got !== false;
        got = await channel.get('event.trigger.invalid', { noAck: true })
      ) {
        taken.push(got);
      }
      return taken;
    });
    expect(messages.map((message) => message.content.toString()).sort()).toEqual([
      'bad, with an id',
      'bad, without an id',
    ]);
    for (const message of messages) {
      expect(message.properties.headers?.[PARKED_HEADERS.reason]).toBe(
        'Handling failed 3 times; last error: Maximum call stack size exceeded',
      );
    }
    expect(calls.get('bad, with an id')).toBe(3);
    expect(calls.get('bad, without an id')).toBe(3);
    expect(calls.get('good')).toBe(1);
    expect(parked).toEqual(['event.trigger.invalid', 'event.trigger.invalid']);

    await check.close();
    await consumer.stop();
    await connection.close();
  });
});
