import { runBacklog } from '../lib/backlogRun.js';
import type { BenchContext } from '../lib/context.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';

/**
 * Scenario 1: N events queued, 1 subscriber, stand-in at 0 ms → sustained deliveries/s and the
 * ratio to the raw POST rate measured against the same receiver in the same run. RSS is sampled
 * throughout for scenario 6.
 */
export async function runThroughput(context: BenchContext): Promise<ScenarioReport> {
  const { receiver, args, limits } = context;
  receiver.clear();
  const run = await runBacklog({
    context,
    label: 'throughput',
    recipients: [`${receiver.url}/throughput`],
    events: args.events,
    delivered: () => receiver.count(),
    sampleRss: true,
  });
  context.throughputRss = run.rss;
  const ratio = run.perSecond / limits.postPerSecond;
  return {
    name: 'throughput',
    title: `1. Throughput: ${fmt(args.events)} events, 1 subscriber, stand-in at 0 ms`,
    figures: {
      events: args.events,
      seconds: run.seconds,
      deliveriesPerSecond: run.perSecond,
      ratioToRawPost: ratio,
      successRows: run.successRows,
      magentoRequests: run.magentoRequests,
      deferred: run.deferred,
      rssPeakMb: run.rss?.peakMb,
      cpu: run.cpu,
      sidecarCpuMsPerDelivery: (run.cpu.cpuMs.sidecar ?? Number.NaN) / run.deliveries,
    },
    rows: [
      ['deliveries/s', fmt(run.perSecond)],
      ['share of the raw POST rate', `${fmt(ratio * 100)} % of ${fmt(limits.postPerSecond)}/s`],
      ['log rows written', `${fmt(run.successRows)} of ${fmt(args.events)}`],
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
      target('throughput', 'every delivery logged', run.successRows, {
        unit: ' rows',
        goal: `= ${fmt(args.events)}`,
        pass: run.successRows === args.events,
      }),
    ],
  };
}
