/**
 * The time window of the delivery statistics: how far back, cut into equal buckets aligned on the
 * clock (so two requests a few seconds apart draw the same bars), with at most {@link MAX_BUCKETS}
 * points whatever the span. Pure: the database clock is passed in.
 */

/** Longest window the stats API answers: one week. */
export const MAX_STATS_MINUTES = 7 * 24 * 60;
/** Most points a series has; larger windows use wider buckets. */
export const MAX_BUCKETS = 240;
const BUCKET_CHOICES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440] as const;
const MINUTE_MS = 60_000;

export interface StatsWindow {
  /** First instant inside the window (inclusive), UTC. */
  from: Date;
  /** First instant after the window (exclusive), UTC: the end of the bucket holding `now`. */
  to: Date;
  bucketMinutes: number;
  buckets: number;
}

/** The narrowest clock-friendly bucket that keeps `minutes` within {@link MAX_BUCKETS} points. */
export function chooseBucketMinutes(minutes: number): number {
  return BUCKET_CHOICES.find((size) => Math.ceil(minutes / size) <= MAX_BUCKETS) ?? 1440;
}

/** The window covering at least the last `minutes` up to `now`, including the bucket `now` falls in. */
export function statsWindow(now: Date, minutes: number): StatsWindow {
  const bucketMinutes = chooseBucketMinutes(minutes);
  const bucketMs = bucketMinutes * MINUTE_MS;
  const buckets = Math.ceil(minutes / bucketMinutes);
  const end = (Math.floor(now.getTime() / bucketMs) + 1) * bucketMs;
  return { from: new Date(end - buckets * bucketMs), to: new Date(end), bucketMinutes, buckets };
}

/** Magento's datetime text (`YYYY-MM-DD HH:MM:SS`), in UTC as Magento stores it. */
export function toMagentoUtc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses Magento's UTC datetime text; `undefined` when it is not one. */
export function fromMagentoUtc(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (match === null) {
    return undefined;
  }
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface BucketCount {
  /** Bucket number from the window's start (0-based). */
  bucket: number;
  total: number;
  failed: number;
}

export interface SeriesPoint {
  /** Start of the bucket, Magento's UTC datetime text. */
  minute: string;
  total: number;
  failed: number;
}

/** One point per bucket of the window, zero where the database had no rows. */
export function fillSeries(counts: readonly BucketCount[], window: StatsWindow): SeriesPoint[] {
  const byBucket = new Map(counts.map((count) => [count.bucket, count]));
  const bucketMs = window.bucketMinutes * MINUTE_MS;
  return Array.from({ length: window.buckets }, (_unused, bucket) => {
    const found = byBucket.get(bucket);
    return {
      minute: toMagentoUtc(new Date(window.from.getTime() + bucket * bucketMs)),
      total: found?.total ?? 0,
      failed: found?.failed ?? 0,
    };
  });
}
