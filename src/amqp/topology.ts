import type { Channel } from 'amqplib';

/**
 * Names and flags of the RabbitMQ topology, identical to what Magento declares for Mage-OS Async
 * Events (queue_topology.xml and RetryManager). RabbitMQ closes the channel with PRECONDITION_FAILED
 * when a declaration differs from an existing one, so flags and (empty) arguments must match exactly.
 */
export const EXCHANGES = {
  /** Magento's default exchange; PHP publishes triggers here. */
  magento: 'magento',
  /** Retry and dead-letter exchange of the module. */
  failover: 'event.failover',
} as const;

export const ROUTING_KEYS = {
  trigger: 'event.trigger',
  /** Delay queues dead-letter into event.failover with this key, landing in event.failover.retry. */
  retry: 'event.retry',
  retryInit: 'event.retry.init',
  kill: 'event.retry.kill',
} as const;

export const QUEUES = {
  trigger: 'event.trigger',
  retry: 'event.failover.retry',
  deadLetter: 'event.failover.deadletter',
  /** First retry: TTL 1 s, named like its routing key (upstream RetryManager::init). */
  retryInit: 'event.retry.init',
  // Additive queues of the sidecar (nothing upstream reads or declares them):
  /** Trigger messages that cannot be processed as sent (malformed, unknown event), with the reason. */
  triggerInvalid: 'event.trigger.invalid',
  /** Trigger messages whose payload Magento could not resolve after every attempt, with the reason. */
  triggerDeadLetter: 'event.trigger.deadletter',
  /** Retry messages that cannot be processed (malformed, subscription gone), with the reason. */
  retryInvalid: 'event.failover.invalid',
} as const;

/** Upstream retry queue for a delay of `seconds` (`event.delay.<N>`); 1 s is `event.retry.init`. */
export function retryDelayQueueName(seconds: number): string {
  return `event.delay.${seconds}`;
}

export function retryDelayRoutingKey(seconds: number): string {
  return `event.retry.${seconds}`;
}

/** Our own delay queue for re-trying payload resolution; dead-letters back into event.trigger. */
export function triggerDelayQueueName(seconds: number): string {
  return `event.trigger.delay.${seconds}`;
}

const DURABLE_EXCHANGE = { durable: true, autoDelete: false, internal: false } as const;
const DURABLE_QUEUE = { durable: true, exclusive: false, autoDelete: false } as const;

/**
 * Asserts what Magento's setup:upgrade declares, with the same flags, so the sidecar can start
 * before or after Magento; plus the sidecar's own parking queues. Safe to run after every reconnect.
 */
export async function assertTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(EXCHANGES.magento, 'topic', DURABLE_EXCHANGE);
  await channel.assertExchange(EXCHANGES.failover, 'topic', DURABLE_EXCHANGE);
  for (const queue of [QUEUES.trigger, QUEUES.retry, QUEUES.deadLetter]) {
    await channel.assertQueue(queue, DURABLE_QUEUE);
  }
  await channel.bindQueue(QUEUES.trigger, EXCHANGES.magento, ROUTING_KEYS.trigger);
  await channel.bindQueue(QUEUES.retry, EXCHANGES.failover, ROUTING_KEYS.retry);
  await channel.bindQueue(QUEUES.deadLetter, EXCHANGES.failover, ROUTING_KEYS.kill);
  for (const queue of [QUEUES.triggerInvalid, QUEUES.triggerDeadLetter, QUEUES.retryInvalid]) {
    await channel.assertQueue(queue, DURABLE_QUEUE);
  }
}

export interface DelayQueueSpec {
  queue: string;
  /** Dead-letter target once the TTL passes. */
  deadLetterExchange: string;
  deadLetterRoutingKey: string;
  seconds: number;
}

/**
 * Declares a delay queue exactly as upstream's RetryManager::assertDelayQueue does: durable,
 * auto-delete, TTL = N s and `x-expires` = 2N s, so it vanishes when idle (hence the re-declaration
 * before publishing, see delayQueues.ts).
 */
export async function assertDelayQueue(channel: Channel, spec: DelayQueueSpec): Promise<void> {
  await channel.assertQueue(spec.queue, {
    durable: true,
    exclusive: false,
    autoDelete: true,
    arguments: {
      'x-dead-letter-exchange': spec.deadLetterExchange,
      'x-dead-letter-routing-key': spec.deadLetterRoutingKey,
      'x-message-ttl': spec.seconds * 1000,
      'x-expires': spec.seconds * 2000,
    },
  });
}
