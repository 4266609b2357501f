import { encodeRetryMessage } from '../messages/index.js';
import type { DelayQueuePublisher } from './delayQueues.js';
import type { ConfirmPublisher } from './publisher.js';
import { EXCHANGES, QUEUES, retryDelayQueueName, retryDelayRoutingKey, ROUTING_KEYS } from './topology.js';

/**
 * Upstream's RetryManager, message for message: `init` starts a chain through event.retry.init
 * (1 s), `place` schedules retry N through event.delay.<N>, `kill` sends the chain to
 * event.failover.deadletter. Every publish is confirmed before the promise resolves.
 */
export interface RetryScheduler {
  init(
    retry: { subscriptionId: number; content: Buffer; uuid: string; headers?: ExtraHeaders },
    signal?: AbortSignal,
  ): Promise<void>;
  place(
    retry: {
      subscriptionId: number;
      deathCount: number;
      content: Buffer;
      uuid: string;
      delaySeconds: number;
      headers?: ExtraHeaders;
    },
    signal?: AbortSignal,
  ): Promise<void>;
  kill(dead: { subscriptionId: number; content: Buffer }, signal?: AbortSignal): Promise<void>;
}

/** Additive headers of ours (`x-sidecar-…`); upstream's consumer ignores them. */
export type ExtraHeaders = Readonly<Record<string, string | number>>;

/** Times a delivery of this retry chain was deferred without an attempt (limits, open circuit). */
export const DEFERRALS_HEADER = 'x-sidecar-deferrals';

export function makeRetryScheduler(
  publisher: ConfirmPublisher,
  delayQueues: DelayQueuePublisher,
): RetryScheduler {
  const delayed = (
    queue: string,
    routingKey: string,
    seconds: number,
    deathCount: number,
    body: Buffer,
    headers: ExtraHeaders | undefined,
    signal?: AbortSignal,
  ) =>
    delayQueues.publish(
      {
        spec: {
          queue,
          seconds,
          deadLetterExchange: EXCHANGES.failover,
          deadLetterRoutingKey: ROUTING_KEYS.retry,
        },
        exchange: EXCHANGES.failover,
        routingKey,
        body,
        options: { headers: { ...headers, 'x-retry-count': deathCount } },
      },
      signal,
    );

  return {
    init({ subscriptionId, content, uuid, headers }, signal) {
      const body = encodeRetryMessage({ subscriptionId, deathCount: 1, content, uuid });
      return delayed(QUEUES.retryInit, ROUTING_KEYS.retryInit, 1, 1, body, headers, signal);
    },
    place({ subscriptionId, deathCount, content, uuid, delaySeconds, headers }, signal) {
      const body = encodeRetryMessage({ subscriptionId, deathCount, content, uuid });
      return delayed(
        retryDelayQueueName(delaySeconds),
        retryDelayRoutingKey(delaySeconds),
        delaySeconds,
        deathCount,
        body,
        headers,
        signal,
      );
    },
    kill({ subscriptionId, content }, signal) {
      return publisher.publish(
        {
          exchange: EXCHANGES.failover,
          routingKey: ROUTING_KEYS.kill,
          body: encodeRetryMessage({ subscriptionId, deathCount: 0, content }),
          options: { headers: { 'x-retry-count': 0 } },
        },
        signal,
      );
    },
  };
}
