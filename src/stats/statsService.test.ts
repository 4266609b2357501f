import { describe, expect, it } from 'vitest';

import { makeMetrics } from '../metrics/index.js';
import type { LogRange, StatsQueries } from './statsQueries.js';
import { makeStatsService } from './statsService.js';

/** The database side as recorded answers, so the service's arithmetic is checked on its own. */
function recordedQueries(firstId: number | undefined) {
  const asked: { since?: string; ranges: LogRange[] } = { ranges: [] };
  const queries: StatsQueries = {
    now: () => Promise.resolve(new Date('2026-11-23T10:02:30Z')),
    firstLogIdSince(since) {
      asked.since = since;
      return Promise.resolve(firstId);
    },
    countByBucket(range) {
      asked.ranges.push(range);
      return Promise.resolve([
        { bucket: 0, total: 5, failed: 1 },
        { bucket: 2, total: 3, failed: 3 },
      ]);
    },
    countBySubscription(range) {
      asked.ranges.push(range);
      return Promise.resolve({
        rows: [
          { subscription_id: 7, event_name: 'a.b', store_id: 0, total: 6, failed: 2, last_created: 'x' },
          { subscription_id: 8, event_name: 'a.b', store_id: 1, total: 2, failed: 2, last_created: 'y' },
        ],
        truncated: false,
      });
    },
  };
  return { asked, queries };
}

const queues = { report: () => Promise.resolve({ available: false as const, reason: 'test' }) };

describe('makeStatsService', () => {
  it('anchors the window on the database clock and looks for the first id a little earlier', async () => {
    const { asked, queries } = recordedQueries(42);
    const stats = await makeStatsService({
      queries,
      queues,
      metrics: makeMetrics({ defaultMetrics: false }),
      indexing: false,
    }).stats(3);

    expect(stats.window).toEqual({
      from: '2026-11-23 10:00:00',
      to: '2026-11-23 10:03:00',
      minutes: 3,
      bucket_minutes: 1,
    });
    expect(asked.since).toBe('2026-11-23 09:55:00');
    expect(asked.ranges).toEqual([
      { fromId: 42, from: '2026-11-23 10:00:00', to: '2026-11-23 10:03:00' },
      { fromId: 42, from: '2026-11-23 10:00:00', to: '2026-11-23 10:03:00' },
    ]);
    expect(stats.series.map((point) => [point.total, point.failed])).toEqual([
      [5, 1],
      [0, 0],
      [3, 3],
    ]);
    expect(stats.totals).toEqual({ total: 8, failed: 4 });
    expect(stats.by_event).toEqual([{ event_name: 'a.b', total: 8, failed: 4, subscriptions: 2 }]);
    expect(stats.queues).toEqual({ available: false, reason: 'test' });
    expect(stats.indexing_lag_seconds).toBeNull();
  });

  it('answers an empty window without aggregating when the log is empty', async () => {
    const { asked, queries } = recordedQueries(undefined);
    const stats = await makeStatsService({
      queries,
      queues,
      metrics: makeMetrics({ defaultMetrics: false }),
      indexing: false,
    }).stats(60);
    expect(asked.ranges).toEqual([]);
    expect(stats.series).toHaveLength(60);
    expect(stats.totals).toEqual({ total: 0, failed: 0 });
    expect(stats.by_subscription).toEqual([]);
  });
});
