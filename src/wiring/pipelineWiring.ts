import {
  type AmqpConnection,
  assertTopology,
  type ConfirmPublisher,
  type Consumer,
  type DelayQueuePublisher,
  makeConfirmPublisher,
  makeConsumer,
  makeDelayQueuePublisher,
  makeParker,
  makeRetryScheduler,
  makeTriggerRetryScheduler,
  type Parker,
  QUEUES,
  type RetryScheduler,
} from '../amqp/index.js';
import type { Config } from '../config/index.js';
import { type CircuitBreakers, makeAdmissionGate, makeHealthTracker } from '../controls/index.js';
import type { Dispatcher } from '../delivery/index.js';
import type { EventCatalog, PayloadResolver } from '../magento/index.js';
import type { Metrics } from '../metrics/index.js';
import {
  makeAttemptRecorder,
  makeBacklogDrainer,
  makeDeliveryRunner,
  makeRetryHandler,
  makeTriggerHandler,
  type MaxDeathsSource,
} from '../pipeline/index.js';
import { type Logger, makeWeightedBudget } from '../shared/index.js';
import {
  type DeliveryLogWriter,
  makeBacklogStore,
  type Pool,
  type SubscriptionCache,
} from '../store/index.js';

/** Shortest time a first delivery runs before the backlog drainer adopts it (triggerHandler.ts). */
const ADOPTION_FLOOR_MS = 100;

/** The publishing side of the broker, shared by the consumers, replay and dead-letter re-drive. */
export interface Messaging {
  publisher: ConfirmPublisher;
  delayQueues: DelayQueuePublisher;
  retries: RetryScheduler;
  parker: Parker;
}

/**
 * Registers the connection's first setups: the topology, then the publishing channel. Consumers
 * register theirs later (buildConsumers), so they always start after both.
 */
export function buildMessaging(connection: AmqpConnection, logger: Logger): Messaging {
  connection.addSetup(async (model) => {
    const channel = await model.createChannel();
    await assertTopology(channel);
    await channel.close();
  });
  const publisher = makeConfirmPublisher(connection, logger);
  const delayQueues = makeDelayQueuePublisher(publisher);
  return {
    publisher,
    delayQueues,
    retries: makeRetryScheduler(publisher, delayQueues),
    parker: makeParker(publisher),
  };
}

export interface ConsumerParts {
  config: Config;
  connection: AmqpConnection;
  messaging: Messaging;
  logger: Logger;
  metrics: Metrics;
  catalog: EventCatalog;
  subscriptions: SubscriptionCache;
  resolver: PayloadResolver;
  dispatcher: Dispatcher;
  logWriter: DeliveryLogWriter;
  maxDeaths: MaxDeathsSource;
  pool: Pool;
  /** Shared with the API (the controls answer shows the circuit). */
  breakers: CircuitBreakers;
}

/**
 * The two consumers, event.trigger and event.failover.retry, and the backlog drainer that sends
 * what the trigger consumer held (stopped with them).
 */
export function buildConsumers(parts: ConsumerParts): Consumer[] {
  const { config, connection, logger, metrics, messaging } = parts;
  const recorder = makeAttemptRecorder({
    logWriter: parts.logWriter,
    retries: messaging.retries,
    maxDeaths: parts.maxDeaths,
    retryAfterMaxS: config.delivery.retryAfterMaxS,
    metrics,
    logger,
  });
  // One runner for both consumers, so a subscription's limits hold across them.
  const runner = makeDeliveryRunner({
    dispatcher: parts.dispatcher,
    gate: makeAdmissionGate({ waitMs: config.controls.admissionWaitMs }),
    breakers: parts.breakers,
    health: makeHealthTracker({
      pool: parts.pool,
      subscriptions: parts.subscriptions,
      logger,
      onDisabled: (reason) => metrics.disabled.inc({ reason }),
    }),
    defaults: config.controls.defaults,
    metrics,
    logger,
  });
  const shared = {
    catalog: parts.catalog,
    subscriptions: parts.subscriptions,
    runner,
    recorder,
    parker: messaging.parker,
    metrics,
    logger,
  };
  const onParked = (queue: string): void => metrics.parked.inc({ queue });
  const drainer = makeBacklogDrainer({
    ...shared,
    store: makeBacklogStore(parts.pool),
    resolver: parts.resolver,
    payloadFormat: config.delivery.payloadFormat,
    defaults: config.controls.defaults,
    deliveryTimeoutMs: config.delivery.timeoutMs,
  });
  const trigger = makeConsumer({
    connection,
    queue: QUEUES.trigger,
    prefetch: config.amqp.triggerPrefetch,
    logger,
    poison: { parker: messaging.parker, queue: QUEUES.triggerInvalid, onParked },
    handler: makeTriggerHandler({
      ...shared,
      resolver: parts.resolver,
      triggerRetries: makeTriggerRetryScheduler(messaging.delayQueues),
      payloadFormat: config.delivery.payloadFormat,
      resolveMaxAttempts: config.magento.resolveMaxAttempts,
      deliveryBudget: makeWeightedBudget(config.delivery.concurrency),
      onHeld: (subscriptionId) => drainer.notify(subscriptionId),
      adoption: {
        adopt: (adoption) => drainer.adopt(adoption),
        // The promptly bound, but never below 100 ms: with ADMISSION_WAIT_MS=0 nearly every
        // delivery would otherwise cost a backlog row and its delete.
        afterMs: Math.max(config.controls.admissionWaitMs, ADOPTION_FLOOR_MS),
      },
    }),
  });
  const retry = makeConsumer({
    connection,
    queue: QUEUES.retry,
    prefetch: config.amqp.retryPrefetch,
    logger,
    poison: { parker: messaging.parker, queue: QUEUES.retryInvalid, onParked },
    handler: makeRetryHandler(shared),
  });
  metrics.inFlightSources.set('trigger', () => trigger.inFlight());
  metrics.inFlightSources.set('retry', () => retry.inFlight());
  metrics.inFlightSources.set('backlog', () => drainer.inFlight());
  metrics.backlogSource.read = () => drainer.counts();
  return [trigger, retry, drainer];
}
