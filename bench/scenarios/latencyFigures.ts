import type { CpuShares } from '../lib/cpuMeter.js';
import { histogramQuantile, histogramShareWithin } from '../stats.js';

export interface LatencyFigures {
  /** Exact percentiles, ms. */
  p2d: { p50: number; p95: number; p99: number; max: number };
  /** Upper bounds of the histogram buckets holding each quantile, ms, and the share ≤ 50 ms. */
  c2d: { p50: number; p95: number; p99: number; within50ms: number };
  /** The warm-up phase before the measured one (fresh process: cold JIT, pools opening). */
  warmup: { seconds: number; c2d: LatencyFigures['c2d'] };
  /** Where the time goes inside the sidecar: p50/p99 bucket bounds (ms) of its stage histograms. */
  stages: Record<string, { p50: number; p99: number }>;
  /** Event-loop delay of the benchmark process (stand-in, receiver, publisher) over the phase, ms. */
  benchLoopDelayMs: { p99: number; max: number };
  cpu: CpuShares;
  deliveries: number;
}

const STAGES = {
  magentoResolve: 'sidecar_magento_resolve_duration_seconds',
  deliveryAttempt: 'sidecar_delivery_attempt_duration_seconds',
  logCommit: 'sidecar_delivery_log_commit_seconds',
} as const;

/** The stage histograms between two scrapes (which stage holds the tail). */
export function stageLatencies(before: string, after: string): LatencyFigures['stages'] {
  return Object.fromEntries(
    Object.entries(STAGES).map(([stage, metric]) => [
      stage,
      {
        p50: histogramQuantile(after, metric, 0.5, before) * 1000,
        p99: histogramQuantile(after, metric, 0.99, before) * 1000,
      },
    ]),
  );
}

export function publishToDelivery(
  latencies: number[],
  percentile: (samples: readonly number[], p: number) => number,
): LatencyFigures['p2d'] {
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
  };
}

const C2D = 'sidecar_consume_to_delivery_seconds';

/** From two /metrics scrapes: only the observations made between them count. */
export function consumeToDelivery(before: string, after: string): LatencyFigures['c2d'] {
  return {
    p50: histogramQuantile(after, C2D, 0.5, before) * 1000,
    p95: histogramQuantile(after, C2D, 0.95, before) * 1000,
    p99: histogramQuantile(after, C2D, 0.99, before) * 1000,
    within50ms: histogramShareWithin(after, C2D, 0.05, before),
  };
}
