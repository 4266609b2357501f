/** One cumulative histogram bucket: observations `<= le` (Prometheus `_bucket`), `le` may be Infinity. */
export interface CumulativeBucket {
  le: number;
  count: number;
}

/**
 * The `q`-quantile (0–1) estimated from cumulative buckets the way Prometheus' `histogram_quantile`
 * does: find the bucket holding the rank and interpolate linearly inside it (from 0 for the first).
 * A rank in the `+Inf` bucket answers the highest finite bound, the most the buckets can tell.
 * `undefined` when nothing was observed.
 */
export function histogramQuantile(q: number, buckets: readonly CumulativeBucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0) {
    return undefined;
  }
  const rank = Math.min(1, Math.max(0, q)) * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank && bucket.count > lowerCount) {
      if (!Number.isFinite(bucket.le)) {
        return lowerBound;
      }
      return lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / (bucket.count - lowerCount);
    }
    lowerBound = Number.isFinite(bucket.le) ? bucket.le : lowerBound;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/**
 * Adds up the buckets of several label sets (e.g. every route and outcome) into one histogram.
 * `le` arrives as prom-client gives it: a number, or the text "+Inf".
 */
export function mergeBuckets(
  values: ReadonlyArray<{ le: number | string | undefined; count: number }>,
): CumulativeBucket[] {
  const byBound = new Map<number, number>();
  for (const value of values) {
    const le = value.le === '+Inf' ? Infinity : Number(value.le);
    if (Number.isNaN(le)) {
      continue;
    }
    byBound.set(le, (byBound.get(le) ?? 0) + value.count);
  }
  return [...byBound.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}
