/**
 * Delays of deliveries that were not attempted (limits, open circuit) and wait in the retry path.
 * Delay queues are named by their number of seconds, so the delays come from a short fixed ladder:
 * at most DEFERRAL_LADDER_S.length queues however many deliveries wait.
 */
export const DEFERRAL_LADDER_S = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;
/** Repeated deferrals back off along the ladder up to this many seconds. */
const BACKOFF_CAP_S = 60;

/**
 * The delay before a deferred delivery is tried again: longer for each deferral of the same
 * delivery (1, 2, 5, 10, 30, 60 s), at least `atLeastS` (e.g. the rest of a circuit's cool-down),
 * rounded up to a ladder step.
 */
export function deferralDelaySeconds(deferrals: number, atLeastS = 0): number {
  const steps = DEFERRAL_LADDER_S.filter((step) => step <= BACKOFF_CAP_S);
  const backoff = steps[Math.min(Math.max(1, deferrals), steps.length) - 1] ?? 1;
  const wanted = Math.max(backoff, atLeastS);
  return DEFERRAL_LADDER_S.find((step) => step >= wanted) ?? 3600;
}
