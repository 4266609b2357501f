/**
 * When a delivery that was not admitted (limits, open circuit) is tried again. Delay queues are
 * named by their number of seconds, so every delay is a step of a short fixed ladder: at most
 * DEFERRAL_LADDER_S.length queues however many deliveries wait.
 */
export const DEFERRAL_LADDER_S = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600,
] as const;
/** Repeated deferrals of one delivery wait at least 1, 2, 4, then 8 s. */
const BACKOFF_STEPS_S = [1, 2, 4, 8] as const;

/**
 * The delay before a deferred delivery is tried again: at least a step that grows with each
 * deferral of the same delivery (1, 2, 4, 8 s), at least `atLeastS`, rounded up to a ladder step.
 */
export function deferralDelaySeconds(deferrals: number, atLeastS = 0): number {
  const index = Math.min(Math.max(1, deferrals), BACKOFF_STEPS_S.length) - 1;
  const wanted = Math.max(BACKOFF_STEPS_S[index] ?? 8, atLeastS);
  return DEFERRAL_LADDER_S.find((step) => step >= wanted) ?? 3600;
}

export interface DeferralPlanner {
  /**
   * The delay (a ladder step) of a delivery refused now. It queues behind the subscription's other
   * deferred deliveries at the pace the subscription can take (its rate, or its in-flight cap
   * over its recent delivery time), so a burst of deferrals comes back spread out instead of all
   * at once, only to be refused again.
   */
  plan(request: {
    subscriptionId: number;
    reason: 'concurrency' | 'rate' | 'circuit';
    retryInS: number;
    maxInFlight: number;
    ratePerSecond: number;
    /** Deferrals of this delivery before this one. */
    deferrals: number;
  }): number;
  /** A deferred delivery came back to be tried again. */
  returned(subscriptionId: number): void;
}
/** A backlog untouched this long is forgotten (its deliveries were dropped, e.g. the subscription was disabled). */
const BACKLOG_TTL_MS = 120_000;

/** State per subscription: deliveries deferred and not yet back. */
export function makeDeferralPlanner(options: {
  /** The subscription's average delivery time, in ms (the admission gate measures it). */
  durationOf: (subscriptionId: number) => number;
  now?: () => number;
}): DeferralPlanner {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<number, { backlog: number; touched: number }>();
  const entryOf = (subscriptionId: number) => {
    let entry = entries.get(subscriptionId);
    if (entry === undefined || now() - entry.touched > BACKLOG_TTL_MS) {
      entry = { backlog: 0, touched: now() };
      entries.set(subscriptionId, entry);
    }
    return entry;
  };

  return {
    plan({ subscriptionId, reason, retryInS, maxInFlight, ratePerSecond, deferrals }) {
      const entry = entryOf(subscriptionId);
      entry.backlog += 1;
      entry.touched = now();
      const perSecond =
        reason === 'rate' && ratePerSecond > 0
          ? ratePerSecond
          : maxInFlight / Math.max(1, options.durationOf(subscriptionId) / 1000);
      const spreadS = reason === 'circuit' ? 0 : entry.backlog / perSecond;
      return deferralDelaySeconds(deferrals + 1, Math.max(spreadS, retryInS));
    },
    returned(subscriptionId) {
      const entry = entries.get(subscriptionId);
      if (entry !== undefined && entry.backlog > 0) {
        entry.backlog -= 1;
        entry.touched = now();
      }
    },
  };
}
