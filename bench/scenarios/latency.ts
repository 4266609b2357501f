import { monitorEventLoopDelay } from 'node:perf_hooks';

import { startMagentoStandIn } from '../../fixtures/magento-stand-in/index.js';
import { startBenchReceiver } from '../lib/benchReceiver.js';
import type { BenchContext } from '../lib/context.js';
import { startCpuMeter } from '../lib/cpuMeter.js';
import { MAGENTO_TOKEN, openEnvironment } from '../lib/environment.js';
import { publishSteadily } from '../lib/publisher.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';
import { spawnSidecar } from '../lib/sidecarProcess.js';
import { waitUntil } from '../lib/wait.js';
import { percentile } from '../stats.js';
import {
  consumeToDelivery,
  type LatencyFigures,
  publishToDelivery,
  stageLatencies,
} from './latencyFigures.js';

/**
 * Seconds at the same steady rate before the measured phase. A sidecar that has just started
 * answers its first second slower (JIT still compiling, keep-alive and database connections and
 * prepared statements opening: 3 % of a 20 s run's deliveries, all in that second, took 50–100 ms);
 * the steady state is what the target is about, and the warm-up's own figure is reported beside it.
 */
const WARMUP_SECONDS = 3;

/**
 * Scenario 2: R events/s for D seconds into an empty queue, 1 subscriber, stand-in at 0 ms, after a
 * warm-up at the same rate → publish-to-delivery (publish call → the receiver's arrival, one clock)
 * and consume-to-delivery (the sidecar's own histogram over this phase) p50/p95/p99.
 */
export async function runLatency(context: BenchContext): Promise<ScenarioReport> {
  const { args } = context;
  const measured = await measureSteadyLatency(context, {
    label: 'latency',
    rate: args.rate,
    seconds: args.seconds,
  });
  const { p2d, c2d } = measured;
  return {
    name: 'latency',
    title: `2. Latency: ${fmt(args.rate)} events/s for ${args.seconds} s, 1 subscriber`,
    figures: {
      rate: args.rate,
      seconds: args.seconds,
      publishToDeliveryMs: p2d,
      consumeToDelivery: c2d,
      cpu: measured.cpu,
    },
    rows: [
      [
        'publish-to-delivery p50 / p95 / p99',
        `${fmt(p2d.p50, 1)} / ${fmt(p2d.p95, 1)} / ${fmt(p2d.p99, 1)} ms`,
      ],
      [
        'consume-to-delivery p50 / p95 / p99 (histogram bucket bounds)',
        `≤ ${fmt(c2d.p50, 1)} / ≤ ${fmt(c2d.p95, 1)} / ≤ ${fmt(c2d.p99, 1)} ms; ${fmt(c2d.within50ms * 100, 2)} % within 50 ms`,
      ],
      [
        `warm-up (first ${measured.warmup.seconds} s after start, not in the figures above): consume-to-delivery p99`,
        `≤ ${fmt(measured.warmup.c2d.p99, 1)} ms; ${fmt(measured.warmup.c2d.within50ms * 100, 2)} % within 50 ms`,
      ],
      [
        'sidecar stages p50 / p99 (bucket bounds): Magento resolve, delivery attempt, log commit',
        Object.values(measured.stages)
          .map((stage) => `≤ ${fmt(stage.p50, 1)} / ≤ ${fmt(stage.p99, 1)} ms`)
          .join('; '),
      ],
      [
        'event-loop delay of the benchmark process (stand-in, receiver): p99 / max',
        `${fmt(measured.benchLoopDelayMs.p99, 1)} / ${fmt(measured.benchLoopDelayMs.max, 1)} ms`,
      ],
      ['cores used', describeCpu(measured.cpu)],
    ],
    cpu: measured.cpu,
    targets: [
      target('latency', 'consume-to-delivery p99', c2d.p99, {
        unit: ' ms (bucket bound)',
        goal: '≤ 50 ms',
        pass: c2d.within50ms >= 0.99,
      }),
    ],
  };
}

/** Runs a steady-rate phase against a fresh sidecar; extra subscribers (scenario 5) may be added. */
export async function measureSteadyLatency(
  context: BenchContext,
  options: { label: string; rate: number; seconds: number; extraRecipients?: readonly string[] },
): Promise<LatencyFigures> {
  const environment = await openEnvironment(options.label);
  const standIn = await startMagentoStandIn({ token: MAGENTO_TOKEN, synthesize: true });
  const receiver = await startBenchReceiver({ trackArrivals: true });
  try {
    await environment.subscribe('sales.order.created', `${receiver.url}/latency`);
    for (const recipient of options.extraRecipients ?? []) {
      await environment.subscribe('sales.order.created', recipient);
    }
    const sidecar = spawnSidecar({ environment, magentoUrl: standIn.url, label: options.label });
    await sidecar.ready;
    const started = await sidecar.metrics();
    const warmupSeconds = Math.min(WARMUP_SECONDS, options.seconds);
    const warmup = await publishSteadily(environment.channel, {
      eventName: 'sales.order.created',
      firstId: 1,
      rate: options.rate,
      seconds: warmupSeconds,
    });
    await waitUntil(() => receiver.arrivals.size >= warmup.size, 120_000, 'the warm-up deliveries');
    const before = await sidecar.metrics();
    const meter = startCpuMeter({ sidecar: sidecar.pid, ...context.pids });
    // The stand-in and the receiver run on this process's event loop: its stalls show as latency too.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const publishedAt = await publishSteadily(environment.channel, {
      eventName: 'sales.order.created',
      firstId: warmup.size + 1,
      rate: options.rate,
      seconds: options.seconds,
    });
    await waitUntil(
      () => receiver.arrivals.size >= warmup.size + publishedAt.size,
      120_000,
      'the latency deliveries',
    );
    const cpu = meter.stop();
    loopDelay.disable();
    const after = await sidecar.metrics();
    await sidecar.stop();
    const latencies = [...publishedAt].map(([id, at]) => (receiver.arrivals.get(id) ?? Number.NaN) - at);
    return {
      p2d: publishToDelivery(latencies, percentile),
      c2d: consumeToDelivery(before, after),
      warmup: { seconds: warmupSeconds, c2d: consumeToDelivery(started, before) },
      stages: stageLatencies(before, after),
      benchLoopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      cpu,
      deliveries: publishedAt.size,
    };
  } finally {
    await receiver.close();
    await standIn.close();
    await environment.close();
  }
}
