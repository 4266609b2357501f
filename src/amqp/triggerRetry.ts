import type { ConsumeMessage } from 'amqplib';

import { retryDelaySeconds } from './backoff.js';
import type { DelayQueuePublisher } from './delayQueues.js';
import { copyableHeaders } from './headers.js';
import { EXCHANGES, ROUTING_KEYS, triggerDelayQueueName } from './topology.js';

/**
 * **Deviation from upstream** (design.md §5): when Magento cannot resolve a payload now (5xx,
 * timeout, connection refused), the trigger message is not dropped but retried with back-off
 * through delay queues of our own (`event.trigger.delay.<N>`), which dead-letter back into
 * event.trigger. The attempt number travels in a header.
 */
export const RESOLVE_ATTEMPT_HEADER = 'x-sidecar-resolve-attempt';

export interface TriggerRetryScheduler {
  /** Republishes the trigger for attempt `attempt + 1` after the back-off delay. */
  schedule(message: ConsumeMessage, attempt: number, reason: string, signal?: AbortSignal): Promise<void>;
}

/** Attempts made so far for this trigger message (1 for a fresh message). */
export function resolveAttemptOf(message: ConsumeMessage): number {
  const raw: unknown = message.properties.headers?.[RESOLVE_ATTEMPT_HEADER];
  const attempt = typeof raw === 'number' ? raw : Number(raw);
  return Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1;
}

export function makeTriggerRetryScheduler(delayQueues: DelayQueuePublisher): TriggerRetryScheduler {
  return {
    schedule(message, attempt, reason, signal) {
      const seconds = retryDelaySeconds(attempt);
      const queue = triggerDelayQueueName(seconds);
      return delayQueues.publish(
        {
          spec: {
            queue,
            seconds,
            deadLetterExchange: EXCHANGES.magento,
            deadLetterRoutingKey: ROUTING_KEYS.trigger,
          },
          // Straight to the delay queue through the default exchange: no binding needed.
          exchange: '',
          routingKey: queue,
          body: message.content,
          options: {
            headers: {
              ...copyableHeaders(message.properties.headers),
              [RESOLVE_ATTEMPT_HEADER]: attempt + 1,
              'x-sidecar-last-error': reason.slice(0, 1000),
            },
          },
        },
        signal,
      );
    },
  };
}
