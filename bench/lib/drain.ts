import { type CpuShares, startCpuMeter } from './cpuMeter.js';
import { waitUntil } from './wait.js';

export interface DrainResult {
  deliveries: number;
  /** From the first delivery to the last. */
  seconds: number;
  perSecond: number;
  /** CPU per process over the same window. */
  cpu: CpuShares;
}

/**
 * Times how a backlog drains: waits for the first delivery (`delivered()` > 0), starts the CPU
 * meter there, and stops both clocks when `expected` deliveries have arrived.
 */
export async function measureDrain(options: {
  delivered: () => number;
  expected: number;
  pids: Record<string, number | undefined>;
  timeoutMs?: number;
}): Promise<DrainResult> {
  await waitUntil(() => options.delivered() >= 1, 60_000, 'the first delivery');
  const first = performance.now();
  const meter = startCpuMeter(options.pids);
  await waitUntil(
    () => options.delivered() >= options.expected,
    options.timeoutMs ?? 900_000,
    `${options.expected} deliveries (got ${options.delivered()})`,
  );
  const cpu = meter.stop();
  const seconds = (performance.now() - first) / 1000;
  return { deliveries: options.expected, seconds, perSecond: options.expected / seconds, cpu };
}
