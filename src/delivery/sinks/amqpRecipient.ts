import { redactUrl } from '../../config/index.js';
import type { RecipientProblem } from './sink.js';

/**
 * `amqp://user:pass@host:port/vhost?exchange=orders&routingKey=sales.order.created` (or amqps://).
 * `exchange` is required; `routingKey` defaults to the event name. Other query parameters
 * (heartbeat, frameMax, …) stay on the broker URL for amqplib.
 */
export interface AmqpRecipient {
  /** Where to connect, credentials included. Never log it: use `brokerKey`. */
  brokerUrl: string;
  /** scheme://host:port/vhost without credentials: the pool and circuit-breaker key. */
  brokerKey: string;
  host: string;
  exchange: string;
  routingKey: string | undefined;
}

export function parseAmqpRecipient(recipient: string): AmqpRecipient | RecipientProblem {
  let url: URL;
  try {
    url = new URL(recipient);
  } catch {
    return problem('"%fieldName" must be an amqp:// or amqps:// URL with an exchange, e.g. %example.');
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
    return problem('"%fieldName" must be an amqp:// or amqps:// URL with an exchange, e.g. %example.');
  }
  const exchange = url.searchParams.get('exchange') ?? '';
  if (exchange.trim() === '' || exchange.length > 255) {
    return problem('"%fieldName" must name the exchange to publish to (?exchange=…), e.g. %example.');
  }
  const routingKey = url.searchParams.get('routingKey') ?? undefined;
  if (routingKey !== undefined && Buffer.byteLength(routingKey) > 255) {
    return problem('The routing key of "%fieldName" is longer than 255 bytes.');
  }
  url.searchParams.delete('exchange');
  url.searchParams.delete('routingKey');
  const port = url.port === '' ? (url.protocol === 'amqp:' ? '5672' : '5671') : url.port;
  return {
    brokerUrl: url.href,
    brokerKey: `${url.protocol}//${url.hostname}:${port}${url.pathname === '' ? '/' : url.pathname}`,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    exchange,
    routingKey,
  };
}

export function isRecipientProblem(value: AmqpRecipient | RecipientProblem): value is RecipientProblem {
  return 'message' in value;
}

/** For log lines: the broker without credentials. */
export function describeBroker(recipient: AmqpRecipient): string {
  return redactUrl(recipient.brokerKey);
}

function problem(message: string): RecipientProblem {
  return {
    message,
    parameters: {
      fieldName: 'recipient_url',
      example: 'amqp://user:password@rabbitmq.example.com:5672/vhost?exchange=magento.events',
    },
  };
}
