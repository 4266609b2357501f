import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';

import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';

import { coerceError, type Logger, sleep } from '../shared/index.js';
import { type AckBatcher, makeAckBatcher } from './ackBatcher.js';
import type { AmqpConnection } from './connection.js';
import type { Parker } from './parking.js';

/**
 * A queue consumer with bounded concurrency (prefetch) that acks a message only after its handler
 * has finished, on the channel the message arrived on. When that channel is gone (connection lost),
 * the ack is skipped: the broker redelivers the message, which is the at-least-once contract.
 * Acks of messages finishing together (one group-committed log batch) go out as one `multiple`
 * ack (ackBatcher.ts).
 *
 * States: idle → consuming (per connection) → stopping (cancelled, draining in-flight) → stopped.
 * Besides, a bounded map counts how often each message's handler threw: a message that keeps
 * failing is parked with the last error after `poison.maxFailures` tries instead of looping.
 */
export interface MessageContext {
  /** Aborted when the channel the message came on closes: its ack can no longer happen. */
  signal: AbortSignal;
  /** When the consumer received the message (performance.now()). */
  receivedAt: number;
}

/**
 * Handles one message. Resolve when its outcome is durable (the consumer then acks). Throw only for
 * failures that deserve another try later (the message is requeued after a pause); handlers park
 * messages they can never process instead of throwing.
 */
export type MessageHandler = (message: ConsumeMessage, context: MessageContext) => Promise<void>;

export interface Consumer {
  /** Number of messages being handled now. */
  inFlight(): number;
  /** Stops taking new messages and waits until in-flight ones are done or `signal` aborts. */
  stop(signal?: AbortSignal): Promise<void>;
}

export interface ConsumerOptions {
  connection: AmqpConnection;
  queue: string;
  prefetch: number;
  handler: MessageHandler;
  logger: Logger;
  /** Pause before a failed message is requeued, so a persistent failure cannot spin. @default 1000 ms */
  requeueDelayMs?: number;
  /** Where a message goes once its handler has thrown `maxFailures` times (never loops forever). */
  poison: PoisonOptions;
}

export interface PoisonOptions {
  parker: Parker;
  /** The queue it is parked in, with the last error as the reason. */
  queue: string;
  /** Handler failures (throws) before the message is parked. @default 5 */
  maxFailures?: number;
  /** Told about every message parked this way (metrics). */
  onParked?: (queue: string) => void;
}

/** Messages whose failures are remembered at once; the oldest is forgotten beyond this. */
const MAX_TRACKED_FAILURES = 10_000;

export function makeConsumer(options: ConsumerOptions): Consumer {
  const logger = options.logger.child({ component: 'consumer', queue: options.queue });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let active: { channel: Channel; consumerTag: string; acks: AckBatcher } | undefined;

  const maxFailures = options.poison.maxFailures ?? 5;
  // Failures per message (its id, or a hash of its body when it has none), in insertion order.
  const failures = new Map<string, number>();

  const handle = (
    channel: Channel,
    acks: AckBatcher,
    closed: AbortController,
    message: ConsumeMessage,
  ): void => {
    const context: MessageContext = { signal: closed.signal, receivedAt: performance.now() };
    const tag = message.fields.deliveryTag;
    acks.received(tag);
    const work = (async () => {
      try {
        await options.handler(message, context);
        if (failures.size > 0) {
          failures.delete(failureKeyOf(message));
        }
        settle(closed, () => acks.done(tag));
      } catch (error: unknown) {
        if (closed.signal.aborted) {
          // The channel went away mid-handling (connection lost, shutdown): not the message's fault.
          logger.debug({ err: coerceError(error) }, 'Handling interrupted by a closed channel');
          return;
        }
        await failed(channel, acks, closed, message, coerceError(error));
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  // A handler throws only for failures worth another try; one that throws every time (a bug, a
  // message no check foresaw) would otherwise be redelivered forever. Count, then park.
  const failed = async (
    channel: Channel,
    acks: AckBatcher,
    closed: AbortController,
    message: ConsumeMessage,
    error: Error,
  ): Promise<void> => {
    const key = failureKeyOf(message);
    const count = (failures.get(key) ?? 0) + 1;
    failures.delete(key);
    if (count >= maxFailures) {
      const reason = `Handling failed ${count} times; last error: ${error.message}`;
      try {
        await options.poison.parker.park(options.poison.queue, message, reason, closed.signal);
        logger.error({ err: error, parkedIn: options.poison.queue, failures: count }, 'Message parked');
        options.poison.onParked?.(options.poison.queue);
        settle(closed, () => acks.done(message.fields.deliveryTag));
        return;
      } catch (parkError: unknown) {
        logger.error(
          { err: coerceError(parkError) },
          'Parking a failing message failed; it will be requeued',
        );
      }
    }
    failures.set(key, count);
    if (failures.size > MAX_TRACKED_FAILURES) {
      const oldest = failures.keys().next();
      if (oldest.done !== true) {
        failures.delete(oldest.value);
      }
    }
    logger.error(
      { err: error, deliveryTag: message.fields.deliveryTag, failures: count, maxFailures },
      'Message handling failed; it will be requeued',
    );
    await sleep(options.requeueDelayMs ?? 1000).catch(() => undefined);
    settle(closed, () => {
      acks.settledElsewhere(message.fields.deliveryTag);
      channel.nack(message, false, true);
    });
  };

  const settle = (closed: AbortController, action: () => void): void => {
    if (closed.signal.aborted) {
      logger.debug('Channel closed before the outcome was acknowledged; the broker will redeliver');
      return;
    }
    try {
      action();
    } catch (error: unknown) {
      logger.warn({ err: coerceError(error) }, 'Acknowledgement failed; the broker will redeliver');
    }
  };

  options.connection.addSetup(async (model: ChannelModel) => {
    if (stopping) {
      return;
    }
    const channel = await model.createChannel();
    const closed = new AbortController();
    // Every in-flight message may listen on this signal (REST calls, publishes): up to the prefetch.
    setMaxListeners(options.prefetch * 4 + 10, closed.signal);
    channel.on('error', (error: Error) => logger.warn({ err: error }, 'Consumer channel error'));
    channel.on('close', () => {
      closed.abort(new Error(`channel of ${options.queue} closed`));
      if (active?.channel === channel) {
        active = undefined;
        if (!stopping) {
          options.connection.recycle(`consumer channel of ${options.queue} closed`);
        }
      }
    });
    await channel.prefetch(options.prefetch);
    const acks = makeAckBatcher({
      ack: (tag, multiple) =>
        // amqplib reads only fields.deliveryTag of the message it is given.
        settle(closed, () => channel.ack({ fields: { deliveryTag: tag } } as ConsumeMessage, multiple)),
    });
    const { consumerTag } = await channel.consume(options.queue, (message) => {
      if (message === null) {
        // The broker cancelled the consumer (queue deleted): reconnect to re-assert and resubscribe.
        logger.warn('Consumer cancelled by the broker');
        options.connection.recycle(`consumer of ${options.queue} cancelled by the broker`);
        return;
      }
      handle(channel, acks, closed, message);
    });
    active = { channel, consumerTag, acks };
  });

  return {
    inFlight: () => inFlight.size,
    async stop(signal) {
      stopping = true;
      const current = active;
      logger.debug({ inFlight: inFlight.size }, 'Consumer stopping');
      if (current !== undefined) {
        await current.channel.cancel(current.consumerTag).catch((error: unknown) => {
          logger.debug({ err: coerceError(error) }, 'Cancel failed (channel already closed)');
        });
      }
      while (inFlight.size > 0 && !signal?.aborted) {
        await Promise.race([Promise.allSettled([...inFlight]), abortPromise(signal)]);
      }
      // Close the channel before the connection goes: the channel's close handshake is queued
      // behind its acks, whereas a connection close can overtake acks still buffered in amqplib,
      // and the broker would redeliver messages that were in fact done.
      if (current !== undefined && active === current) {
        current.acks.flush();
        await current.channel.close().catch((error: unknown) => {
          logger.debug({ err: coerceError(error) }, 'Channel close failed (already closed)');
        });
      }
      logger.debug({ inFlight: inFlight.size }, 'Consumer stopped');
    },
  };
}

function failureKeyOf(message: ConsumeMessage): string {
  const messageId: unknown = message.properties.messageId;
  if (typeof messageId === 'string' && messageId !== '') {
    return `id:${messageId}`;
  }
  return `sha1:${createHash('sha1').update(message.content).digest('hex')}`;
}

function abortPromise(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) {
    return new Promise(() => undefined);
  }
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
