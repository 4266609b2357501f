import type { LabelValues } from 'prom-client';

import { type ExportedLabels, type MetricExport, OwnMetric, type OwnMetricOptions } from './ownMetric.js';

interface Series {
  labels: ExportedLabels;
  /** Observations per bucket (not cumulative), the last one above every bound (+Inf). */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** One exported sample, as prom-client's `get()` gives it. */
export interface HistogramSample {
  labels: ExportedLabels;
  value: number;
  metricName: string;
}

/** A sample as prom-client's registry formats it: the bucket's `le` apart from the series' labels. */
interface FormattedSample extends HistogramSample {
  sharedLabels: ExportedLabels;
}

export type HistogramExport<Sample extends HistogramSample = HistogramSample> = MetricExport<
  'histogram',
  Sample
>;

export interface FastHistogramOptions<L extends string> extends OwnMetricOptions<L> {
  /** Upper bounds, ascending. */
  buckets: readonly number[];
}

/**
 * A Prometheus histogram for the observations made per delivery (attempt duration, consume to
 * delivery, Magento resolution), registered in prom-client's registry and exported exactly as a
 * prom-client Histogram is. prom-client's own hashes the label object into a string key and keys
 * its buckets by their fractional bounds, so every observation turns two floats into strings.
 * Here a series is found by LabelSeries and a bucket by index: 1.1 → 0.09 µs an observation with
 * two labels, measured in a loop.
 */
export class FastHistogram<L extends string = string> extends OwnMetric<'histogram', L, Series> {
  private readonly bounds: Float64Array;

  constructor(options: FastHistogramOptions<L>) {
    const bounds = Float64Array.from(options.buckets);
    super('histogram', options, (labels) => ({
      labels,
      counts: new Float64Array(bounds.length + 1),
      sum: 0,
      count: 0,
    }));
    for (let i = 1; i < bounds.length; i += 1) {
      if (!((bounds[i] ?? 0) > (bounds[i - 1] ?? 0))) {
        throw new TypeError(`${this.name}: bucket bounds must ascend`);
      }
    }
    this.bounds = bounds;
  }

  observe(value: number): void;
  observe(labels: LabelValues<L>, value: number): void;
  observe(labelsOrValue: LabelValues<L> | number, maybeValue?: number): void {
    const labels = typeof labelsOrValue === 'number' ? ({} as LabelValues<L>) : labelsOrValue;
    const value = typeof labelsOrValue === 'number' ? labelsOrValue : (maybeValue ?? Number.NaN);
    if (!Number.isFinite(value)) {
      throw new TypeError(`${this.name}: value is not a finite number: ${value}`);
    }
    const series = this.series.of(labels);
    let bucket = 0;
    while (bucket < this.bounds.length && value > (this.bounds[bucket] ?? 0)) {
      bucket += 1;
    }
    series.counts[bucket] = (series.counts[bucket] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** What prom-client's registry formats (`le` first, then the series' labels, as prom-client). */
  getForPromString(): Promise<HistogramExport<FormattedSample>> {
    const values: FormattedSample[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const { labels, counts, sum, count } of this.series.all()) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += counts[index] ?? 0;
        values.push({
          labels: { le: bound },
          sharedLabels: labels,
          value: cumulative,
          metricName: bucketName,
        });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: bucketName },
        { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count` },
      );
    }
    return this.exportOf(values);
  }

  /** The same samples with the series' labels and `le` together, as prom-client's `get()`. */
  async get(): Promise<HistogramExport> {
    const metric = await this.getForPromString();
    return {
      ...metric,
      values: metric.values.map(({ labels, sharedLabels, value, metricName }) => ({
        labels: { ...labels, ...sharedLabels },
        value,
        metricName,
      })),
    };
  }
}
