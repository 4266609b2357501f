import { type BacklogRunResult, runBacklog } from '../lib/backlogRun.js';
import { type BenchReceiver, startBenchReceiver } from '../lib/benchReceiver.js';
import type { BenchContext } from '../lib/context.js';
import { costPerDelivery } from '../lib/cpuMeter.js';
import type { DrainResult } from '../lib/drain.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';
import { medianBy } from '../stats.js';
import { measureSteadyLatency } from './latency.js';

/** One round: the healthy subscriber's backlog alone and the same backlog beside the troubled two. */
interface Round {
  /** Which of the two drains ran first (they alternate from round to round). */
  first: 'alone' | 'troubled';
  alone: number;
  troubled: DrainResult & { deferred: number; retriesScheduled: number };
  share: number;
  /** The sidecar's CPU ms per healthy delivery over each sustained window. */
  sidecarCpuMs: { alone: number; troubled: number };
}

/**
 * Scenario 5: one healthy subscriber beside one that answers after 2 s and one that always
 * answers 503, all subscribed to the same event, each on its own receiver (its own origin, as
 * three customers' endpoints would be) → the healthy subscriber's deliveries/s (a backlog, as in
 * scenario 1) and its latency at a steady rate (as in scenario 2), against those scenarios.
 *
 * The share is measured in rounds that pair the healthy subscriber alone (scenario 1's shape, the
 * same backlog size) with the troubled run, and the target takes the median round: identical
 * scenario-1 runs on this VM differ by up to a third from one minute to the next, so a share
 * against one run minutes earlier says more about the VM than about isolation. The order within a
 * round alternates (alone first in odd rounds, troubled first in even ones), so neither shape
 * always runs second, after the previous drain's database was dropped, or always on the VM's drift.
 */
export async function runIsolation(context: BenchContext): Promise<ScenarioReport> {
  const { args } = context;
  const slow = await startBenchReceiver({ delayMs: 2000 });
  const failing = await startBenchReceiver({ status: 503 });
  try {
    const troubledUrls = [`${slow.url}/slow`, `${failing.url}/failing`];
    const rounds: Round[] = [];
    for (let round = 1; round <= args.isolationRounds; round += 1) {
      rounds.push(await runRound(context, round, troubledUrls, { slow, failing }));
    }
    const median = medianBy(rounds, (round) => round.share);
    const { share } = median;
    const sidecarCpuRatio = cpuRatioOf(medianBy(rounds, cpuRatioOf));
    const others = { slowAnswered: slow.count(), failingAnswered: failing.count() };
    const latencySeconds = Math.max(5, Math.round(args.seconds / 4));
    const latency = await measureSteadyLatency(context, {
      label: 'isolation_latency',
      rate: args.rate,
      seconds: latencySeconds,
      extraRecipients: troubledUrls,
    });
    const scenario1 = context.results.throughput?.figures.deliveriesPerSecond as number | undefined;
    const aloneLatency = context.results.latency?.figures.publishToDeliveryMs as { p99: number } | undefined;
    const healthy = median.troubled;
    return {
      name: 'isolation',
      title: `5. Isolation: healthy + 2 s + always-503 subscribers on one event, ${fmt(args.isolationEvents)} events, ${args.isolationRounds} round(s)`,
      figures: {
        events: args.isolationEvents,
        rounds: rounds.map((round) => ({
          aloneDeliveriesPerSecond: round.alone,
          healthyDeliveriesPerSecond: round.troubled.perSecond,
          share: round.share,
          first: round.first,
          sidecarCpuMsPerHealthyDelivery: round.sidecarCpuMs,
        })),
        healthyDeliveriesPerSecond: healthy.perSecond,
        aloneDeliveriesPerSecond: median.alone,
        shareOfScenario1: share,
        sidecarCpuRatio,
        scenario1DeliveriesPerSecond: scenario1,
        shareOfScenario1Run: scenario1 === undefined ? undefined : healthy.perSecond / scenario1,
        ...others,
        deferred: healthy.deferred,
        retriesScheduled: healthy.retriesScheduled,
        latency: { rate: args.rate, seconds: latencySeconds, ...latency },
        scenario2PublishToDeliveryP99Ms: aloneLatency?.p99,
        cpu: healthy.cpu,
      },
      rows: [
        [
          'healthy subscriber, deliveries/s, and alone in the same round (scenario 1 shape), median round',
          `${fmt(healthy.perSecond)} and ${fmt(median.alone)}: ${fmt(share * 100)} %`,
        ],
        [
          'share per round (alone → with the troubled two; * = the troubled drain ran first)',
          rounds
            .map(
              (round) =>
                `${fmt(round.alone)} → ${fmt(round.troubled.perSecond)} (${fmt(round.share * 100)} %${round.first === 'troubled' ? '*' : ''})`,
            )
            .join('; '),
        ],
        [
          "sidecar CPU ms per healthy delivery, alone → beside the troubled two (each round; the median of the rounds' ratios)",
          `${rounds
            .map((round) => `${fmt(round.sidecarCpuMs.alone, 3)} → ${fmt(round.sidecarCpuMs.troubled, 3)}`)
            .join('; ')}; ${fmt(sidecarCpuRatio, 2)}×`,
        ],
        [
          "against this run's scenario 1",
          scenario1 === undefined
            ? 'scenario 1 not run'
            : `${fmt((healthy.perSecond / scenario1) * 100)} % of ${fmt(scenario1)}/s`,
        ],
        [
          `healthy subscriber at ${fmt(args.rate)} events/s: publish-to-delivery p50 / p99`,
          `${fmt(latency.p2d.p50, 1)} / ${fmt(latency.p2d.p99, 1)} ms (scenario 2 p99: ${aloneLatency === undefined ? 'not run' : `${fmt(aloneLatency.p99, 1)} ms`})`,
        ],
        [
          'answers of the 2 s / 503 receivers (all rounds); deliveries deferred; retry publishes (median round)',
          `${fmt(others.slowAnswered)} / ${fmt(others.failingAnswered)}; ${fmt(healthy.deferred)}; ${fmt(healthy.retriesScheduled)}`,
        ],
        ['cores used (median round, with the troubled two)', describeCpu(healthy.cpu)],
      ],
      cpu: healthy.cpu,
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

async function runRound(
  context: BenchContext,
  round: number,
  troubledUrls: readonly string[],
  troubledReceivers: { slow: BenchReceiver; failing: BenchReceiver },
): Promise<Round> {
  const { receiver, args } = context;
  const healthyUrl = `${receiver.url}/healthy`;
  // Only the healthy subscriber's deliveries are counted, in both shapes.
  const drain = (label: string, recipients: readonly string[]): Promise<BacklogRunResult> => {
    receiver.clear();
    return runBacklog({
      context,
      label,
      recipients,
      events: args.isolationEvents,
      delivered: () => receiver.count(),
      expected: args.isolationEvents,
    });
  };
  const drainAlone = () => drain(`isolation_alone_${round}`, [healthyUrl]);
  const drainTroubled = () => drain(`isolation_${round}`, [healthyUrl, ...troubledUrls]);
  const first = round % 2 === 1 ? 'alone' : 'troubled';
  let alone: BacklogRunResult;
  let troubled: BacklogRunResult;
  if (first === 'alone') {
    alone = await drainAlone();
    troubled = await drainTroubled();
  } else {
    troubled = await drainTroubled();
    alone = await drainAlone();
  }
  const share = troubled.perSecond / alone.perSecond;
  const sidecarCpuMsOf = (run: BacklogRunResult): number =>
    costPerDelivery(run.cpu, run.measuredDeliveries).byProcess.sidecar ?? 0;
  const sidecarCpuMs = { alone: sidecarCpuMsOf(alone), troubled: sidecarCpuMsOf(troubled) };
  process.stdout.write(
    `    round ${round} (${first} first): alone ${fmt(alone.perSecond)}/s, with the troubled two ${fmt(troubled.perSecond)}/s (${fmt(share * 100)} %; sidecar ${fmt(sidecarCpuMs.alone, 3)} → ${fmt(sidecarCpuMs.troubled, 3)} CPU ms per healthy delivery; 2 s / 503 answers so far ${fmt(troubledReceivers.slow.count())} / ${fmt(troubledReceivers.failing.count())}); ${describeCpu(troubled.cpu)}\n`,
  );
  return { first, alone: alone.perSecond, troubled, share, sidecarCpuMs };
}

/** How much more sidecar CPU a healthy delivery took beside the troubled two than alone. */
function cpuRatioOf(round: Round): number {
  return round.sidecarCpuMs.troubled / round.sidecarCpuMs.alone;
}
