import type { DestinationGuard } from '../../security/index.js';
import { errorCodeOf, type Logger } from '../../shared/index.js';
import type { AttemptOutcome } from '../outcome.js';
import { signMagento, standardWebhookHeaders } from '../signing.js';
import { type AmqpBrokers, type ExchangeChannel, makeAmqpBrokers } from './amqpBrokers.js';
import { type AmqpRecipient, isRecipientProblem, parseAmqpRecipient } from './amqpRecipient.js';
import { deliveryCloudEvent } from './deliveryEvent.js';
import type { Sink, SinkDelivery } from './sink.js';

export interface AmqpSinkOptions {
  /** Longest wait for the broker's confirm of one publish. @default 15000 ms (DELIVERY_TIMEOUT_MS) */
  timeoutMs: number;
  /** TCP connect timeout. @default 5000 ms (DELIVERY_CONNECT_TIMEOUT_MS) */
  connectTimeoutMs: number;
  /** The broker host is a destination like a webhook's: private ranges need DESTINATION_ALLOW_CIDRS. */
  guard: DestinationGuard;
  logger: Logger;
}

/** Broker answers that will not change by trying again: the subscriber must fix its recipient. */
const FINAL_CODES = new Map<unknown, string>([
  [404, 'the exchange does not exist'],
  [403, 'access refused (user, password or permissions)'],
  [530, 'the vhost does not exist or the user may not use it'],
]);

/**
 * Metadata `amqp`: publishes the structured CloudEvent (`application/cloudevents+json`, persistent,
 * `message_id` = delivery uuid, `type` = event name) to an exchange of the recipient's RabbitMQ,
 * `mandatory` and with publisher confirms. Headers carry `x-magento-signature` (and the Standard
 * Webhooks headers when on). Unroutable, missing exchange, refused login: final. Unreachable
 * broker, no confirm in time, a nack: retryable.
 */
export function makeAmqpSink(options: AmqpSinkOptions): Sink {
  const brokers: AmqpBrokers = makeAmqpBrokers(options);

  const publish = (
    target: ExchangeChannel,
    recipient: AmqpRecipient,
    delivery: SinkDelivery,
    body: Buffer,
    type: string,
  ) =>
    new Promise<AttemptOutcome>((resolve) => {
      const routingKey = recipient.routingKey ?? delivery.eventName;
      const timer = setTimeout(() => {
        resolve({
          ok: false,
          retryable: true,
          responseData: `No publisher confirm within ${options.timeoutMs} ms`,
        });
      }, options.timeoutMs);
      const headers: Record<string, string> = { 'x-magento-signature': signMagento(delivery.secret, body) };
      if (delivery.format.standardWebhooks) {
        Object.assign(
          headers,
          standardWebhookHeaders(delivery.secret, delivery.uuid, Math.floor(Date.now() / 1000), body),
        );
      }
      try {
        target.channel.publish(
          recipient.exchange,
          routingKey,
          body,
          {
            persistent: true,
            mandatory: true,
            contentType: 'application/cloudevents+json',
            messageId: delivery.uuid,
            type,
            timestamp: Math.floor(Date.now() / 1000),
            appId: 'async-events-sidecar',
            headers,
          },
          (error: unknown) => {
            clearTimeout(timer);
            const returned = target.returned.delete(delivery.uuid);
            if (error !== null && error !== undefined) {
              resolve(failureOf(target.lastError ?? error));
            } else if (returned) {
              resolve({
                ok: false,
                retryable: false,
                responseData: `Unroutable: no queue is bound to exchange "${recipient.exchange}" for routing key "${routingKey}"; the broker returned the message`,
              });
            } else {
              resolve({
                ok: true,
                responseData: `Confirmed by the broker (exchange "${recipient.exchange}", routing key "${routingKey}")`,
              });
            }
          },
        );
      } catch (error: unknown) {
        clearTimeout(timer);
        resolve(failureOf(target.lastError ?? error));
      }
    });

  return {
    name: 'amqp',
    async checkRecipient(recipient) {
      const parsed = parseAmqpRecipient(recipient);
      if (isRecipientProblem(parsed)) {
        return parsed;
      }
      const checked = await options.guard.checkUrl(
        `http://${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}/`,
      );
      return checked.ok
        ? undefined
        : { message: 'Destination refused: %reason', parameters: { reason: checked.reason } };
    },
    destinationOf(recipient) {
      const parsed = parseAmqpRecipient(recipient);
      return isRecipientProblem(parsed) ? 'invalid' : parsed.brokerKey;
    },
    async deliver(delivery) {
      const recipient = parseAmqpRecipient(delivery.subscription.recipientUrl);
      if (isRecipientProblem(recipient)) {
        return {
          ok: false,
          retryable: false,
          responseData: `Invalid amqp recipient_url: ${recipient.message.replace('%fieldName', 'recipient_url')}`,
        };
      }
      const read = deliveryCloudEvent(delivery);
      if (!read.ok) {
        return read.outcome;
      }
      const { event } = read;
      let target: ExchangeChannel;
      try {
        target = await brokers.channelFor(recipient);
      } catch (error: unknown) {
        return failureOf(error, 'Cannot reach the broker');
      }
      return publish(target, recipient, delivery, event.structured, event.type);
    },
    close: () => brokers.close(),
  };
}

function failureOf(error: unknown, prefix = 'Publish failed'): AttemptOutcome {
  const code = errorCodeOf(error) ?? (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SC_ERR_DESTINATION_BLOCKED') {
    return { ok: false, retryable: false, responseData: message };
  }
  const numeric = typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : code;
  const final = FINAL_CODES.get(numeric) ?? finalFromMessage(message);
  if (final !== undefined) {
    return { ok: false, retryable: false, responseData: `${prefix}: ${final} (${message})` };
  }
  return {
    ok: false,
    retryable: true,
    responseData: `${prefix}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`,
  };
}

/** Handshake refusals arrive as a message without a code ("Handshake terminated by server: 403 …"). */
function finalFromMessage(message: string): string | undefined {
  const match = /(?:terminated|closed) by server: (403|404|530)\b/.exec(message);
  return match === null ? undefined : FINAL_CODES.get(Number(match[1]));
}
