import type { RetrySchedule } from '../config/index.js';
import { nextRetryDelaySeconds } from './backoff.js';

/**
 * The `extended` schedule: retries after about 1 min, 5 min, 30 min, 2 h, 5 h, 10 h and 24 h
 * (≈ 1.7 days in all, in the spirit of Stripe's and Svix's schedules). It has its own number of
 * retries; `max_deaths` governs the `upstream` schedule only.
 */
export const EXTENDED_SCHEDULE_S = [60, 300, 1800, 7200, 18_000, 36_000, 86_400] as const;

/**
 * Jitter spreads retries of a burst of failures, but every distinct delay is a delay queue of its
 * own (`event.delay.<N>`), so it is quantized: one of four fixed factors per step, at most
 * 4 × EXTENDED_SCHEDULE_S.length = 28 queues for the whole schedule.
 */
export const JITTER_FACTORS = [0.85, 0.95, 1.05, 1.15] as const;

/** Delay before extended retry `deathCount` (1-based), with quantized jitter. Pure given `random`. */
export function extendedRetryDelaySeconds(deathCount: number, random: () => number = Math.random): number {
  const step = Math.min(Math.max(1, Math.trunc(deathCount)), EXTENDED_SCHEDULE_S.length) - 1;
  const base = EXTENDED_SCHEDULE_S[step] ?? 86_400;
  const factor =
    JITTER_FACTORS[Math.min(JITTER_FACTORS.length - 1, Math.floor(random() * JITTER_FACTORS.length))] ?? 1;
  return Math.round(base * factor);
}

export type RetryPlan =
  { kind: 'init' } | { kind: 'place'; deathCount: number; delaySeconds: number } | { kind: 'kill' };

export interface RetryPlanInput {
  schedule: RetrySchedule;
  /** Retries made so far: 0 after the first attempt (from a trigger). */
  deathCount: number;
  /** The receiver's Retry-After, in seconds. */
  retryAfterS: number | undefined;
  retryAfterMaxS: number;
  /** `max_deaths` (upstream schedule). */
  maxDeaths: number;
  random?: () => number;
}

/**
 * What follows a retryable failure. `upstream` is design.md §3 exactly: init (1 s) after the first
 * attempt, then `event.delay.<N>` with N = Retry-After or min(60, n²), and kill after max_deaths.
 * `extended` places every retry on its schedule (a Retry-After can only push it later) and kills
 * after its last step.
 */
export function planRetry(input: RetryPlanInput): RetryPlan {
  const next = input.deathCount + 1;
  if (input.schedule === 'upstream') {
    if (input.deathCount === 0) {
      return { kind: 'init' };
    }
    if (input.deathCount >= input.maxDeaths) {
      return { kind: 'kill' };
    }
    return {
      kind: 'place',
      deathCount: next,
      delaySeconds: nextRetryDelaySeconds(next, input.retryAfterS, input.retryAfterMaxS),
    };
  }
  if (input.deathCount >= EXTENDED_SCHEDULE_S.length) {
    return { kind: 'kill' };
  }
  const asked = Math.min(Math.ceil(input.retryAfterS ?? 0), input.retryAfterMaxS);
  return {
    kind: 'place',
    deathCount: next,
    delaySeconds: Math.max(extendedRetryDelaySeconds(next, input.random), asked),
  };
}
