import type { Semaphore } from '../shared/index.js';
import type { Subscription } from '../store/index.js';
import type { AttemptOutcome } from './outcome.js';
import type { SinkFormat, SinkRegistry } from './sinks/index.js';
import type { TokenVault } from './tokenVault.js';

export interface DeliveryAttempt {
  subscription: Subscription;
  body: Buffer;
  uuid: string;
  eventName: string;
  /** How the sink presents the delivery (from the subscription's controls). */
  format: SinkFormat;
  signal?: AbortSignal | undefined;
}

/**
 * Carries out one attempt for one subscription: picks the sink by `metadata`, decrypts the token
 * and calls the sink within the global delivery concurrency. A subscription that cannot be served
 * (unknown sink, undecryptable token) is a failed, final attempt for it alone.
 */
export interface Dispatcher {
  attempt(attempt: DeliveryAttempt): Promise<AttemptOutcome>;
  /** The circuit-breaker key of the subscription's destination; undefined when no sink serves it. */
  destinationOf(subscription: Subscription): string | undefined;
}

export function makeDispatcher(options: {
  sinks: SinkRegistry;
  tokens: TokenVault;
  semaphore: Semaphore;
}): Dispatcher {
  return {
    async attempt({ subscription, body, uuid, eventName, format, signal }) {
      const sink = options.sinks.get(subscription.metadata);
      if (sink === undefined) {
        return {
          ok: false,
          retryable: false,
          responseData: `No sink for metadata "${subscription.metadata}" (known: ${[...options.sinks.keys()].join(', ')}); subscription ${subscription.subscriptionId} cannot be delivered`,
        };
      }
      const token = options.tokens.secretFor(subscription.verificationToken);
      if (!token.ok) {
        return { ok: false, retryable: false, responseData: token.reason };
      }
      return options.semaphore.run(() =>
        sink.deliver({
          subscription,
          body,
          uuid,
          eventName,
          secret: token.secret,
          format,
          signal,
        }),
      );
    },
    destinationOf(subscription) {
      const sink = options.sinks.get(subscription.metadata);
      return sink === undefined ? undefined : `${sink.name} ${sink.destinationOf(subscription.recipientUrl)}`;
    },
  };
}
