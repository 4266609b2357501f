import type { Metrics } from '../metrics/index.js';
import { histogramQuantile, mergeBuckets } from './histogramQuantile.js';

/**
 * What this process's Prometheus registry knows that the database does not: Magento resolution
 * latency, retries scheduled and messages parked (by kind/queue), and the search indexing lag.
 * Counters and histograms run since the process started, not over the stats window.
 */
export interface MetricsSnapshot {
  resolution: {
    count: number;
    p50_seconds: number | null;
    p95_seconds: number | null;
    p99_seconds: number | null;
    /** Requests by outcome (ok, final, retry…), over every route. */
    by_outcome: Record<string, number>;
  };
  retries_scheduled: Record<string, number>;
  parked: Record<string, number>;
  /** Age of the oldest log row not yet searchable; null without a search engine (SEARCH_ENGINE=none). */
  indexing_lag_seconds: number | null;
}

type Sample = { value: number; labels: Partial<Record<string, string | number>>; metricName?: string };

const round = (seconds: number | undefined): number | null =>
  seconds === undefined ? null : Math.round(seconds * 1e6) / 1e6;

function sumByLabel(values: readonly Sample[], label: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const sample of values) {
    const key = String(sample.labels[label] ?? '');
    sums[key] = (sums[key] ?? 0) + sample.value;
  }
  return sums;
}

/** `indexing`: whether a search engine is configured; the gauge means nothing without one. */
export async function readMetricsSnapshot(
  metrics: Metrics,
  options: { indexing: boolean },
): Promise<MetricsSnapshot> {
  const resolve = (await metrics.resolveDuration.get()).values as Sample[];
  const buckets = mergeBuckets(
    resolve
      .filter((sample) => sample.metricName?.endsWith('_bucket'))
      .map((sample) => ({ le: sample.labels.le, count: sample.value })),
  );
  const counts = resolve.filter((sample) => sample.metricName?.endsWith('_count'));
  // The gauge is registered (at 0) whatever the engine: without one it is no lag.
  const lagValues = options.indexing ? (await metrics.searchIndexLagSeconds.get()).values : [];
  return {
    resolution: {
      count: counts.reduce((sum, sample) => sum + sample.value, 0),
      p50_seconds: round(histogramQuantile(0.5, buckets)),
      p95_seconds: round(histogramQuantile(0.95, buckets)),
      p99_seconds: round(histogramQuantile(0.99, buckets)),
      by_outcome: sumByLabel(counts, 'outcome'),
    },
    retries_scheduled: sumByLabel((await metrics.retriesScheduled.get()).values, 'kind'),
    parked: sumByLabel((await metrics.parked.get()).values, 'queue'),
    // Should the gauge gain labels (per index), the worst one is the lag that matters.
    indexing_lag_seconds:
      lagValues.length === 0 ? null : Math.max(...lagValues.map((sample) => sample.value)),
  };
}
