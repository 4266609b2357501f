import { DEFERRALS_HEADER, planRetry, type RetryScheduler } from '../amqp/index.js';
import type { RetrySchedule } from '../config/index.js';
import type { AttemptOutcome } from '../delivery/index.js';
import type { DeliveryOutcome, Metrics } from '../metrics/index.js';
import type { Logger } from '../shared/index.js';
import type { DeliveryLogWriter, HeldDelivery, Subscription, TriggerRecord } from '../store/index.js';
import type { RunResult } from './deliveryRunner.js';
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
  /**
   * A retry that was not attempted (limits, open circuit): the same step of its chain is placed
   * again, without a row and without using up a retry (it was not attempted).
   */
  recordDeferred(deferral: DeferredDelivery, signal?: AbortSignal): Promise<void>;
  /**
   * First deliveries of one event that were not attempted (limits, open circuit) are held in the
   * backlog, in the delivery log's group commit, until the backlog drainer sends them
   * (backlogDrainer.ts).
   */
  recordHeld(eventName: string, held: readonly HeldDelivery[]): Promise<void>;
}

export interface DeferredDelivery {
  subscription: Subscription;
  eventName: string;
  uuid: string;
  body: Buffer;
  /** Why it was not attempted, for the log row and line. */
  message: string;
  /** When to try again, in seconds: a step of the deferral ladder. */
  delaySeconds: number;
  /** The retry message's death count. */
  deathCount: number;
  /** Deferrals of this chain so far (header x-sidecar-deferrals). */
  deferrals: number;
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
  /** The subscription's retry schedule. @default 'upstream' */
  retrySchedule?: RetrySchedule;
}

/** A first delivery of a trigger, by whichever path makes it (trigger consumer, adoption, backlog). */
export interface FirstDelivery {
  subscription: Subscription;
  /** The catalog's name of the event. */
  eventName: string;
  uuid: string;
  /** performance.now() when its message was consumed (or its backlog row taken). */
  receivedAt: number;
  trigger: TriggerRecord;
}

/** The record of a first delivery the runner attempted, for `recordFirst`. */
export function firstAttemptOf(
  delivery: FirstDelivery,
  result: Extract<RunResult, { kind: 'attempted' }>,
): RecordedAttempt {
  return {
    subscription: delivery.subscription,
    eventName: delivery.eventName,
    uuid: delivery.uuid,
    body: result.body,
    outcome: result.outcome,
    receivedAt: delivery.receivedAt,
    startedAt: result.startedAt,
    retrySchedule: result.controls.retrySchedule,
    trigger: delivery.trigger,
  };
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
    // A success is a debug line: at thousands of deliveries a second a line each costs about 4 % of
    // the throughput (npm run bench, LOG_LEVEL=warn vs info), and every attempt is in the delivery
    // log and the search index already. Failures stay at info.
    logger[attempt.outcome.ok ? 'debug' : 'info'](
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

  const schedule = (attempt: RecordedAttempt, deathCount: number, signal?: AbortSignal) => {
    const { outcome } = attempt;
    if (outcome.ok || !outcome.retryable) {
      return { next: undefined, scheduled: undefined };
    }
    const plan = planRetry({
      schedule: attempt.retrySchedule ?? 'upstream',
      deathCount,
      retryAfterS: outcome.retryAfterS,
      retryAfterMaxS: options.retryAfterMaxS,
      maxDeaths: options.maxDeaths.current(),
    });
    const subscriptionId = attempt.subscription.subscriptionId;
    const content = attempt.body;
    switch (plan.kind) {
      case 'init':
        return {
          next: 'retry in 1 s',
          scheduled: options.retries
            .init({ subscriptionId, content, uuid: attempt.uuid }, signal)
            .then(() => options.metrics.retriesScheduled.inc({ kind: 'init' })),
        };
      case 'place':
        return {
          next: `retry ${plan.deathCount} in ${plan.delaySeconds} s`,
          scheduled: options.retries
            .place(
              {
                subscriptionId,
                deathCount: plan.deathCount,
                content,
                uuid: attempt.uuid,
                delaySeconds: plan.delaySeconds,
              },
              signal,
            )
            .then(() => options.metrics.retriesScheduled.inc({ kind: 'place' })),
        };
      case 'kill':
        return {
          next: 'dead-lettered (max deaths reached)',
          scheduled: options.retries
            .kill({ subscriptionId, content }, signal)
            .then(() => options.metrics.retriesScheduled.inc({ kind: 'kill' })),
        };
    }
  };

  /** The row and the next step of the chain, both durable before this resolves. */
  const recordAttempt = async (attempt: RecordedAttempt, deathCount: number, signal?: AbortSignal) => {
    const { next, scheduled } = schedule(attempt, deathCount, signal);
    observe(attempt, deathCount, next);
    await Promise.all([append(attempt), scheduled]);
  };

  return {
    async recordFirst(attempt, signal) {
      await recordAttempt(attempt, 0, signal);
    },

    async recordRetry(attempt, signal) {
      await recordAttempt(attempt, attempt.deathCount, signal);
    },

    async recordDeferred(deferral, signal) {
      const { subscription, uuid, delaySeconds } = deferral;
      const subscriptionId = subscription.subscriptionId;
      logger.info(
        {
          eventName: deferral.eventName,
          subscriptionId,
          deliveryId: uuid,
          attempt: deferral.deathCount + 1,
          reason: deferral.message,
          next: `same retry in ${delaySeconds} s`,
        },
        'Delivery deferred',
      );
      await options.retries.place(
        {
          subscriptionId,
          content: deferral.body,
          uuid,
          headers: { [DEFERRALS_HEADER]: deferral.deferrals + 1 },
          deathCount: deferral.deathCount,
          delaySeconds,
        },
        signal,
      );
      options.metrics.retriesScheduled.inc({ kind: 'deferred' });
    },

    async recordHeld(eventName, held) {
      // Debug only: a subscriber that is down holds every delivery, and a line each would cost
      // more than holding it; the drainer logs each row it takes and the outcome of every attempt.
      if (logger.isLevelEnabled('debug')) {
        for (const { subscriptionId, uuid, reason } of held) {
          logger.debug(
            { eventName, subscriptionId, deliveryId: uuid, reason },
            'Delivery held in the backlog',
          );
        }
      }
      const refused = await options.logWriter.hold(held);
      for (const delivery of held) {
        if (!refused.includes(delivery)) {
          options.metrics.held.inc({ subscription: String(delivery.subscriptionId) });
        }
      }
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
