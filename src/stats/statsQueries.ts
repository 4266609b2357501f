import { ApiError } from '../shared/index.js';
import { LOG_FROM, makeBoundedSelect, type Pool } from '../store/index.js';
import { bisectFirst } from './bisectFirst.js';
import { type BucketCount, fromMagentoUtc } from './statsWindow.js';

/**
 * The SQL behind the delivery statistics, over Magento's own log and subscriber tables. Magento
 * gives `async_event_subscriber_log` no index on `created`, so a plain `created >= ?` reads the
 * whole table on every dashboard refresh. Instead the window's first `log_id` is found by bisecting
 * the primary key, and the aggregates scan only the ids from there.
 *
 * INVARIANT: `created` grows with `log_id`, because every writer (Magento and the sidecar) lets the
 * column default to the insert time. Rows written with an explicit older `created` (imports, tests)
 * can be missed at the window's edge. {@link ORDER_SLACK_MINUTES} absorbs the small reorderings of
 * concurrent batched inserts from several replicas.
 */
export const ORDER_SLACK_MINUTES = 5;

/** Per-subscription rows returned at most; Magento stores have tens to hundreds of subscriptions. */
export const MAX_SUBSCRIPTION_ROWS = 5000;

export interface SubscriptionCount {
  subscription_id: number;
  /** null when the subscription row is gone (its log rows normally go with it). */
  event_name: string | null;
  store_id: number | null;
  total: number;
  failed: number;
  /** Newest attempt in the window, Magento's UTC datetime text. */
  last_created: string;
}

export interface StatsQueries {
  /** The database clock: `created` is stamped by it, so the window is anchored on it. */
  now(): Promise<Date>;
  /** The first log_id at or after `since` (Magento UTC text), or undefined when the table is empty. */
  firstLogIdSince(since: string): Promise<number | undefined>;
  countByBucket(range: LogRange, bucketMinutes: number): Promise<BucketCount[]>;
  countBySubscription(range: LogRange): Promise<{ rows: SubscriptionCount[]; truncated: boolean }>;
}

/** Rows with `log_id >= fromId` and `from <= created < to` (Magento UTC text). */
export interface LogRange {
  fromId: number;
  from: string;
  to: string;
}

const LOG = 'async_event_subscriber_log';

export function makeStatsQueries(options: { pool: Pool; timeoutMs: number }): StatsQueries {
  const { pool, timeoutMs } = options;
  // Every statement is bounded: the dashboard refreshes on a timer and must not pile up slow reads.
  const select = makeBoundedSelect({
    pool,
    timeoutMs,
    onTimeout: () =>
      new ApiError(
        'SC_ERR_UNAVAILABLE',
        'Delivery statistics took longer than %seconds s; ask for a shorter window.',
        { parameters: { seconds: timeoutMs / 1000 } },
      ),
  });

  return {
    async now() {
      const [row] = await select('SELECT UTC_TIMESTAMP() AS now', []);
      const now = fromMagentoUtc(String(row?.now));
      if (now === undefined) {
        throw new Error(`The database answered UTC_TIMESTAMP() with "${String(row?.now)}"`);
      }
      return now;
    },

    async firstLogIdSince(since) {
      const [bounds] = await select(`SELECT MIN(log_id) AS low, MAX(log_id) AS high FROM ${LOG}`, []);
      if (bounds?.low == null || bounds.high == null) {
        return undefined;
      }
      // Each question is one primary-key seek: the first row at or after `id` (ids have gaps).
      return bisectFirst(Number(bounds.low), Number(bounds.high), async (id) => {
        const [row] = await select(
          `SELECT created >= ? AS reached FROM ${LOG} WHERE log_id >= ? ORDER BY log_id LIMIT 1`,
          [since, id],
        );
        return row === undefined || Number(row.reached) === 1;
      });
    },

    async countByBucket(range, bucketMinutes) {
      const rows = await select(
        `SELECT TIMESTAMPDIFF(MINUTE, ?, created) DIV ? AS bucket, COUNT(*) AS total, SUM(success = 0) AS failed
         FROM ${LOG} WHERE log_id >= ? AND created >= ? AND created < ? GROUP BY bucket`,
        [range.from, bucketMinutes, range.fromId, range.from, range.to],
      );
      return rows.map((row) => ({
        bucket: Number(row.bucket),
        total: Number(row.total),
        failed: Number(row.failed),
      }));
    },

    async countBySubscription(range) {
      const rows = await select(
        `SELECT l.subscription_id, s.event_name, s.store_id, COUNT(*) AS total, SUM(l.success = 0) AS failed,
                MAX(l.created) AS last_created
         ${LOG_FROM} WHERE l.log_id >= ? AND l.created >= ? AND l.created < ?
         GROUP BY l.subscription_id, s.event_name, s.store_id ORDER BY total DESC, l.subscription_id LIMIT ?`,
        [range.fromId, range.from, range.to, MAX_SUBSCRIPTION_ROWS + 1],
      );
      return {
        rows: rows.slice(0, MAX_SUBSCRIPTION_ROWS).map((row) => ({
          subscription_id: Number(row.subscription_id),
          event_name: row.event_name == null ? null : String(row.event_name),
          store_id: row.store_id == null ? null : Number(row.store_id),
          total: Number(row.total),
          failed: Number(row.failed),
          last_created: String(row.last_created),
        })),
        truncated: rows.length > MAX_SUBSCRIPTION_ROWS,
      };
    },
  };
}
