import { describe, expect, it } from 'vitest';

import { makeMetrics } from '../metrics/index.js';
import { readMetricsSnapshot } from './metricsSnapshot.js';

describe('readMetricsSnapshot', () => {
  it('reports nothing observed on a fresh registry', async () => {
    const snapshot = await readMetricsSnapshot(makeMetrics({ defaultMetrics: false }), {
      indexing: false,
    });
    expect(snapshot).toEqual({
      resolution: { count: 0, p50_seconds: null, p95_seconds: null, p99_seconds: null, by_outcome: {} },
      retries_scheduled: {},
      parked: {},
      indexing_lag_seconds: null,
    });
  });

  it('merges resolution latency over routes and outcomes into quantiles, and sums the counters', async () => {
    const metrics = makeMetrics({ defaultMetrics: false });
    for (let i = 0; i < 90; i += 1) {
      metrics.resolveDuration.observe({ route: 'direct', outcome: 'ok' }, 0.02);
    }
    for (let i = 0; i < 10; i += 1) {
      metrics.resolveDuration.observe({ route: 'module', outcome: 'retry' }, 3);
    }
    metrics.retriesScheduled.inc({ kind: 'init' }, 4);
    metrics.retriesScheduled.inc({ kind: 'kill' });
    metrics.parked.inc({ queue: 'event.trigger.invalid' }, 2);

    const snapshot = await readMetricsSnapshot(metrics, { indexing: false });
    expect(snapshot.resolution.count).toBe(100);
    expect(snapshot.resolution.by_outcome).toEqual({ ok: 90, retry: 10 });
    // 0.02 s falls in the (0.01, 0.025] bucket; 3 s in (2.5, 5].
    expect(snapshot.resolution.p50_seconds).toBeGreaterThan(0.01);
    expect(snapshot.resolution.p50_seconds).toBeLessThanOrEqual(0.025);
    expect(snapshot.resolution.p95_seconds).toBeGreaterThan(2.5);
    expect(snapshot.resolution.p95_seconds).toBeLessThanOrEqual(5);
    expect(snapshot.retries_scheduled).toEqual({ init: 4, kill: 1 });
    expect(snapshot.parked).toEqual({ 'event.trigger.invalid': 2 });
  });

  it('reads the indexing lag only when a search engine is configured', async () => {
    const metrics = makeMetrics({ defaultMetrics: false });
    metrics.searchIndexLagSeconds.set(7);
    expect((await readMetricsSnapshot(metrics, { indexing: true })).indexing_lag_seconds).toBe(7);
    // Without a search engine the gauge (registered anyway) is not a lag.
    expect((await readMetricsSnapshot(metrics, { indexing: false })).indexing_lag_seconds).toBeNull();
  });
});
