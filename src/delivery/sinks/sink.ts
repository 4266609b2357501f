import type { Subscription } from '../../store/index.js';
import type { AttemptOutcome } from '../outcome.js';

/** One delivery for a sink to carry out. */
export interface SinkDelivery {
  subscription: Subscription;
  /** The exact bytes to send (and that were signed). */
  body: Buffer;
  /** Delivery uuid (CloudEvent id). */
  uuid: string;
  eventName: string;
  /** The decrypted verification token. Never log it. */
  secret: string;
  signal?: AbortSignal;
}

/**
 * A destination kind, chosen by the subscription's `metadata` (as upstream picks a notifier).
 * Adding one is one file implementing this interface, registered in sinks/index.ts.
 * `deliver` never throws for the receiver's failures: it returns a failed outcome.
 */
export interface Sink {
  readonly name: string;
  deliver(delivery: SinkDelivery): Promise<AttemptOutcome>;
  close(): Promise<void>;
}
