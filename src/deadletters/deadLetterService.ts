import type { Channel, GetMessage } from 'amqplib';

import {
  type AmqpConnection,
  type ConfirmPublisher,
  copyableHeaders,
  EXCHANGES,
  PARKED_HEADERS,
  QUEUES,
  RESOLVE_ATTEMPT_HEADER,
  type RetryScheduler,
  ROUTING_KEYS,
} from '../amqp/index.js';
import { parseRetryMessage, type RetryMessage } from '../messages/index.js';
import { ApiError } from '../shared/index.js';

/**
 * Looks into the dead-letter queues without consuming them (messages are fetched unacknowledged
 * and the channel is closed, which puts them back) and re-drives chosen messages: a killed
 * delivery starts a new retry chain; a parked trigger or retry message goes back where it came from.
 */
export const DEAD_LETTER_QUEUES = [
  QUEUES.deadLetter,
  QUEUES.triggerDeadLetter,
  QUEUES.triggerInvalid,
  QUEUES.retryInvalid,
] as const;
export type DeadLetterQueue = (typeof DEAD_LETTER_QUEUES)[number];

export interface DeadLetter {
  queue: DeadLetterQueue;
  message_id: string | null;
  reason: string | null;
  parked_at: string | null;
  /** For a killed delivery: its subscription and chain. */
  subscription_id: number | null;
  uuid: string | null;
  event_name: string | null;
  size: number;
  body_preview: string;
}

export interface DeadLetterService {
  list(
    queue: DeadLetterQueue,
    limit: number,
  ): Promise<{ queue: DeadLetterQueue; total: number; messages: DeadLetter[] }>;
  redrive(
    queue: DeadLetterQueue,
    choice: { messageIds: readonly string[] } | { all: true; limit: number },
  ): Promise<{ queue: DeadLetterQueue; redriven: string[]; not_found: string[] }>;
}

const PREVIEW = 500;
const MAX_SCAN = 10_000;

export function parseDeadLetterQueue(raw: unknown): DeadLetterQueue {
  if (typeof raw === 'string' && (DEAD_LETTER_QUEUES as readonly string[]).includes(raw)) {
    return raw as DeadLetterQueue;
  }
  throw new ApiError('SC_ERR_INPUT', '"%queue" is not a dead-letter queue; use one of %queues.', {
    parameters: {
      queue: typeof raw === 'string' ? raw.slice(0, 100) : String(typeof raw),
      queues: DEAD_LETTER_QUEUES.join(', '),
    },
  });
}

function header(message: GetMessage, name: string): string | null {
  const value: unknown = message.properties.headers?.[name];
  return typeof value === 'string' ? value : null;
}

/** The event name and id at the head of a CloudEvent body the sidecar wrote (`{"specversion","id","source","type"…`). */
function cloudEventHead(content: Buffer): { id: string; type: string } | null {
  const head = /"id":"([^"]{1,64})","source":"[^"]*","type":"([a-zA-Z0-9._-]{1,255})"/.exec(
    content.subarray(0, 512).toString('latin1'),
  );
  return head === null ? null : { id: head[1] ?? '', type: head[2] ?? '' };
}

/**
 * The chain's uuid: kill messages carry none upstream, so the delivery id inside the CloudEvent
 * stands in, which keeps a re-driven chain under the uuid its earlier attempts were logged with.
 */
function chainUuid(parsed: RetryMessage): string {
  return parsed.uuidGenerated ? (cloudEventHead(parsed.content)?.id ?? parsed.uuid) : parsed.uuid;
}

function describe(queue: DeadLetterQueue, message: GetMessage): DeadLetter {
  const body = message.content;
  let subscriptionId: number | null = null;
  let uuid: string | null = null;
  let eventName: string | null = null;
  if (queue === QUEUES.deadLetter || queue === QUEUES.retryInvalid) {
    const parsed = parseRetryMessage(body);
    if (parsed.ok) {
      subscriptionId = parsed.value.subscriptionId;
      uuid = chainUuid(parsed.value);
      eventName = cloudEventHead(parsed.value.content)?.type ?? null;
    }
  } else {
    eventName = /^\["([a-zA-Z0-9._-]{1,255})"/.exec(body.subarray(0, 300).toString('latin1'))?.[1] ?? null;
  }
  return {
    queue,
    message_id: typeof message.properties.messageId === 'string' ? message.properties.messageId : null,
    reason: header(message, PARKED_HEADERS.reason),
    parked_at: header(message, PARKED_HEADERS.parkedAt),
    subscription_id: subscriptionId,
    uuid,
    event_name: eventName,
    size: body.length,
    body_preview: body.subarray(0, PREVIEW).toString('utf8'),
  };
}

/** Headers for a message sent back into the pipeline: no parking notes, attempts start again. */
function freshHeaders(message: GetMessage): Record<string, unknown> {
  const headers = copyableHeaders(message.properties.headers);
  for (const name of Object.keys(headers)) {
    if (name.startsWith('x-sidecar-') || name === RESOLVE_ATTEMPT_HEADER) {
      delete headers[name];
    }
  }
  return headers;
}

export function makeDeadLetterService(options: {
  connection: AmqpConnection;
  publisher: ConfirmPublisher;
  retries: RetryScheduler;
  /** Broker wait before a request fails with 503. @default 10000 ms */
  timeoutMs?: number;
}): DeadLetterService {
  const timeout = () => AbortSignal.timeout(options.timeoutMs ?? 10_000);

  /** Runs `work` on a channel that is closed afterwards: everything not acked goes back to its queue. */
  const withChannel = async <T>(work: (channel: Channel) => Promise<T>): Promise<T> => {
    const channel = await options.connection.openChannel(timeout());
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };

  const sendBack = async (queue: DeadLetterQueue, message: GetMessage): Promise<void> => {
    const signal = timeout();
    if (queue === QUEUES.deadLetter) {
      const parsed = parseRetryMessage(message.content);
      if (!parsed.ok) {
        throw new ApiError('SC_ERR_INPUT', 'Message %1 is not a retry message: %2', {
          parameters: [message.properties.messageId ?? '', parsed.reason],
        });
      }
      const { subscriptionId, content } = parsed.value;
      await options.retries.init({ subscriptionId, content, uuid: chainUuid(parsed.value) }, signal);
      return;
    }
    const toTrigger = queue === QUEUES.triggerDeadLetter || queue === QUEUES.triggerInvalid;
    await options.publisher.publish(
      {
        exchange: toTrigger ? EXCHANGES.magento : EXCHANGES.failover,
        routingKey: toTrigger ? ROUTING_KEYS.trigger : ROUTING_KEYS.retry,
        body: message.content,
        options: { headers: freshHeaders(message) },
      },
      signal,
    );
  };

  return {
    async list(queue, limit) {
      return withChannel(async (channel) => {
        const { messageCount } = await channel.checkQueue(queue);
        const messages: DeadLetter[] = [];
        while (messages.length < Math.min(limit, messageCount)) {
          const message = await channel.get(queue, { noAck: false });
          if (message === false) {
            break;
          }
          messages.push(describe(queue, message));
        }
        return { queue, total: messageCount, messages };
      });
    },

    async redrive(queue, choice) {
      return withChannel(async (channel) => {
        const { messageCount } = await channel.checkQueue(queue);
        const wanted = 'messageIds' in choice ? new Set(choice.messageIds) : undefined;
        const budget =
          'messageIds' in choice ? Math.min(messageCount, MAX_SCAN) : Math.min(messageCount, choice.limit);
        const redriven: string[] = [];
        for (let scanned = 0; scanned < budget; scanned += 1) {
          const message = await channel.get(queue, { noAck: false });
          if (message === false) {
            break;
          }
          const id = typeof message.properties.messageId === 'string' ? message.properties.messageId : '';
          if (wanted !== undefined && !wanted.has(id)) {
            continue; // stays unacked: back to the queue when the channel closes
          }
          await sendBack(queue, message);
          channel.ack(message);
          redriven.push(id);
          if (wanted !== undefined && redriven.length === wanted.size) {
            break;
          }
        }
        const notFound = wanted === undefined ? [] : [...wanted].filter((id) => !redriven.includes(id));
        return { queue, redriven, not_found: notFound };
      });
    },
  };
}
