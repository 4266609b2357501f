import { rssMb } from './cpuMeter.js';

export interface RssSample {
  /** Seconds since sampling started. */
  atS: number;
  /** Deliveries so far (for "per 100k events"). */
  deliveries: number;
  rssMb: number;
}

export interface RssSummary {
  startMb: number;
  peakMb: number;
  endMb: number;
  /** Least-squares slope over the second half of the samples, MB per 100,000 deliveries. */
  slopeMbPer100k: number;
  samples: RssSample[];
}

/** Samples a process's RSS every `everyMs` until stopped. */
export function sampleRss(pid: number, delivered: () => number, everyMs: number): { stop(): RssSummary } {
  const samples: RssSample[] = [];
  const started = performance.now();
  const take = () => {
    const mb = rssMb(pid);
    if (mb !== undefined) {
      samples.push({ atS: (performance.now() - started) / 1000, deliveries: delivered(), rssMb: mb });
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return summarise(samples);
    },
  };
}

export function summarise(samples: RssSample[]): RssSummary {
  const values = samples.map((sample) => sample.rssMb);
  // The first half includes warm-up (pools, JIT, caches filling): growth after that is the leak signal.
  const tail = samples.slice(Math.floor(samples.length / 2));
  return {
    startMb: values[0] ?? Number.NaN,
    peakMb: Math.max(...values),
    endMb: values.at(-1) ?? Number.NaN,
    slopeMbPer100k: slope(tail.map((s) => [s.deliveries, s.rssMb])) * 100_000,
    samples,
  };
}

function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) {
    return Number.NaN;
  }
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}
