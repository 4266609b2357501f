import {
  type AmqpConnection,
  assertTopology,
  type Consumer,
  makeConfirmPublisher,
  makeConsumer,
  makeDelayQueuePublisher,
  makeParker,
  makeRetryScheduler,
  makeTriggerRetryScheduler,
  QUEUES,
} from '../amqp/index.js';
import type { Config } from '../config/index.js';
import { type CircuitBreakers, makeAdmissionGate, makeHealthTracker } from '../controls/index.js';
import type { Dispatcher } from '../delivery/index.js';
import type { EventCatalog, PayloadResolver } from '../magento/index.js';
import type { Metrics } from '../metrics/index.js';
import {
  makeAttemptRecorder,
  makeDeliveryRunner,
  makeRetryHandler,
  makeTriggerHandler,
  type MaxDeathsSource,
} from '../pipeline/index.js';
import type { Logger } from '../shared/index.js';
import type { DeliveryLogWriter, Pool, SubscriptionCache } from '../store/index.js';

export interface PipelineParts {
  config: Config;
  connection: AmqpConnection;
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

/** Wires the AMQP side: topology first, then the publisher channel, then the two consumers. */
export function buildPipeline(parts: PipelineParts): Consumer[] {
  const { config, connection, logger, metrics } = parts;
  connection.addSetup(async (model) => {
    const channel = await model.createChannel();
    await assertTopology(channel);
    await channel.close();
  });
  const publisher = makeConfirmPublisher(connection, logger);
  const delayQueues = makeDelayQueuePublisher(publisher);
  const parker = makeParker(publisher);
  const recorder = makeAttemptRecorder({
    logWriter: parts.logWriter,
    retries: makeRetryScheduler(publisher, delayQueues),
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
    parker,
    metrics,
    logger,
  };
  const trigger = makeConsumer({
    connection,
    queue: QUEUES.trigger,
    prefetch: config.amqp.triggerPrefetch,
    logger,
    handler: makeTriggerHandler({
      ...shared,
      resolver: parts.resolver,
      triggerRetries: makeTriggerRetryScheduler(delayQueues),
      payloadFormat: config.delivery.payloadFormat,
      resolveMaxAttempts: config.magento.resolveMaxAttempts,
    }),
  });
  const retry = makeConsumer({
    connection,
    queue: QUEUES.retry,
    prefetch: config.amqp.retryPrefetch,
    logger,
    handler: makeRetryHandler(shared),
  });
  metrics.inFlightSources.set('trigger', () => trigger.inFlight());
  metrics.inFlightSources.set('retry', () => retry.inFlight());
  return [trigger, retry];
}
