import { type BacklogRunResult, runBacklog } from '../lib/backlogRun.js';
import type { BenchContext } from '../lib/context.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';
import { medianBy } from '../stats.js';

/**
 * Scenario 1: N events queued, 1 subscriber, stand-in at 0 ms → sustained deliveries/s and the
 * ratio to the raw POST rate measured against the same receiver in the same run. Identical runs
 * on this VM differ by up to a third from one minute to the next, so the scenario runs several
 * times and the median run counts. RSS is sampled throughout for scenario 6.
 */
export async function runThroughput(context: BenchContext): Promise<ScenarioReport> {
  const { receiver, args, limits } = context;
  const runs: BacklogRunResult[] = [];
  for (let round = 1; round <= args.throughputRounds; round += 1) {
    receiver.clear();
    runs.push(
      await runBacklog({
        context,
        label: args.throughputRounds === 1 ? 'throughput' : `throughput_${round}`,
        recipients: [`${receiver.url}/throughput`],
        events: args.events,
        delivered: () => receiver.count(),
        sampleRss: true,
      }),
    );
  }
  const run = medianBy(runs, (each) => each.perSecond);
  context.throughputRss = runs
    .map((each) => each.rss)
    .reduce((highest, rss) =>
      rss !== undefined && (highest === undefined || rss.peakMb > highest.peakMb) ? rss : highest,
    );
  const allLogged = runs.every((each) => each.successRows === args.events);
  const ratio = run.perSecond / limits.postPerSecond;
  return {
    name: 'throughput',
    title: `1. Throughput: ${fmt(args.events)} events, 1 subscriber, stand-in at 0 ms, median of ${runs.length} run(s)`,
    figures: {
      events: args.events,
      seconds: run.seconds,
      deliveriesPerSecond: run.perSecond,
      runsDeliveriesPerSecond: runs.map((each) => each.perSecond),
      ratioToRawPost: ratio,
      successRows: run.successRows,
      magentoRequests: run.magentoRequests,
      deferred: run.deferred,
      rssPeakMb: context.throughputRss?.peakMb,
      cpu: run.cpu,
      sidecarCpuMsPerDelivery: (run.cpu.cpuMs.sidecar ?? Number.NaN) / run.deliveries,
    },
    rows: [
      ['deliveries/s', fmt(run.perSecond)],
      ['deliveries/s of each run, in order', runs.map((each) => fmt(each.perSecond)).join(', ')],
      ['share of the raw POST rate', `${fmt(ratio * 100)} % of ${fmt(limits.postPerSecond)}/s`],
      [
        'log rows written (every run)',
        runs.map((each) => `${fmt(each.successRows)} of ${fmt(args.events)}`).join(', '),
      ],
      ['cores used (other = the rest of the machine)', describeCpu(run.cpu)],
    ],
    cpu: run.cpu,
    targets: [
      target('throughput', 'deliveries/s', run.perSecond, {
        unit: '/s',
        goal: '≥ 4,000/s',
        pass: run.perSecond >= 4000,
      }),
      target('throughput', 'share of the raw POST rate', ratio * 100, {
        unit: ' %',
        goal: '≥ 60 %',
        pass: ratio >= 0.6,
      }),
      target(
        'throughput',
        'every delivery logged (every run)',
        Math.min(...runs.map((each) => each.successRows)),
        {
          unit: ' rows',
          goal: `= ${fmt(args.events)}`,
          pass: allLogged,
        },
      ),
    ],
  };
}
