import { randomBytes } from 'node:crypto';

import type { ChannelModel, ConfirmChannel, Message, Options } from 'amqplib';

import { coerceError, type Logger, SidecarError, sleep } from '../shared/index.js';
import type { AmqpConnection } from './connection.js';

/**
 * Publishes on a confirm channel and resolves only when the broker has confirmed the message, so a
 * caller may ack the message it is handling afterwards (at-least-once). Every publish is `mandatory`:
 * a message no queue would receive comes back as an error instead of vanishing.
 *
 * The channel is recreated by the connection's setup after every reconnect. A publish made while
 * disconnected waits for the next channel, unless the caller's signal aborts first.
 */
export interface ConfirmPublisher {
  publish(request: PublishRequest, signal?: AbortSignal): Promise<void>;
  /** Runs a declaration on the publishing channel (e.g. a delay queue right before its publish). */
  withChannel<T>(work: (channel: ConfirmChannel) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Increases every time a new channel is opened; caches of declarations reset when it changes. */
  generation(): number;
}

export interface PublishRequest {
  exchange: string;
  routingKey: string;
  body: Buffer;
  options?: Options.Publish;
}

/** A 32-hex-character message id, the shape Magento's publishers use (md5 of uniqid). */
export function newMessageId(): string {
  return randomBytes(16).toString('hex');
}

export function makeConfirmPublisher(connection: AmqpConnection, parentLogger: Logger): ConfirmPublisher {
  const logger = parentLogger.child({ component: 'publisher' });
  let channel: ConfirmChannel | undefined;
  let channelGeneration = 0;
  const returned = new Set<string>();

  connection.addSetup(async (model: ChannelModel) => {
    const opened = await model.createConfirmChannel();
    channelGeneration += 1;
    opened.on('return', (message: Message) => {
      const id = message.properties.messageId as string | undefined;
      if (id !== undefined) {
        returned.add(id);
      }
    });
    opened.on('error', (error: Error) => logger.warn({ err: error }, 'Publisher channel error'));
    opened.on('close', () => {
      if (channel === opened) {
        channel = undefined;
        // The connection may still be up (a channel-level error such as PRECONDITION_FAILED):
        // recycle it so the setups run again and a new channel opens.
        connection.recycle('publisher channel closed');
      }
    });
    channel = opened;
  });

  const acquire = async (signal?: AbortSignal): Promise<ConfirmChannel> => {
    while (channel === undefined) {
      await connection.waitUntilConnected(signal);
      if (channel === undefined) {
        // Connected, but this channel's setup has not run yet: give the event loop a turn.
        await sleep(20, signal);
      }
    }
    return channel;
  };

  const publishOn = (target: ConfirmChannel, request: PublishRequest, messageId: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const onConfirm = (error: unknown): void => {
        const wasReturned = returned.delete(messageId);
        if (error !== null && error !== undefined) {
          reject(
            new SidecarError('SC_ERR_AMQP_PUBLISH', `RabbitMQ refused the message to ${describe(request)}`, {
              cause: error,
            }),
          );
        } else if (wasReturned) {
          reject(
            new SidecarError(
              'SC_ERR_AMQP_UNROUTABLE',
              `No queue is bound for ${describe(request)}; the message was returned`,
            ),
          );
        } else {
          resolve();
        }
      };
      try {
        target.publish(
          request.exchange,
          request.routingKey,
          request.body,
          { persistent: true, mandatory: true, ...request.options, messageId },
          onConfirm,
        );
      } catch (error: unknown) {
        reject(
          new SidecarError('SC_ERR_AMQP_PUBLISH', `Publishing to ${describe(request)} failed`, {
            cause: coerceError(error),
          }),
        );
      }
    });

  return {
    async publish(request, signal) {
      const messageId = request.options?.messageId ?? newMessageId();
      const target = await acquire(signal);
      await publishOn(target, request, messageId);
    },
    async withChannel(work, signal) {
      return work(await acquire(signal));
    },
    generation: () => channelGeneration,
  };
}

function describe(request: PublishRequest): string {
  return `exchange "${request.exchange || '(default)'}" with routing key "${request.routingKey}"`;
}
