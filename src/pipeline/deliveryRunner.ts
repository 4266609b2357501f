import type { DeliveryControls } from '../config/index.js';
import {
  type AdmissionGate,
  type CircuitBreakers,
  type DeferralPlanner,
  type HealthTracker,
  makeDeferralPlanner,
} from '../controls/index.js';
import type { AttemptOutcome, Dispatcher } from '../delivery/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Logger } from '../shared/index.js';
import { makeControlsResolver, type Subscription } from '../store/index.js';

export type DeferralReason = 'concurrency' | 'rate' | 'circuit';

/** An attempt that was made, or a delivery that was not admitted now (held, or back to the retry path). */
export type RunResult =
  | {
      kind: 'attempted';
      outcome: AttemptOutcome;
      startedAt: number;
      controls: DeliveryControls;
      /** The body sent. */
      body: Buffer;
    }
  | {
      kind: 'deferred';
      reason: DeferralReason;
      message: string;
      /** When to try again: a step of the deferral ladder, spread behind the subscription's backlog. */
      delaySeconds: number;
      controls: DeliveryControls;
    };

export interface DeliveryRequest {
  subscription: Subscription;
  /** The body, or how to build it: a delivery that is not admitted never needs one. */
  body: Buffer | (() => Buffer);
  uuid: string;
  eventName: string;
  /** Times this delivery was deferred before (header x-sidecar-deferrals of a retry). @default 0 */
  deferrals?: number;
  /**
   * A refusal will be held in the backlog, not put on the retry ladder: the deferral planner is
   * left out of it and `delaySeconds` is the refusal's own wait. @default false
   */
  held?: boolean;
  signal?: AbortSignal;
}

export type Deferral = Extract<RunResult, { kind: 'deferred' }>;

export interface DeliveryRunner {
  run(request: DeliveryRequest): Promise<RunResult>;
  /**
   * The refusal a first delivery to this subscription would meet at once (its destination's circuit
   * is open, or its slots are taken with no turn expected within the wait bound), as `run` with
   * `held` would answer it, without attempting or queueing anything; undefined when only `run` can
   * tell. Counted as a deferral, as `run` counts one. Synchronous, so that a subscriber that is down
   * costs its events no promise chain.
   */
  refusalNow(subscription: Subscription): Deferral | undefined;
  /** How long a delivery to this subscription takes now (admissionGate.ts deliveryTimeMs), in ms. */
  expectedDurationMs(subscriptionId: number): number;
}

export interface DeliveryRunnerOptions {
  dispatcher: Dispatcher;
  gate: AdmissionGate;
  breakers: CircuitBreakers;
  health: HealthTracker;
  /** @default a planner of its own */
  planner?: DeferralPlanner;
  /** Controls of subscriptions without their own (SUBSCRIPTION_*). */
  defaults: DeliveryControls;
  metrics: Metrics;
  logger: Logger;
}

/**
 * One delivery under the subscription's controls, for both consumers (so limits hold across
 * them): the destination's circuit → the subscription's in-flight and rate limits (a bounded
 * wait) → the sink → the circuit and the subscription's health learn the outcome (410 Gone or a
 * long run of failures disables it). A delivery that is not admitted is not attempted: the caller
 * holds it in the backlog (a first delivery) or puts it back on the retry path (a retry) and acks,
 * so it never holds its message for long.
 */
export function makeDeliveryRunner(options: DeliveryRunnerOptions): DeliveryRunner {
  const logger = options.logger.child({ component: 'controls' });
  const planner =
    options.planner ?? makeDeferralPlanner({ durationOf: (id) => options.gate.averageDurationMs(id) });
  const controlsOf = makeControlsResolver(options.defaults);

  const deferred = (
    subscription: Subscription,
    controls: DeliveryControls,
    refusal: { reason: DeferralReason; message: string; retryInS: number },
    deferrals: number,
    held: boolean,
  ): Deferral => {
    const { subscriptionId } = subscription;
    options.metrics.deferred.inc({ subscription: String(subscriptionId), reason: refusal.reason });
    const delaySeconds = held
      ? Math.max(1, refusal.retryInS)
      : planner.plan({ subscriptionId, ...refusal, ...controls, deferrals });
    return { kind: 'deferred', reason: refusal.reason, message: refusal.message, delaySeconds, controls };
  };

  const openCircuit = (subscriptionId: number, retryInMs: number) => ({
    reason: 'circuit' as const,
    message: `the circuit of subscription ${subscriptionId}'s destination is open after repeated failures`,
    retryInS: Math.ceil(retryInMs / 1000),
  });

  return {
    expectedDurationMs: (subscriptionId) => options.gate.deliveryTimeMs(subscriptionId),
    refusalNow(subscription) {
      const controls = controlsOf(subscription.controls);
      const destination = options.dispatcher.destinationOf(subscription);
      const closedInMs = destination === undefined ? undefined : options.breakers.refusingFor(destination);
      if (closedInMs !== undefined) {
        return deferred(
          subscription,
          controls,
          openCircuit(subscription.subscriptionId, closedInMs),
          0,
          true,
        );
      }
      const refusal = options.gate.refusalNow(subscription.subscriptionId, controls);
      return refusal === undefined ? undefined : deferred(subscription, controls, refusal, 0, true);
    },
    async run({ subscription, body, uuid, eventName, deferrals = 0, held = false, signal }) {
      if (deferrals > 0) {
        planner.returned(subscription.subscriptionId);
      }
      const controls = controlsOf(subscription.controls);
      const destination = options.dispatcher.destinationOf(subscription);
      const circuit =
        destination === undefined ? { ok: true as const, probe: false } : options.breakers.check(destination);
      if (!circuit.ok) {
        const refusal = openCircuit(subscription.subscriptionId, circuit.retryInMs);
        return deferred(subscription, controls, refusal, deferrals, held);
      }
      const admission = await options.gate.admit(subscription.subscriptionId, controls);
      if (!admission.ok) {
        if (circuit.probe && destination !== undefined) {
          options.breakers.cancelProbe(destination);
        }
        return deferred(subscription, controls, admission.refusal, deferrals, held);
      }
      const startedAt = performance.now();
      let outcome: AttemptOutcome;
      let sent: Buffer | undefined;
      try {
        sent = typeof body === 'function' ? body() : body;
        outcome = await options.dispatcher.attempt({
          subscription,
          body: sent,
          uuid,
          eventName,
          format: { standardWebhooks: controls.standardWebhooks, cloudEventsMode: controls.cloudEventsMode },
          signal,
        });
      } catch (error: unknown) {
        // Sinks return failures rather than throw; if one throws anyway, its probe must not stay out.
        if (circuit.probe && destination !== undefined) {
          options.breakers.cancelProbe(destination);
        }
        throw error;
      } finally {
        admission.permit.release();
      }
      if (destination !== undefined) {
        // A final answer (4xx) means the destination is up: only retryable failures count against it.
        const healthy = outcome.ok || !outcome.retryable;
        const transition = options.breakers.record(destination, healthy, circuit.probe);
        if (transition !== undefined) {
          logger.warn(
            {
              subscriptionId: subscription.subscriptionId,
              circuit: transition.to,
              previous: transition.from,
            },
            transition.to === 'open'
              ? 'Circuit opened: deliveries to this destination are held until it answers again'
              : 'Circuit closed',
          );
        }
      }
      await options.health.observe(subscription, controls, outcome);
      return { kind: 'attempted', outcome, startedAt, controls, body: sent };
    },
  };
}
