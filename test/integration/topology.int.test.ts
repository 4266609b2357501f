import { type ChannelModel, connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assertTopology, makeAmqpConnection, makeConfirmPublisher } from '../../src/amqp/index.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestVhost, type TestVhost } from '../helpers/rabbitVhost.js';

/**
 * Declares the topology the way Magento's setup:upgrade and RetryManager do (same flags, no
 * arguments), before and after the sidecar, on the real broker: neither side may get
 * PRECONDITION_FAILED.
 */
async function declareLikeMagento(model: ChannelModel): Promise<void> {
  const channel = await model.createChannel();
  for (const exchange of ['magento', 'event.failover']) {
    await channel.assertExchange(exchange, 'topic', { durable: true, autoDelete: false, internal: false });
  }
  for (const queue of ['event.trigger', 'event.failover.retry', 'event.failover.deadletter']) {
    await channel.assertQueue(queue, { durable: true, exclusive: false, autoDelete: false });
  }
  await channel.bindQueue('event.trigger', 'magento', 'event.trigger');
  await channel.bindQueue('event.failover.retry', 'event.failover', 'event.retry');
  await channel.bindQueue('event.failover.deadletter', 'event.failover', 'event.retry.kill');
  // RetryManager::assertDelayQueue for backoff 4.
  await channel.assertQueue('event.delay.4', {
    durable: true,
    autoDelete: true,
    arguments: {
      'x-dead-letter-exchange': 'event.failover',
      'x-dead-letter-routing-key': 'event.retry',
      'x-message-ttl': 4000,
      'x-expires': 8000,
    },
  });
  await channel.close();
}

describe('topology compatibility with Magento', () => {
  let vhost: TestVhost;
  let model: ChannelModel;

  beforeAll(async () => {
    vhost = await createTestVhost();
    model = await connect(vhost.url);
  });
  afterAll(async () => {
    await model?.close();
    await vhost?.remove();
  });

  it('asserts the same topology before and after Magento declares it', async () => {
    const ours = await model.createChannel();
    await assertTopology(ours);
    await declareLikeMagento(model);
    await assertTopology(ours);
    await ours.close();
    const queues = await vhost.queues();
    for (const queue of [
      'event.trigger',
      'event.failover.retry',
      'event.failover.deadletter',
      'event.trigger.invalid',
      'event.trigger.deadletter',
      'event.failover.invalid',
    ]) {
      expect(queues.has(queue), queue).toBe(true);
    }
  });

  it('connects, runs its setups and reconnects by itself after the broker drops it', async () => {
    const logs = captureLogs('warn');
    const connection = makeAmqpConnection({ url: vhost.url, logger: logs.logger });
    let setups = 0;
    connection.addSetup(async (channelModel) => {
      const channel = await channelModel.createChannel();
      await assertTopology(channel);
      await channel.close();
      setups += 1;
    });
    connection.start();
    await connection.waitUntilConnected(AbortSignal.timeout(10_000));
    expect(setups).toBe(1);
    await vhost.closeAllConnections();
    const deadline = Date.now() + 10_000;
    while (setups < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(setups).toBe(2);
    expect(connection.state()).toBe('connected');
    expect(logs.find('AMQP connection lost; reconnecting')).toHaveLength(1);
    await connection.close();
    expect(connection.state()).toBe('closed');
    // Re-opened for the next test: close_all_connections also closed the test's own connection.
    model = await connect(vhost.url);
  });

  it('recovers its publishing channel after a channel error and confirms the next publish', async () => {
    const logs = captureLogs('fatal');
    const connection = makeAmqpConnection({ url: vhost.url, logger: logs.logger });
    connection.addSetup(async (channelModel) => {
      const channel = await channelModel.createChannel();
      await assertTopology(channel);
      await channel.close();
    });
    const publisher = makeConfirmPublisher(connection, logs.logger);
    connection.start();
    await connection.waitUntilConnected(AbortSignal.timeout(10_000));

    // A publish to a missing exchange makes the broker close the channel (404 NOT_FOUND).
    await expect(
      publisher.publish({ exchange: 'no.such.exchange', routingKey: 'x', body: Buffer.from('{}') }),
    ).rejects.toThrow(/RabbitMQ refused the message|closed/i);
    // A publish nobody would receive is returned, not silently dropped.
    await expect(
      publisher.publish(
        { exchange: 'event.failover', routingKey: 'no.binding', body: Buffer.from('{}') },
        AbortSignal.timeout(10_000),
      ),
    ).rejects.toMatchObject({ code: 'SC_ERR_AMQP_UNROUTABLE' });
    await publisher.publish(
      { exchange: '', routingKey: 'event.trigger.invalid', body: Buffer.from('after recovery') },
      AbortSignal.timeout(10_000),
    );
    const check = await connect(vhost.url);
    const channel = await check.createChannel();
    const message = await channel.get('event.trigger.invalid', { noAck: true });
    expect(message !== false && message.content.toString()).toBe('after recovery');
    await check.close();
    await connection.close();
  });
});
