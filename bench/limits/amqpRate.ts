import { type ChannelModel, connect } from 'amqplib';

/**
 * The raw amqplib consume+ack rate of this broker: `count` persistent messages of `size` bytes
 * are queued, then one consumer (prefetch 1000) drains them. Once acking each message, once
 * acking with `multiple` every 100 messages. Messages/s = count / (last − first).
 */
export async function amqpConsumeAckRate(
  amqpUrl: string,
  options: { count: number; size: number },
): Promise<{ singleAcks: number; multipleAcks: number }> {
  const connection = await connect(amqpUrl);
  try {
    const singleAcks = await fillAndDrain(connection, options.count, options.size, 1);
    const multipleAcks = await fillAndDrain(connection, options.count, options.size, 100);
    return { singleAcks, multipleAcks };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function fillAndDrain(
  connection: ChannelModel,
  count: number,
  size: number,
  ackEvery: number,
): Promise<number> {
  const channel = await connection.createChannel();
  const queue = 'bench.raw.consume';
  await channel.assertQueue(queue, { durable: true });
  const body = Buffer.alloc(size, 0x61);
  for (let index = 0; index < count; index += 1) {
    if (!channel.sendToQueue(queue, body, { deliveryMode: 2 })) {
      await new Promise((resolve) => channel.once('drain', resolve));
    }
  }
  while ((await channel.checkQueue(queue)).messageCount < count) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await channel.prefetch(1000);
  let received = 0;
  let first = 0;
  const rate = await new Promise<number>((resolve) => {
    void channel.consume(queue, (message) => {
      if (message === null) {
        return;
      }
      received += 1;
      if (received === 1) {
        first = performance.now();
      }
      if (ackEvery === 1) {
        channel.ack(message);
      } else if (received % ackEvery === 0 || received === count) {
        channel.ack(message, true);
      }
      if (received === count) {
        resolve(count / ((performance.now() - first) / 1000));
      }
    });
  });
  await channel.close();
  return rate;
}
