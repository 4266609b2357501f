import type { Limits } from '../limits/index.js';
import type { BenchArgs, ScenarioName } from './args.js';
import type { BenchReceiver } from './benchReceiver.js';
import type { ScenarioReport } from './report.js';
import type { RssSummary } from './rssSampler.js';

/** What every scenario gets: the flags, the shared receiver, the raw limits, earlier results. */
export interface BenchContext {
  args: BenchArgs;
  /** The receiver of scenario 1 and of the raw POST limit. */
  receiver: BenchReceiver;
  /** RabbitMQ and MariaDB processes, for the CPU breakdown. */
  pids: Record<string, number | undefined>;
  limits: Limits;
  /** A delivery body as the pipeline sends it (a synthesized order in a CloudEvent). */
  deliveryBody: Buffer;
  results: Partial<Record<ScenarioName, ScenarioReport>>;
  /** The sidecar's RSS during scenario 1, for scenario 6. */
  throughputRss?: RssSummary;
}
