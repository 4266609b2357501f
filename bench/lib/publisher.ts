import type { Channel } from 'amqplib';

import { encodeTrigger, publishLikeMagento } from '../../fixtures/magentoPublisher.js';
import { sleep } from './wait.js';

/**
 * Publishes `count` triggers of `eventName` for order ids `firstId…`, encoded and sent exactly as
 * Magento's PHP publisher does, honouring the channel's back-pressure.
 */
export async function publishTriggers(
  channel: Channel,
  eventName: string,
  firstId: number,
  count: number,
): Promise<void> {
  for (let id = firstId; id < firstId + count; id += 1) {
    if (!publishLikeMagento(channel, encodeTrigger(eventName, { id: String(id) }, 0))) {
      await new Promise((resolve) => channel.once('drain', resolve));
    }
  }
  // A round trip on the channel: every publish before it has reached the broker.
  await channel.checkQueue('event.trigger');
}

/**
 * Publishes `rate` triggers per second for `seconds`, each at its due time (no bursts), and
 * returns the publish time (epoch ms, sub-ms) of each order id.
 */
export async function publishSteadily(
  channel: Channel,
  options: { eventName: string; firstId: number; rate: number; seconds: number },
): Promise<Map<number, number>> {
  const publishedAt = new Map<number, number>();
  const total = Math.round(options.rate * options.seconds);
  const startAt = performance.now();
  for (let index = 0; index < total; index += 1) {
    const wait = startAt + (index * 1000) / options.rate - performance.now();
    if (wait > 1) {
      await sleep(wait);
    }
    const id = options.firstId + index;
    publishedAt.set(id, performance.timeOrigin + performance.now());
    publishLikeMagento(channel, encodeTrigger(options.eventName, { id: String(id) }, 0));
  }
  return publishedAt;
}
