import { startMagentoStandIn } from '../../fixtures/magento-stand-in/index.js';
import type { BenchContext } from '../lib/context.js';
import { startCpuMeter } from '../lib/cpuMeter.js';
import { MAGENTO_TOKEN, openEnvironment } from '../lib/environment.js';
import { publishTriggers } from '../lib/publisher.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';
import { sampleRss } from '../lib/rssSampler.js';
import { spawnSidecar } from '../lib/sidecarProcess.js';
import { sleep } from '../lib/wait.js';

const CHUNK = 5_000;
const MAX_BACKLOG = 20_000;
const TRUNCATE_EVERY = 200_000;

/**
 * Scenario 6: the sidecar's RSS during scenario 1 (sampled there) and over a long run of M events
 * (default 1,000,000): published in chunks so the backlog stays near 20,000 (RabbitMQ is not
 * asked to hold a million messages), RSS sampled every second; the log tables are emptied every
 * 200,000 deliveries so the run does not fill the shared disk. Reports start/peak/end RSS and the
 * slope over the second half (warm-up excluded), in MB per 100,000 events.
 */
export async function runMemory(context: BenchContext): Promise<ScenarioReport> {
  const { receiver, args } = context;
  const environment = await openEnvironment('memory');
  const standIn = await startMagentoStandIn({ token: MAGENTO_TOKEN, synthesize: true });
  receiver.clear();
  try {
    await environment.subscribe('sales.order.created', `${receiver.url}/memory`);
    const sidecar = spawnSidecar({ environment, magentoUrl: standIn.url, label: 'memory' });
    await sidecar.ready;
    const rss = sampleRss(sidecar.pid, () => receiver.count(), 1000);
    const meter = startCpuMeter({ sidecar: sidecar.pid, ...context.pids });
    const started = performance.now();
    let published = 0;
    let truncatedAt = 0;
    while (receiver.count() < args.memoryEvents) {
      const backlog = published - receiver.count();
      if (published < args.memoryEvents && backlog < MAX_BACKLOG - CHUNK) {
        const size = Math.min(CHUNK, args.memoryEvents - published);
        await publishTriggers(environment.channel, 'sales.order.created', published + 1, size);
        published += size;
        standIn.reset();
        continue;
      }
      if (receiver.count() - truncatedAt >= TRUNCATE_EVERY) {
        truncatedAt = receiver.count();
        await environment.pool.query('TRUNCATE TABLE async_event_subscriber_log');
        await environment.pool.query('TRUNCATE TABLE async_event_sidecar_trigger');
      }
      await sleep(50);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = meter.stop();
    const summary = rss.stop();
    await sidecar.stop();
    const during = context.throughputRss;
    const peak = Math.max(summary.peakMb, during?.peakMb ?? 0);
    const perSecond = args.memoryEvents / seconds;
    return {
      name: 'memory',
      title: `6. Memory: sidecar RSS during scenario 1 and over ${fmt(args.memoryEvents)} events`,
      figures: {
        events: args.memoryEvents,
        seconds,
        deliveriesPerSecond: perSecond,
        duringThroughput: during === undefined ? undefined : { ...during, samples: undefined },
        longRun: { ...summary, samples: summary.samples.filter((_, index) => index % 5 === 0) },
        cpu,
      },
      rows: [
        [
          'RSS during scenario 1: start / peak / end',
          during === undefined
            ? 'scenario 1 not run'
            : `${fmt(during.startMb)} / ${fmt(during.peakMb)} / ${fmt(during.endMb)} MB`,
        ],
        [
          `RSS over ${fmt(args.memoryEvents)} events: start / peak / end`,
          `${fmt(summary.startMb)} / ${fmt(summary.peakMb)} / ${fmt(summary.endMb)} MB (${fmt(perSecond)} deliveries/s)`,
        ],
        ['RSS slope over the second half', `${fmt(summary.slopeMbPer100k, 2)} MB per 100,000 events`],
        ['cores used', describeCpu(cpu)],
      ],
      cpu,
      targets: [
        target('memory', 'peak RSS', peak, { unit: ' MB', goal: '≤ 200 MB', pass: peak <= 200 }),
        target('memory', 'RSS slope (second half)', summary.slopeMbPer100k, {
          unit: ' MB/100k events',
          digits: 2,
          goal: '≤ 1 MB per 100k (flat)',
          pass: summary.slopeMbPer100k <= 1,
        }),
      ],
    };
  } finally {
    await standIn.close();
    await environment.close();
  }
}
