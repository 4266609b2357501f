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

/** Who declares an entity: Magento's setup:upgrade (the sidecar asserts it too) or the sidecar alone. */
export type TopologyOwner = 'magento' | 'sidecar';

export interface ExpectedExchange {
  name: string;
  type: 'topic';
  owner: TopologyOwner;
}

export interface ExpectedQueue {
  name: string;
  owner: TopologyOwner;
  bindings: ReadonlyArray<{ exchange: string; routingKey: string }>;
  /** Consumed by the sidecar (a queue nobody consumes fills up). */
  consumed: boolean;
}

/** The durable part of the topology, in declaration order; delay queues come and go with their TTL. */
export const EXPECTED_TOPOLOGY: {
  exchanges: readonly ExpectedExchange[];
  queues: readonly ExpectedQueue[];
} = {
  exchanges: [
    { name: EXCHANGES.magento, type: 'topic', owner: 'magento' },
    { name: EXCHANGES.failover, type: 'topic', owner: 'magento' },
  ],
  queues: [
    {
      name: QUEUES.trigger,
      owner: 'magento',
      bindings: [{ exchange: EXCHANGES.magento, routingKey: ROUTING_KEYS.trigger }],
      consumed: true,
    },
    {
      name: QUEUES.retry,
      owner: 'magento',
      bindings: [{ exchange: EXCHANGES.failover, routingKey: ROUTING_KEYS.retry }],
      consumed: true,
    },
    {
      name: QUEUES.deadLetter,
      owner: 'magento',
      bindings: [{ exchange: EXCHANGES.failover, routingKey: ROUTING_KEYS.kill }],
      consumed: false,
    },
    { name: QUEUES.triggerInvalid, owner: 'sidecar', bindings: [], consumed: false },
    { name: QUEUES.triggerDeadLetter, owner: 'sidecar', bindings: [], consumed: false },
    { name: QUEUES.retryInvalid, owner: 'sidecar', bindings: [], consumed: false },
  ],
};

export function assertExpectedExchange(channel: Channel, exchange: ExpectedExchange) {
  return channel.assertExchange(exchange.name, exchange.type, DURABLE_EXCHANGE);
}

export function assertExpectedQueue(channel: Channel, queue: ExpectedQueue) {
  return channel.assertQueue(queue.name, DURABLE_QUEUE);
}

/**
 * Asserts what Magento's setup:upgrade declares, with the same flags, so the sidecar can start
 * before or after Magento; plus the sidecar's own parking queues. Safe to run after every reconnect.
 */
export async function assertTopology(channel: Channel): Promise<void> {
  for (const exchange of EXPECTED_TOPOLOGY.exchanges) {
    await assertExpectedExchange(channel, exchange);
  }
  for (const queue of EXPECTED_TOPOLOGY.queues) {
    await assertExpectedQueue(channel, queue);
    for (const binding of queue.bindings) {
      await channel.bindQueue(queue.name, binding.exchange, binding.routingKey);
    }
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
