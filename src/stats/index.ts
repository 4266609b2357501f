export { type EventCount, eventTotals } from './eventTotals.js';
export { type MetricsSnapshot, readMetricsSnapshot } from './metricsSnapshot.js';
export {
  backlogCandidates,
  type ChannelSource,
  makeQueueInspector,
  type QueueDepth,
  type QueueInspector,
  type QueueReport,
} from './queueDepths.js';
export {
  type LogRange,
  makeStatsQueries,
  type StatsQueries,
  type SubscriptionCount,
} from './statsQueries.js';
export { type DeliveryStats, makeStatsService, type StatsService } from './statsService.js';
export { MAX_STATS_MINUTES } from './statsWindow.js';
