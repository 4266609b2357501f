import type { LabelValues, Registry } from 'prom-client';

/** Label values as exported: the declared labels that were given, in declaration order. */
export type ExportedLabels = Record<string, string | number>;

/**
 * The series of one metric, found by label values through one Map per declared label (values
 * are a few fixed strings: outcomes, event names, subscription ids), in the order they appeared.
 * What prom-client does per observation instead, hashing the label object into a string key,
 * cost more than the observation itself on the delivery path.
 */
export class LabelSeries<L extends string, S> {
  private root = new Map<string | undefined, unknown>();
  private list: S[] = [];

  constructor(
    private readonly labelNames: readonly L[],
    private readonly create: (labels: ExportedLabels) => S,
  ) {}

  of(labels: LabelValues<L>): S {
    let level = this.root;
    const last = this.labelNames.length - 1;
    for (let i = 0; i < last; i += 1) {
      const key = keyOf(labels[this.labelNames[i] as L]);
      let next = level.get(key) as Map<string | undefined, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const key = last < 0 ? undefined : keyOf(labels[this.labelNames[last] as L]);
    let series = level.get(key) as S | undefined;
    if (series === undefined) {
      series = this.create(this.exported(labels));
      level.set(key, series);
      this.list.push(series);
    }
    return series;
  }

  all(): readonly S[] {
    return this.list;
  }

  clear(): void {
    this.root = new Map();
    this.list = [];
  }

  private exported(labels: LabelValues<L>): ExportedLabels {
    const own: ExportedLabels = {};
    for (const name of this.labelNames) {
      const value = labels[name];
      if (value !== undefined) {
        own[name] = value;
      }
    }
    return own;
  }
}

/** As prom-client, 5 and '5' are the same label value. */
const keyOf = (value: string | number | undefined): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? value : String(value);

export interface OwnMetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  registers: readonly Registry[];
}

/** A metric as prom-client's registry reads it (`get()`, or `getForPromString()` when present). */
export interface MetricExport<Type extends 'counter' | 'histogram', Sample> {
  name: string;
  help: string;
  type: Type;
  aggregator: 'sum';
  values: Sample[];
}

/**
 * What FastCounter and FastHistogram share: name, help, their series by labels, and a place in
 * prom-client's registries (which only call `get()` / `getForPromString()` and `reset()`).
 */
export abstract class OwnMetric<Type extends 'counter' | 'histogram', L extends string, S> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum' as const;
  protected readonly series: LabelSeries<L, S>;

  protected constructor(
    readonly type: Type,
    options: OwnMetricOptions<L>,
    create: (labels: ExportedLabels) => S,
  ) {
    this.name = options.name;
    this.help = options.help;
    this.series = new LabelSeries(options.labelNames ?? [], create);
    for (const registry of options.registers) {
      registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
    }
  }

  reset(): void {
    this.series.clear();
  }

  /** The metric with these samples, as the registry reads it. */
  protected exportOf<Sample>(values: Sample[]): Promise<MetricExport<Type, Sample>> {
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }
}
