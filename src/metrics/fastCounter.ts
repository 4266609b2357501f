import type { LabelValues } from 'prom-client';

import { type ExportedLabels, type MetricExport, OwnMetric, type OwnMetricOptions } from './ownMetric.js';

export interface CounterSample {
  labels: ExportedLabels;
  value: number;
}

export type CounterExport = MetricExport<'counter', CounterSample>;

/**
 * A Prometheus counter for what is counted per event or per delivery, registered in
 * prom-client's registry and exported exactly as a prom-client Counter is; series are found by
 * LabelSeries instead of hashing the label object at every increment.
 */
export class FastCounter<L extends string = string> extends OwnMetric<'counter', L, CounterSample> {
  private readonly unlabelled: boolean;

  constructor(options: OwnMetricOptions<L>) {
    super('counter', options, (labels) => ({ value: 0, labels }));
    this.unlabelled = (options.labelNames ?? []).length === 0;
    this.reset();
  }

  inc(value?: number): void;
  inc(labels: LabelValues<L>, value?: number): void;
  inc(labelsOrValue?: LabelValues<L> | number, maybeValue?: number): void {
    const labels = typeof labelsOrValue === 'object' ? labelsOrValue : ({} as LabelValues<L>);
    const value = (typeof labelsOrValue === 'object' ? maybeValue : labelsOrValue) ?? 1;
    if (!Number.isFinite(value) || value < 0) {
      throw new TypeError(`${this.name}: a counter only goes up by a finite amount, got ${value}`);
    }
    this.series.of(labels).value += value;
  }

  /** Back to nothing counted (a counter without labels shows 0, as prom-client's). */
  override reset(): void {
    super.reset();
    if (this.unlabelled) {
      this.series.of({});
    }
  }

  get(): Promise<CounterExport> {
    return this.exportOf(this.series.all().map(({ value, labels }) => ({ value, labels })));
  }
}
