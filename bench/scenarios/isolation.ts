import { runBacklog } from '../lib/backlogRun.js';
import { startBenchReceiver } from '../lib/benchReceiver.js';
import type { BenchContext } from '../lib/context.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';
import { measureSteadyLatency } from './latency.js';

/**
 * Scenario 5: one healthy subscriber beside one that answers after 2 s and one that always
 * answers 503, all subscribed to the same event, each on its own receiver (its own origin, as
 * three customers' endpoints would be) → the healthy subscriber's deliveries/s (a backlog, as in
 * scenario 1) and its latency at a steady rate (as in scenario 2), against those scenarios.
 */
export async function runIsolation(context: BenchContext): Promise<ScenarioReport> {
  const { receiver, args } = context;
  const slow = await startBenchReceiver({ delayMs: 2000 });
  const failing = await startBenchReceiver({ status: 503 });
  try {
    const troubled = [`${slow.url}/slow`, `${failing.url}/failing`];
    receiver.clear();
    const run = await runBacklog({
      context,
      label: 'isolation',
      recipients: [`${receiver.url}/healthy`, ...troubled],
      events: args.isolationEvents,
      delivered: () => receiver.count(),
      expected: args.isolationEvents,
    });
    const others = { slowAnswered: slow.count(), failingAnswered: failing.count() };
    process.stdout.write(
      `    backlog: healthy ${fmt(run.perSecond)} deliveries/s; ${describeCpu(run.cpu)}\n`,
    );
    const latencySeconds = Math.max(5, Math.round(args.seconds / 4));
    const latency = await measureSteadyLatency(context, {
      label: 'isolation_latency',
      rate: args.rate,
      seconds: latencySeconds,
      extraRecipients: troubled,
    });
    const alone = context.results.throughput?.figures.deliveriesPerSecond as number | undefined;
    const aloneLatency = context.results.latency?.figures.publishToDeliveryMs as { p99: number } | undefined;
    const share = alone === undefined ? Number.NaN : run.perSecond / alone;
    return {
      name: 'isolation',
      title: `5. Isolation: healthy + 2 s + always-503 subscribers on one event, ${fmt(args.isolationEvents)} events`,
      figures: {
        events: args.isolationEvents,
        healthyDeliveriesPerSecond: run.perSecond,
        scenario1DeliveriesPerSecond: alone,
        shareOfScenario1: share,
        ...others,
        deferred: run.deferred,
        retriesScheduled: run.retriesScheduled,
        latency: { rate: args.rate, seconds: latencySeconds, ...latency },
        scenario2PublishToDeliveryP99Ms: aloneLatency?.p99,
        cpu: run.cpu,
      },
      rows: [
        [
          'healthy subscriber, deliveries/s',
          `${fmt(run.perSecond)} (${alone === undefined ? 'scenario 1 not run' : `${fmt(share * 100)} % of scenario 1's ${fmt(alone)}`})`,
        ],
        [
          `healthy subscriber at ${fmt(args.rate)} events/s: publish-to-delivery p50 / p99`,
          `${fmt(latency.p2d.p50, 1)} / ${fmt(latency.p2d.p99, 1)} ms (scenario 2 p99: ${aloneLatency === undefined ? 'not run' : `${fmt(aloneLatency.p99, 1)} ms`})`,
        ],
        [
          'answers of the 2 s / 503 receivers during the backlog; deliveries deferred; retry publishes',
          `${fmt(others.slowAnswered)} / ${fmt(others.failingAnswered)}; ${fmt(run.deferred)}; ${fmt(run.retriesScheduled)}`,
        ],
        ['cores used (backlog)', describeCpu(run.cpu)],
      ],
      cpu: run.cpu,
      targets: [
        target('isolation', "healthy subscriber's share of scenario 1 throughput", share * 100, {
          unit: ' %',
          goal: '≥ 90 %',
          pass: share >= 0.9,
        }),
      ],
    };
  } finally {
    await slow.close();
    await failing.close();
  }
}
