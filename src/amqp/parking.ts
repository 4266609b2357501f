import type { ConsumeMessage } from 'amqplib';

import { copyableHeaders } from './headers.js';
import type { ConfirmPublisher } from './publisher.js';

/**
 * Parks a message the sidecar cannot process in one of its own queues, untouched, with the reason
 * in headers, so nothing is dropped and an operator can inspect and re-drive it. Never redelivered
 * to the consumer it came from, so a poison message cannot loop.
 */
export interface Parker {
  park(queue: string, message: ConsumeMessage, reason: string, signal?: AbortSignal): Promise<void>;
}

/** Headers a parked message carries (prefix `x-sidecar-`), read back by dead-letter tooling. */
export const PARKED_HEADERS = {
  reason: 'x-sidecar-reason',
  parkedAt: 'x-sidecar-parked-at',
  originalExchange: 'x-sidecar-original-exchange',
  originalRoutingKey: 'x-sidecar-original-routing-key',
  originalMessageId: 'x-sidecar-original-message-id',
} as const;

const MAX_REASON_LENGTH = 2000;

export function makeParker(publisher: ConfirmPublisher): Parker {
  return {
    park(queue, message, reason, signal) {
      const { properties, fields } = message;
      const headers: Record<string, unknown> = {
        ...copyableHeaders(properties.headers),
        [PARKED_HEADERS.reason]: reason.slice(0, MAX_REASON_LENGTH),
        [PARKED_HEADERS.parkedAt]: new Date().toISOString(),
        [PARKED_HEADERS.originalExchange]: fields.exchange,
        [PARKED_HEADERS.originalRoutingKey]: fields.routingKey,
      };
      if (typeof properties.messageId === 'string') {
        headers[PARKED_HEADERS.originalMessageId] = properties.messageId;
      }
      return publisher.publish(
        {
          // The default exchange routes by queue name: no binding to keep.
          exchange: '',
          routingKey: queue,
          body: message.content,
          options: {
            headers,
            ...(typeof properties.contentType === 'string' ? { contentType: properties.contentType } : {}),
          },
        },
        signal,
      );
    },
  };
}
