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
 * bound of the true value, as precise as the buckets.
 */
export function histogramQuantile(metricsText: string, name: string, q: number): number {
  const buckets: Array<{ le: number; count: number }> = [];
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`, 'gm');
  for (const match of metricsText.matchAll(pattern)) {
    buckets.push({
      le: match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]),
      count: Number(match[2]),
    });
  }
  const total = buckets.at(-1)?.count ?? 0;
  return buckets.find((bucket) => bucket.count >= q * total)?.le ?? Number.NaN;
}
