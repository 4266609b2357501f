import { type ChannelModel, type ConfirmChannel, connect, type Message } from 'amqplib';

import type { DestinationGuard } from '../../security/index.js';
import { coerceError, type Logger } from '../../shared/index.js';
import type { AmqpRecipient } from './amqpRecipient.js';

/**
 * The amqp sink's connections: one per broker URL (credentials and vhost included), opened on
 * first use, and one confirm channel per exchange on it, so an exchange that does not exist (the
 * broker closes that channel) cannot break publishes to the others. A closed connection or
 * channel leaves the pool and is opened again by the next delivery; idle connections are closed.
 *
 * A channel remembers the broker's close reason (`lastError`), which tells a missing exchange
 * (404) from a broken connection.
 */
export interface ExchangeChannel {
  channel: ConfirmChannel;
  /** message_ids the broker returned as unroutable (mandatory publishes), until their confirm. */
  returned: Set<string>;
  lastError: (Error & { code?: unknown }) | undefined;
}

export interface AmqpBrokers {
  channelFor(recipient: AmqpRecipient): Promise<ExchangeChannel>;
  close(): Promise<void>;
}

interface Broker {
  model: Promise<ChannelModel>;
  channels: Map<string, Promise<ExchangeChannel>>;
  lastUsed: number;
}

const IDLE_CLOSE_MS = 5 * 60_000;

export function makeAmqpBrokers(options: {
  connectTimeoutMs: number;
  guard: DestinationGuard;
  logger: Logger;
}): AmqpBrokers {
  const brokers = new Map<string, Broker>();
  const logger = options.logger.child({ component: 'amqp-sink' });

  const forget = (url: string, broker: Broker): void => {
    if (brokers.get(url) === broker) {
      brokers.delete(url);
    }
  };

  const open = (recipient: AmqpRecipient): Broker => {
    const literal = options.guard.literalBlockedBy(recipient.host);
    const model = (async () => {
      if (literal !== undefined) {
        throw Object.assign(new Error(`Destination blocked: ${literal}`), {
          code: 'SC_ERR_DESTINATION_BLOCKED',
        });
      }
      const connected = await connect(recipient.brokerUrl, {
        timeout: options.connectTimeoutMs,
        noDelay: true, // each delivery waits for its publish confirm
        lookup: options.guard.lookup,
        clientProperties: { connection_name: 'async-events-sidecar amqp sink' },
      });
      connected.on('error', (error: Error) =>
        logger.warn({ err: error, broker: recipient.brokerKey }, 'AMQP sink connection error'),
      );
      connected.on('close', () => forget(recipient.brokerUrl, broker));
      logger.info({ broker: recipient.brokerKey }, 'AMQP sink connected');
      return connected;
    })();
    const broker: Broker = { model, channels: new Map(), lastUsed: Date.now() };
    model.catch(() => forget(recipient.brokerUrl, broker));
    return broker;
  };

  const openChannel = async (broker: Broker, exchange: string): Promise<ExchangeChannel> => {
    const channel = await (await broker.model).createConfirmChannel();
    const entry: ExchangeChannel = { channel, returned: new Set(), lastError: undefined };
    channel.on('return', (message: Message) => {
      const id = message.properties.messageId as string | undefined;
      if (id !== undefined) {
        entry.returned.add(id);
      }
    });
    channel.on('error', (error: Error) => {
      entry.lastError = error;
    });
    channel.on('close', () => {
      const current = broker.channels.get(exchange);
      void current?.then(
        (found) => {
          if (found === entry && broker.channels.get(exchange) === current) {
            broker.channels.delete(exchange);
          }
        },
        () => undefined,
      );
    });
    return entry;
  };

  const sweep = setInterval(() => {
    for (const [url, broker] of brokers) {
      if (Date.now() - broker.lastUsed > IDLE_CLOSE_MS) {
        brokers.delete(url);
        void broker.model.then((model) => model.close()).catch(() => undefined); // idle: best effort
      }
    }
  }, 60_000);
  sweep.unref();

  return {
    async channelFor(recipient) {
      let broker = brokers.get(recipient.brokerUrl);
      if (broker === undefined) {
        broker = open(recipient);
        brokers.set(recipient.brokerUrl, broker);
      }
      broker.lastUsed = Date.now();
      let channel = broker.channels.get(recipient.exchange);
      if (channel === undefined) {
        channel = openChannel(broker, recipient.exchange);
        broker.channels.set(recipient.exchange, channel);
        const current = broker;
        channel.catch(() => current.channels.delete(recipient.exchange));
      }
      return channel;
    },
    async close() {
      clearInterval(sweep);
      const all = [...brokers.values()];
      brokers.clear();
      await Promise.all(
        all.map((broker) =>
          broker.model
            .then((model) => model.close())
            .catch((error: unknown) => logger.debug({ err: coerceError(error) }, 'AMQP sink close failed')),
        ),
      );
    },
  };
}
