import type { Metrics } from '../metrics/index.js';
import { type EventCount, eventTotals } from './eventTotals.js';
import { type MetricsSnapshot, readMetricsSnapshot } from './metricsSnapshot.js';
import type { QueueInspector, QueueReport } from './queueDepths.js';
import { ORDER_SLACK_MINUTES, type StatsQueries, type SubscriptionCount } from './statsQueries.js';
import { fillSeries, type SeriesPoint, statsWindow, toMagentoUtc } from './statsWindow.js';

/** The answer of `GET /V1/async_event_stats`: everything the dashboard's overview draws. */
export interface DeliveryStats {
  window: { from: string; to: string; minutes: number; bucket_minutes: number };
  /** Delivery attempts per bucket, oldest first, every bucket present. */
  series: SeriesPoint[];
  totals: { total: number; failed: number };
  by_event: EventCount[];
  by_subscription: SubscriptionCount[];
  /** true when there were more subscriptions with attempts than listed. */
  by_subscription_truncated: boolean;
  queues: QueueReport;
  resolution: MetricsSnapshot['resolution'];
  retries_scheduled: MetricsSnapshot['retries_scheduled'];
  parked: MetricsSnapshot['parked'];
  indexing_lag_seconds: number | null;
}

export interface StatsService {
  /** Statistics over the last `minutes` (validated by the caller: 1 to MAX_STATS_MINUTES). */
  stats(minutes: number): Promise<DeliveryStats>;
}

const MINUTE_MS = 60_000;

export function makeStatsService(deps: {
  queries: StatsQueries;
  queues: Pick<QueueInspector, 'report'>;
  metrics: Metrics;
  /** Whether a search engine indexes the log (its lag is reported only then). */
  indexing: boolean;
}): StatsService {
  const { queries } = deps;

  const logCounts = async (from: Date, to: Date, bucketMinutes: number) => {
    const range = { from: toMagentoUtc(from), to: toMagentoUtc(to) };
    const fromId = await queries.firstLogIdSince(
      toMagentoUtc(new Date(from.getTime() - ORDER_SLACK_MINUTES * MINUTE_MS)),
    );
    if (fromId === undefined) {
      return { buckets: [], subscriptions: { rows: [], truncated: false } };
    }
    const [buckets, subscriptions] = await Promise.all([
      queries.countByBucket({ ...range, fromId }, bucketMinutes),
      queries.countBySubscription({ ...range, fromId }),
    ]);
    return { buckets, subscriptions };
  };

  return {
    async stats(minutes) {
      const window = statsWindow(await queries.now(), minutes);
      // The broker and the registry are asked while the database works.
      const [counts, queues, snapshot] = await Promise.all([
        logCounts(window.from, window.to, window.bucketMinutes),
        deps.queues.report(),
        readMetricsSnapshot(deps.metrics, { indexing: deps.indexing }),
      ]);
      const series = fillSeries(counts.buckets, window);
      return {
        window: {
          from: toMagentoUtc(window.from),
          to: toMagentoUtc(window.to),
          minutes,
          bucket_minutes: window.bucketMinutes,
        },
        series,
        totals: {
          total: series.reduce((sum, point) => sum + point.total, 0),
          failed: series.reduce((sum, point) => sum + point.failed, 0),
        },
        by_event: eventTotals(counts.subscriptions.rows),
        by_subscription: counts.subscriptions.rows,
        by_subscription_truncated: counts.subscriptions.truncated,
        queues,
        resolution: snapshot.resolution,
        retries_scheduled: snapshot.retries_scheduled,
        parked: snapshot.parked,
        indexing_lag_seconds: snapshot.indexing_lag_seconds,
      };
    },
  };
}
