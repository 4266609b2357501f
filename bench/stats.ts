/** The p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) {
    return Number.NaN;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
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

/** The cumulative buckets of a histogram in Prometheus exposition text. */
function histogramBuckets(metricsText: string, name: string): Array<{ le: number; count: number }> {
  const buckets: Array<{ le: number; count: number }> = [];
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`, 'gm');
  for (const match of metricsText.matchAll(pattern)) {
    buckets.push({
      le: match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]),
      count: Number(match[2]),
    });
  }
  return buckets;
}
