import { startMagentoStandIn } from '../../fixtures/magento-stand-in/index.js';
import { counterTotal } from '../stats.js';
import type { BenchContext } from './context.js';
import { type DrainResult, measureDrain } from './drain.js';
import { MAGENTO_TOKEN, openEnvironment } from './environment.js';
import { publishTriggers } from './publisher.js';
import { type RssSummary, sampleRss } from './rssSampler.js';
import { spawnSidecar } from './sidecarProcess.js';
import { log } from './wait.js';

export interface BacklogRunOptions {
  context: BenchContext;
  /** Names the vhost, the database and the CPU profile. */
  label: string;
  /** Recipient URLs subscribed to `sales.order.created`. */
  recipients: readonly string[];
  events: number;
  /** Deliveries counted so far (the receivers'). */
  delivered: () => number;
  /** Deliveries that end the run. @default events × recipients */
  expected?: number;
  magentoLatencyMs?: number;
  /** Sidecar settings (env keys). */
  settings?: Record<string, string>;
  sampleRss?: boolean;
}

export interface BacklogRunResult extends DrainResult {
  /** Successful log rows after the sidecar stopped. */
  successRows: number;
  rss?: RssSummary;
  /** Requests the stand-in answered (REST calls to Magento). */
  magentoRequests: number;
  /** Deliveries the sidecar deferred to the retry path (subscription limits, open circuits). */
  deferred: number;
  /** Messages the sidecar published to the retry path (init, place, kill, deferred). */
  retriesScheduled: number;
}

/**
 * The backlog shape of scenarios 1, 3, 4 and 5: `events` triggers are queued first as Magento
 * publishes them, then the sidecar starts (its own process) and drains them; the clock runs from
 * the first delivery to the last.
 */
export async function runBacklog(options: BacklogRunOptions): Promise<BacklogRunResult> {
  const environment = await openEnvironment(options.label);
  const standIn = await startMagentoStandIn({
    token: MAGENTO_TOKEN,
    synthesize: true,
    latencyMs: options.magentoLatencyMs ?? 0,
  });
  try {
    for (const recipient of options.recipients) {
      await environment.subscribe('sales.order.created', recipient);
    }
    await publishTriggers(environment.channel, 'sales.order.created', 1, options.events);
    log(
      `  ${options.label}: queued ${options.events} triggers for ${options.recipients.length} subscriber(s)`,
    );
    const sidecar = spawnSidecar({
      environment,
      magentoUrl: standIn.url,
      label: options.label,
      ...(options.settings === undefined ? {} : { settings: options.settings }),
    });
    const rss = options.sampleRss === true ? sampleRss(sidecar.pid, options.delivered, 250) : undefined;
    const drain = await Promise.all([
      sidecar.ready,
      measureDrain({
        delivered: options.delivered,
        expected: options.expected ?? options.events * options.recipients.length,
        pids: { sidecar: sidecar.pid, ...options.context.pids },
      }),
    ]).then(([, result]) => result);
    const rssSummary = rss?.stop();
    const metrics = await sidecar.metrics();
    const deferred = counterTotal(metrics, 'sidecar_deliveries_deferred_total');
    const retriesScheduled = counterTotal(metrics, 'sidecar_retries_scheduled_total');
    await sidecar.stop();
    const successRows = await environment.successRows();
    const magentoRequests = standIn.requests.length;
    standIn.reset();
    return {
      ...drain,
      successRows,
      magentoRequests,
      deferred,
      retriesScheduled,
      ...(rssSummary === undefined ? {} : { rss: rssSummary }),
    };
  } finally {
    await standIn.close();
    await environment.close();
  }
}
