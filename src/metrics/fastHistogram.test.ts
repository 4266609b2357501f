import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { FastHistogram } from './fastHistogram.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

/** The same observations through prom-client's Histogram and through FastHistogram. */
function bothWith(labelNames: Array<'route' | 'outcome'>) {
  const reference = new Registry();
  const fast = new Registry();
  const options = { name: 'sidecar_test_seconds', help: 'A test histogram.', labelNames, buckets: BUCKETS };
  return {
    reference,
    fast,
    prom: new Histogram({ ...options, registers: [reference] }),
    ours: new FastHistogram({ ...options, registers: [fast] }),
  };
}

describe('FastHistogram', () => {
  it('exports exactly what prom-client exports for the same observations', async () => {
    const { reference, fast, prom, ours } = bothWith(['route', 'outcome']);
    // Bounds themselves, between bounds, beyond the last, zero, and labels given partly.
    const observations: Array<[{ route?: string; outcome?: string }, number]> = [
      [{ route: 'direct', outcome: 'ok' }, 0.001],
      [{ route: 'direct', outcome: 'ok' }, 0.0011],
      [{ route: 'direct', outcome: 'ok' }, 0.02],
      [{ route: 'module', outcome: 'retry' }, 3],
      [{ route: 'module', outcome: 'retry' }, 31],
      [{ route: 'direct', outcome: 'final' }, 0],
      [{ route: 'module' }, 0.5],
      [{ route: 'direct', outcome: 'ok' }, 30],
    ];
    for (const [labels, value] of observations) {
      prom.observe(labels, value);
      ours.observe(labels, value);
    }
    expect(await fast.metrics()).toBe(await reference.metrics());
    // prom-client adds an exemplar field (null: exemplars are off); the samples are the same.
    const promSamples = (await prom.get()).values.map(({ labels, value, metricName }) => ({
      labels,
      value,
      metricName,
    }));
    expect((await ours.get()).values).toEqual(promSamples);
  });

  it('takes observations without labels, and starts again after reset', async () => {
    const { reference, fast, prom, ours } = bothWith([]);
    for (const value of [0.004, 0.2, 12]) {
      prom.observe(value);
      ours.observe(value);
    }
    expect(await fast.metrics()).toBe(await reference.metrics());
    fast.resetMetrics();
    reference.resetMetrics();
    ours.observe(0.3);
    prom.observe(0.3);
    expect(await fast.metrics()).toBe(await reference.metrics());
    expect((await ours.get()).values.find((sample) => sample.metricName.endsWith('_count'))?.value).toBe(1);
  });

  it('refuses a value that is not a finite number, as prom-client does', () => {
    const { ours } = bothWith([]);
    expect(() => ours.observe(Number.NaN)).toThrow(/not a finite number/);
    expect(() => ours.observe(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
  });

  it('refuses bounds that do not ascend', () => {
    expect(
      () => new FastHistogram({ name: 'x_seconds', help: 'x', buckets: [1, 0.5], registers: [] }),
    ).toThrow(/ascend/);
  });
});
