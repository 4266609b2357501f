import type { RetryScheduler } from '../amqp/index.js';
import { nextRetryDelaySeconds } from '../amqp/index.js';
import type { AttemptOutcome } from '../delivery/index.js';
import type { DeliveryOutcome, Metrics } from '../metrics/index.js';
import type { Logger } from '../shared/index.js';
import type { DeliveryLogWriter, Subscription, TriggerRecord } from '../store/index.js';
import type { MaxDeathsSource } from './maxDeaths.js';

/**
 * Makes the outcome of an attempt durable: its log row and, when it failed in a retryable way, the
 * next step of the upstream retry chain (init, place or kill). Resolves when both are committed /
 * confirmed; only then may the message that caused the attempt be acked.
 */
export interface AttemptRecorder {
  /** First attempt, from a trigger: a retryable failure starts a chain through event.retry.init. */
  recordFirst(attempt: RecordedAttempt, signal?: AbortSignal): Promise<void>;
  /** Attempt number `deathCount + 1` of a chain: a retryable failure places the next retry or kills it. */
  recordRetry(attempt: RecordedAttempt & { deathCount: number }, signal?: AbortSignal): Promise<void>;
  /** A subscriber that got nothing because the payload cannot be resolved: one failed row saying why. */
  recordUnresolvable(attempt: {
    subscription: Subscription;
    eventName: string;
    uuid: string;
    reason: string;
    trigger: TriggerRecord;
  }): Promise<void>;
}

export interface RecordedAttempt {
  subscription: Subscription;
  /** For logs and metric labels: an event of the catalog, or 'unknown'. */
  eventName: string;
  uuid: string;
  body: Buffer;
  outcome: AttemptOutcome;
  /** performance.now() when the message was consumed. */
  receivedAt: number;
  /** performance.now() when the attempt started. */
  startedAt: number;
  /** First attempts only: what triggered the delivery (kept for fresh replays). */
  trigger?: TriggerRecord;
}

export interface AttemptRecorderOptions {
  logWriter: DeliveryLogWriter;
  retries: RetryScheduler;
  maxDeaths: MaxDeathsSource;
  retryAfterMaxS: number;
  metrics: Metrics;
  logger: Logger;
}

export function makeAttemptRecorder(options: AttemptRecorderOptions): AttemptRecorder {
  const logger = options.logger.child({ component: 'delivery' });

  const observe = (attempt: RecordedAttempt, deathCount: number, next: string | undefined): void => {
    const now = performance.now();
    const outcome: DeliveryOutcome = attempt.outcome.ok
      ? 'success'
      : attempt.outcome.retryable
        ? 'failed_retryable'
        : 'failed_final';
    options.metrics.deliveries.inc({
      event: attempt.eventName,
      subscription: String(attempt.subscription.subscriptionId),
      outcome,
    });
    options.metrics.attemptDuration.observe({ outcome }, (now - attempt.startedAt) / 1000);
    options.metrics.consumeToDelivery.observe((now - attempt.receivedAt) / 1000);
    logger.info(
      {
        eventName: attempt.eventName,
        subscriptionId: attempt.subscription.subscriptionId,
        deliveryId: attempt.uuid,
        attempt: deathCount + 1,
        success: attempt.outcome.ok,
        status: attempt.outcome.status,
        durationMs: Math.round(now - attempt.startedAt),
        ...(next === undefined ? {} : { next }),
      },
      attempt.outcome.ok ? 'Delivered' : 'Delivery failed',
    );
  };

  const append = (attempt: RecordedAttempt) =>
    options.logWriter.append({
      uuid: attempt.uuid,
      subscriptionId: attempt.subscription.subscriptionId,
      success: attempt.outcome.ok,
      responseData: attempt.outcome.responseData,
      serializedData: attempt.body,
      ...(attempt.trigger === undefined ? {} : { trigger: attempt.trigger }),
    });

  return {
    async recordFirst(attempt, signal) {
      const retry = !attempt.outcome.ok && attempt.outcome.retryable;
      observe(attempt, 0, retry ? 'retry in 1 s' : undefined);
      const scheduled = retry
        ? options.retries
            .init(
              {
                subscriptionId: attempt.subscription.subscriptionId,
                content: attempt.body,
                uuid: attempt.uuid,
              },
              signal,
            )
            .then(() => options.metrics.retriesScheduled.inc({ kind: 'init' }))
        : undefined;
      await Promise.all([append(attempt), scheduled]);
    },

    async recordRetry(attempt, signal) {
      const { outcome } = attempt;
      let next: string | undefined;
      let scheduled: Promise<void> | undefined;
      if (!outcome.ok && outcome.retryable) {
        const subscriptionId = attempt.subscription.subscriptionId;
        if (attempt.deathCount < options.maxDeaths.current()) {
          const deathCount = attempt.deathCount + 1;
          const delaySeconds = nextRetryDelaySeconds(deathCount, outcome.retryAfterS, options.retryAfterMaxS);
          next = `retry ${deathCount} in ${delaySeconds} s`;
          scheduled = options.retries
            .place(
              { subscriptionId, deathCount, content: attempt.body, uuid: attempt.uuid, delaySeconds },
              signal,
            )
            .then(() => options.metrics.retriesScheduled.inc({ kind: 'place' }));
        } else {
          next = 'dead-lettered (max deaths reached)';
          scheduled = options.retries
            .kill({ subscriptionId, content: attempt.body }, signal)
            .then(() => options.metrics.retriesScheduled.inc({ kind: 'kill' }));
        }
      }
      observe(attempt, attempt.deathCount, next);
      await Promise.all([append(attempt), scheduled]);
    },

    async recordUnresolvable({ subscription, eventName, uuid, reason, trigger }) {
      options.metrics.deliveries.inc({
        event: eventName,
        subscription: String(subscription.subscriptionId),
        outcome: 'failed_final',
      });
      logger.info(
        { eventName, subscriptionId: subscription.subscriptionId, deliveryId: uuid, success: false, reason },
        'Payload not resolvable',
      );
      await options.logWriter.append({
        uuid,
        subscriptionId: subscription.subscriptionId,
        success: false,
        responseData: `The payload could not be resolved: ${reason}`,
        serializedData: null,
        trigger,
      });
    },
  };
}
