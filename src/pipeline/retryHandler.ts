import type { ConsumeMessage } from 'amqplib';

import {
  DEFERRALS_HEADER,
  type MessageContext,
  type MessageHandler,
  type Parker,
  QUEUES,
} from '../amqp/index.js';
import type { EventCatalog } from '../magento/index.js';
import { parseRetryMessage } from '../messages/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Logger } from '../shared/index.js';
import type { SubscriptionCache } from '../store/index.js';
import type { AttemptRecorder } from './attemptRecorder.js';
import type { DeliveryRunner } from './deliveryRunner.js';
import { peekEventType } from './eventType.js';

export interface RetryHandlerOptions {
  catalog: EventCatalog;
  subscriptions: SubscriptionCache;
  /** Delivers under each subscription's controls (shared with the trigger handler). */
  runner: DeliveryRunner;
  recorder: AttemptRecorder;
  parker: Parker;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Handles one `event.failover.retry` message (upstream RetryHandler): delivers the stored body again
 * to its subscription, logs the attempt under the chain's uuid and places the next retry or kills
 * the chain. Messages written by the PHP module (numbers as strings, 3.x content) work the same.
 */
export function makeRetryHandler(options: RetryHandlerOptions): MessageHandler {
  const logger = options.logger.child({ component: 'retry' });

  const park = async (message: ConsumeMessage, reason: string, context: MessageContext): Promise<void> => {
    logger.warn({ queue: QUEUES.retryInvalid, reason }, 'Retry message parked');
    await options.parker.park(QUEUES.retryInvalid, message, reason, context.signal);
    options.metrics.parked.inc({ queue: QUEUES.retryInvalid });
  };

  return async (message, context) => {
    const parsed = parseRetryMessage(message.content);
    if (!parsed.ok) {
      await park(message, `Malformed retry message: ${parsed.reason}`, context);
      return;
    }
    const retry = parsed.value;
    const subscription = await options.subscriptions.byIdRefreshing(retry.subscriptionId);
    if (subscription === undefined) {
      await park(
        message,
        `Subscription ${retry.subscriptionId} does not exist; the retry cannot be delivered`,
        context,
      );
      return;
    }
    if (!subscription.active) {
      // Upstream only retries active subscriptions; a disabled one ends its chains quietly.
      logger.info(
        { subscriptionId: subscription.subscriptionId, deliveryId: retry.uuid },
        'Subscription disabled; retry chain ended',
      );
      return;
    }
    const peeked = peekEventType(retry.content);
    const eventName =
      peeked !== undefined && options.catalog.get(peeked) !== undefined ? peeked.toLowerCase() : 'unknown';
    const deferrals = deferralsOf(message.properties.headers);
    const result = await options.runner.run({
      subscription,
      body: retry.content,
      uuid: retry.uuid,
      eventName,
      deferrals,
    });
    if (result.kind === 'deferred') {
      await options.recorder.recordDeferred(
        {
          subscription,
          eventName,
          uuid: retry.uuid,
          body: retry.content,
          message: result.message,
          delaySeconds: result.delaySeconds,
          deathCount: retry.deathCount,
          deferrals,
        },
        context.signal,
      );
      return;
    }
    await options.recorder.recordRetry(
      {
        subscription,
        eventName,
        uuid: retry.uuid,
        body: retry.content,
        outcome: result.outcome,
        deathCount: retry.deathCount,
        receivedAt: context.receivedAt,
        startedAt: result.startedAt,
        retrySchedule: result.controls.retrySchedule,
      },
      context.signal,
    );
  };
}

function deferralsOf(headers: Record<string, unknown> | undefined): number {
  const value = Number(headers?.[DEFERRALS_HEADER] ?? 0);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}
