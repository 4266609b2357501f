import type { CloudEventsMode } from '../../config/index.js';
import type { Subscription } from '../../store/index.js';
import type { AttemptOutcome } from '../outcome.js';

/** How a delivery is presented, from the subscription's delivery controls. */
export interface SinkFormat {
  /** Add `webhook-id`, `webhook-timestamp`, `webhook-signature` (sinks with headers). */
  standardWebhooks: boolean;
  /** `structured`: the body as is; `binary`: `ce-*` headers and the raw `data` (http only). */
  cloudEventsMode: CloudEventsMode;
}

/** One delivery for a sink to carry out. */
export interface SinkDelivery {
  subscription: Subscription;
  /** The delivery body as logged and retried (a structured CloudEvent, or a 3.x body). */
  body: Buffer;
  /** Delivery uuid (CloudEvent id). */
  uuid: string;
  eventName: string;
  /** The decrypted verification token. Never log it. */
  secret: string;
  format: SinkFormat;
  signal?: AbortSignal | undefined;
}

/** Why a recipient cannot be subscribed, as a Magento phrase with its parameters. */
export interface RecipientProblem {
  message: string;
  parameters: Record<string, unknown>;
}

/**
 * A destination kind, chosen by the subscription's `metadata` (as upstream picks a notifier).
 * Adding one is one file implementing this interface, passed to `makeSinkRegistry` in main.ts.
 * `deliver` never throws for the receiver's failures: it returns a failed outcome.
 */
export interface Sink {
  /** The `metadata` value that selects this sink. */
  readonly name: string;
  /** Validates a `recipient_url` when a subscription is created or switched to this sink. */
  checkRecipient(recipient: string): Promise<RecipientProblem | undefined>;
  /**
   * The circuit-breaker key of a recipient: what fails together (an http origin, a broker, a
   * queue). Only used as a map key, never as a metric label or log field (it may hold credentials).
   */
  destinationOf(recipient: string): string;
  deliver(delivery: SinkDelivery): Promise<AttemptOutcome>;
  close(): Promise<void>;
}
