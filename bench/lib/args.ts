import { parseArgs } from 'node:util';

export const SCENARIOS = ['throughput', 'latency', 'fanout', 'slow-magento', 'isolation', 'memory'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Sizes of every scenario; `--quick` shrinks them for a smoke run. */
export interface BenchArgs {
  only: readonly ScenarioName[];
  /** Scenario 1 (and the fan-out's 1-subscriber step): triggers queued before the sidecar starts. */
  events: number;
  /** Scenario 1: identical runs; the target takes the median. */
  throughputRounds: number;
  /** Scenario 2: triggers per second and for how long. */
  rate: number;
  seconds: number;
  /** Scenario 3: deliveries per fan-out step (events = deliveries / subscribers). */
  fanoutDeliveries: number;
  fanout: readonly number[];
  /** Scenario 4: triggers per resolution mode, and the stand-in's delay per request. */
  slowEvents: number;
  magentoLatencyMs: number;
  /** Scenario 5: triggers queued for the three subscribers. */
  isolationEvents: number;
  /** Scenario 5: rounds of (healthy subscriber alone, then beside the troubled two). */
  isolationRounds: number;
  /** Scenario 6: events of the long run. */
  memoryEvents: number;
  /** Seconds per raw-limit measurement. */
  limitSeconds: number;
  quick: boolean;
  writeReadme: boolean;
  /** Free text for the README block, e.g. "shared with other engineers' test runs". */
  note: string | undefined;
}

const USAGE = `npm run bench -- [--only a,b] [--quick] [--events N] [--throughput-rounds N] [--rate R] [--seconds S]
  [--fanout-deliveries N] [--fanout 1,10,100] [--slow-events N] [--magento-latency MS]
  [--isolation-events N] [--isolation-rounds N] [--memory-events N] [--limit-seconds S] [--write-readme] [--note TEXT]
scenarios: ${SCENARIOS.join(', ')}`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      events: { type: 'string' },
      'throughput-rounds': { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      'fanout-deliveries': { type: 'string' },
      fanout: { type: 'string' },
      'slow-events': { type: 'string' },
      'magento-latency': { type: 'string' },
      'isolation-events': { type: 'string' },
      'isolation-rounds': { type: 'string' },
      'memory-events': { type: 'string' },
      'limit-seconds': { type: 'string' },
      'write-readme': { type: 'boolean', default: false },
      note: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const number = (raw: string | undefined, full: number, small: number, name: string): number => {
    const value = raw === undefined ? (quick ? small : full) : Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`--${name} must be a positive number, got "${raw}"\n${USAGE}`);
    }
    return value;
  };
  const only = (values.only?.split(',').map((name) => name.trim()) ?? [...SCENARIOS]).map((name) => {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`Unknown scenario "${name}"\n${USAGE}`);
    }
    return name as ScenarioName;
  });
  return {
    only,
    events: number(values.events, 50_000, 5_000, 'events'),
    throughputRounds: number(values['throughput-rounds'], 3, 1, 'throughput-rounds'),
    rate: number(values.rate, 1_000, 1_000, 'rate'),
    seconds: number(values.seconds, 60, 5, 'seconds'),
    fanoutDeliveries: number(values['fanout-deliveries'], 50_000, 5_000, 'fanout-deliveries'),
    fanout: (values.fanout ?? '1,10,100').split(',').map(Number),
    slowEvents: number(values['slow-events'], 20_000, 3_000, 'slow-events'),
    magentoLatencyMs: number(values['magento-latency'], 100, 100, 'magento-latency'),
    isolationEvents: number(values['isolation-events'], 30_000, 3_000, 'isolation-events'),
    isolationRounds: number(values['isolation-rounds'], 5, 1, 'isolation-rounds'),
    memoryEvents: number(values['memory-events'], 1_000_000, 20_000, 'memory-events'),
    limitSeconds: number(values['limit-seconds'], 5, 2, 'limit-seconds'),
    quick,
    writeReadme: values['write-readme'],
    note: values.note,
  };
}
