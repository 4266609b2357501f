/** The p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) {
    return Number.NaN;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The median item by `key` (the lower middle one of an even count), so its other figures go with it. */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) {
    throw new Error('medianBy needs at least one item');
  }
  return middle;
}

/**
 * The upper bucket bound holding quantile q of a Prometheus histogram in exposition text: an upper
 * bound of the true value, as precise as the buckets. With `before` (an earlier scrape), only the
 * observations made between the two scrapes count.
 */
export function histogramQuantile(metricsText: string, name: string, q: number, before = ''): number {
  const earlier = histogramBuckets(before, name);
  const buckets = histogramBuckets(metricsText, name).map((bucket, index) => ({
    le: bucket.le,
    count: bucket.count - (earlier[index]?.count ?? 0),
  }));
  const total = buckets.at(-1)?.count ?? 0;
  return buckets.find((bucket) => bucket.count >= q * total)?.le ?? Number.NaN;
}

/** The sum of a counter over all its label sets, from Prometheus exposition text. */
export function counterTotal(metricsText: string, name: string): number {
  let total = 0;
  for (const match of metricsText.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'gm'))) {
    total += Number(match[1]);
  }
  return total;
}

/** The share (0–1) of a histogram's observations between two scrapes that fell in the bucket `le`. */
export function histogramShareWithin(metricsText: string, name: string, le: number, before = ''): number {
  const earlier = histogramBuckets(before, name);
  const now = histogramBuckets(metricsText, name);
  const total = (now.at(-1)?.count ?? 0) - (earlier.at(-1)?.count ?? 0);
  const index = now.findIndex((bucket) => bucket.le === le);
  if (index < 0 || total <= 0) {
    return Number.NaN;
  }
  return ((now[index]?.count ?? 0) - (earlier[index]?.count ?? 0)) / total;
}

/** The cumulative buckets of a histogram in Prometheus exposition text, summed over its label sets. */
function histogramBuckets(metricsText: string, name: string): Array<{ le: number; count: number }> {
  const byBound = new Map<number, number>();
  const pattern = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\d+)`, 'gm');
  for (const match of metricsText.matchAll(pattern)) {
    const le = match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]);
    byBound.set(le, (byBound.get(le) ?? 0) + Number(match[2]));
  }
  return [...byBound].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
}
