import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';

export const CLEANUP_ENABLED_PATH = 'system/async_events/subscriber_log_cleanup_cron';
export const CLEANUP_DAYS_PATH = 'system/async_events/subscriber_log_cron_delete_period';

/** Upstream's log cleanup settings at default scope: whether it runs and after how many days. */
export async function readCleanupSettings(pool: Pool): Promise<{ enabled: boolean; days: number }> {
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT path, value FROM core_config_data WHERE scope = 'default' AND scope_id = 0 AND path IN (?, ?)",
    [CLEANUP_ENABLED_PATH, CLEANUP_DAYS_PATH],
  );
  const value = (path: string) => {
    const raw: unknown = rows.find((row) => row.path === path)?.value;
    return typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
  };
  const days = Number.parseInt(value(CLEANUP_DAYS_PATH), 10);
  return { enabled: value(CLEANUP_ENABLED_PATH) === '1', days: Number.isNaN(days) ? 0 : days };
}

/** The next batch of log ids older than `before`, oldest first (uses the primary key, not a scan of created). */
export async function findExpiredLogIds(pool: Pool, before: string, limit: number): Promise<number[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT log_id FROM async_event_subscriber_log WHERE created < ? ORDER BY log_id LIMIT ?',
    [before, limit],
  );
  return rows.map((row) => Number(row.log_id));
}

export async function deleteLogIds(pool: Pool, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) {
    return 0;
  }
  const [result] = await pool.query<ResultSetHeader>(
    'DELETE FROM async_event_subscriber_log WHERE log_id IN (?)',
    [ids],
  );
  return result.affectedRows;
}

export async function deleteExpiredTriggerRecords(
  pool: Pool,
  before: string,
  limit: number,
): Promise<number> {
  const [result] = await pool.query<ResultSetHeader>(
    'DELETE FROM async_event_sidecar_trigger WHERE created < ? LIMIT ?',
    [before, limit],
  );
  return result.affectedRows;
}

/**
 * Commit marks (migration 0040) of writers not heard from since `before`: those of killed
 * processes. A live writer's mark is set again by every group commit, so it is never this old
 * while a batch of it could be retried.
 */
export async function deleteStaleCommitMarks(pool: Pool, before: string): Promise<number> {
  const [result] = await pool.query<ResultSetHeader>(
    'DELETE FROM async_event_sidecar_log_commit WHERE updated < ?',
    [before],
  );
  return result.affectedRows;
}
