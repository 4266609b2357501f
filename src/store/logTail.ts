import type { RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';
import { LOG_FROM, LOG_ITEM_COLUMNS, type LogItem, toLogItem } from './logQueries.js';

/**
 * Reads async_event_subscriber_log in log_id order for the search indexer, always by primary-key
 * ranges so each query costs what it returns.
 */
export interface TailRow extends LogItem {
  /** The delivered body as text (it is JSON), or null. */
  body: string | null;
  /** How long ago the row was created, by the database clock (ms, 1 s resolution). */
  ageMs: number;
}

/** Inclusive range of log ids. */
export interface LogIdRange {
  from: number;
  to: number;
}

const TAIL_COLUMNS = `${LOG_ITEM_COLUMNS}, l.serialized_data, GREATEST(TIMESTAMPDIFF(SECOND, l.created, UTC_TIMESTAMP()), 0) AS age_s`;
// The range optimizer handles a few hundred OR-ed primary-key intervals well; more go in another query.
const RANGES_PER_QUERY = 200;

function toTailRow(row: RowDataPacket): TailRow {
  const item = toLogItem(row, true);
  return { ...item, body: item.body ?? null, ageMs: Number(row.age_s) * 1000 };
}

/** The next `limit` rows after `afterId`, oldest id first. */
export async function readLogRowsAfter(pool: Pool, afterId: number, limit: number): Promise<TailRow[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT ${TAIL_COLUMNS} ${LOG_FROM} WHERE l.log_id > ? ORDER BY l.log_id LIMIT ?`,
    [afterId, limit],
  );
  return rows.map(toTailRow);
}

/** Rows by id, oldest id first; ids without a row are left out. */
export async function readLogRowsById(pool: Pool, ids: readonly number[]): Promise<TailRow[]> {
  if (ids.length === 0) {
    return [];
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT ${TAIL_COLUMNS} ${LOG_FROM} WHERE l.log_id IN (?) ORDER BY l.log_id`,
    [ids],
  );
  return rows.map(toTailRow);
}

/** The ids that exist inside the given ranges (the indexer asks which missing ids have appeared). */
export async function findLogIdsInRanges(pool: Pool, ranges: readonly LogIdRange[]): Promise<number[]> {
  const found: number[] = [];
  for (let start = 0; start < ranges.length; start += RANGES_PER_QUERY) {
    const chunk = ranges.slice(start, start + RANGES_PER_QUERY);
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT log_id FROM async_event_subscriber_log WHERE ${chunk.map(() => '(log_id BETWEEN ? AND ?)').join(' OR ')} ORDER BY log_id`,
      chunk.flatMap((range) => [range.from, range.to]),
    );
    found.push(...rows.map((row) => Number(row.log_id)));
  }
  return found;
}

export interface TailLag {
  /** The newest log_id (0 for an empty table). */
  newestLogId: number;
  /** Age of the oldest row after the given id, by the database clock (seconds; 0 when none). */
  oldestPendingAgeS: number;
}

/** Two primary-key lookups: cheap enough to run after every indexing step. */
export async function readTailLag(pool: Pool, afterId: number): Promise<TailLag> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT (SELECT MAX(log_id) FROM async_event_subscriber_log) AS newest,
            (SELECT GREATEST(TIMESTAMPDIFF(SECOND, created, UTC_TIMESTAMP()), 0) FROM async_event_subscriber_log
              WHERE log_id > ? ORDER BY log_id LIMIT 1) AS age_s`,
    [afterId],
  );
  const row = rows[0];
  return { newestLogId: Number(row?.newest ?? 0), oldestPendingAgeS: Number(row?.age_s ?? 0) };
}

/** Rows with `afterId < log_id <= upTo` (for a backfill's percentage). */
export async function countLogRows(pool: Pool, afterId: number, upTo: number): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS total FROM async_event_subscriber_log WHERE log_id > ? AND log_id <= ?',
    [afterId, upTo],
  );
  return Number(rows[0]?.total ?? 0);
}
