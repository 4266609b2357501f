import { type CpuShares, startCpuMeter } from './cpuMeter.js';
import { waitUntil } from './wait.js';

/**
 * The share of a backlog's deliveries that counts as the sidecar's warm-up. A process that has
 * just started runs its first couple of seconds at about half its later rate (V8 compiles the hot
 * path on the same two cores, connections and prepared statements open), so a rate over the whole
 * drain measures start-up as much as the pipeline: the sustained rate is taken after this share.
 */
export const WARM_UP_SHARE = 0.1;

export interface DrainResult {
  /** Every delivery of the backlog (the run ends when they have all arrived). */
  deliveries: number;
  /** Sustained rate: deliveries after the warm-up ÷ the time they took. */
  perSecond: number;
  /** Length of the sustained window. */
  seconds: number;
  /** Deliveries inside the sustained window (what `cpu` was spent on). */
  measuredDeliveries: number;
  /** CPU per process over the sustained window. */
  cpu: CpuShares;
  /** The first deliveries, from the first one to the end of the warm-up share. */
  warmUp: { deliveries: number; seconds: number };
  /** From the first delivery to the last, warm-up included. */
  whole: { seconds: number; perSecond: number };
}

/**
 * Times how a backlog drains: from the first delivery (`delivered()` > 0) and from the end of the
 * warm-up share of `expected`, a clock and a CPU meter each, all stopped when `expected`
 * deliveries have arrived.
 */
export async function measureDrain(options: {
  delivered: () => number;
  expected: number;
  pids: Record<string, number | undefined>;
  timeoutMs?: number;
}): Promise<DrainResult> {
  const timeoutMs = options.timeoutMs ?? 900_000;
  await waitUntil(() => options.delivered() >= 1, 60_000, 'the first delivery');
  const first = performance.now();
  const wholeMeter = startCpuMeter(options.pids);
  const warmUpTarget = Math.max(1, Math.ceil(options.expected * WARM_UP_SHARE));
  await waitUntil(
    () => options.delivered() >= warmUpTarget,
    timeoutMs,
    `${warmUpTarget} deliveries (the warm-up; got ${options.delivered()})`,
  );
  const warmedUp = performance.now();
  const warmUpDeliveries = options.delivered();
  const sustainedMeter = startCpuMeter(options.pids);
  await waitUntil(
    () => options.delivered() >= options.expected,
    timeoutMs,
    `${options.expected} deliveries (got ${options.delivered()})`,
  );
  const sustainedCpu = sustainedMeter.stop();
  const wholeCpu = wholeMeter.stop();
  const last = performance.now();
  const wholeSeconds = (last - first) / 1000;
  // A backlog so small that all of it arrived within the warm-up has no sustained window: its
  // figures, rate and CPU alike, are then the whole drain's.
  const window =
    warmUpDeliveries < options.expected
      ? {
          deliveries: options.expected - warmUpDeliveries,
          seconds: (last - warmedUp) / 1000,
          cpu: sustainedCpu,
        }
      : { deliveries: options.expected, seconds: wholeSeconds, cpu: wholeCpu };
  return {
    deliveries: options.expected,
    perSecond: window.deliveries / window.seconds,
    seconds: window.seconds,
    measuredDeliveries: window.deliveries,
    cpu: window.cpu,
    warmUp: { deliveries: warmUpDeliveries, seconds: (warmedUp - first) / 1000 },
    whole: { seconds: wholeSeconds, perSecond: options.expected / wholeSeconds },
  };
}
