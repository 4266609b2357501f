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
  // The runner asks for every delivery, twice for a first one (refusalNow, then run): keep the key
  // per subscription object (the cache builds new objects on each reload and never changes one),
  // so it is neither built nor, as a Map key, flattened and hashed again. null: no sink serves it.
  const destinations = new WeakMap<Subscription, string | null>();
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
      let destination = destinations.get(subscription);
      if (destination === undefined) {
        const sink = options.sinks.get(subscription.metadata);
        destination =
          sink === undefined ? null : `${sink.name} ${sink.destinationOf(subscription.recipientUrl)}`;
        destinations.set(subscription, destination);
      }
      return destination ?? undefined;
    },
  };
}
