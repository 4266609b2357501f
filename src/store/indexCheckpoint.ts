import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';

/**
 * The search indexer's checkpoint in `async_event_sidecar_search_index` (migration 0020): every
 * log_id up to `last_log_id` is in the engine's index or was given up on. Only the replica holding
 * the indexer lock moves it; `reindex --from-start` may reset it at any time, which is why moves
 * are conditional on the value the mover last saw.
 */
export interface CheckpointKey {
  engine: string;
  indexPrefix: string;
}

/** Reads the checkpoint, creating it at 0 (index everything) the first time. */
export async function ensureCheckpoint(pool: Pool, key: CheckpointKey): Promise<number> {
  await pool.execute(
    'INSERT IGNORE INTO async_event_sidecar_search_index (engine, index_prefix, last_log_id, updated_at) VALUES (?, ?, 0, UTC_TIMESTAMP())',
    [key.engine, key.indexPrefix],
  );
  return readCheckpoint(pool, key);
}

export async function readCheckpoint(pool: Pool, key: CheckpointKey): Promise<number> {
  const [rows] = await pool.execute<RowDataPacket[]>(
    'SELECT last_log_id FROM async_event_sidecar_search_index WHERE engine = ? AND index_prefix = ?',
    [key.engine, key.indexPrefix],
  );
  return Number(rows[0]?.last_log_id ?? 0);
}

/**
 * Moves the checkpoint from `from` to `to`. False when it no longer holds `from` (someone reset
 * it): the caller re-reads it instead of overwriting the reset.
 */
export async function moveCheckpoint(
  pool: Pool,
  key: CheckpointKey,
  from: number,
  to: number,
): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>(
    'UPDATE async_event_sidecar_search_index SET last_log_id = ?, updated_at = UTC_TIMESTAMP() WHERE engine = ? AND index_prefix = ? AND last_log_id = ?',
    [to, key.engine, key.indexPrefix, from],
  );
  return result.affectedRows === 1;
}

/** Sets the checkpoint unconditionally (`reindex --from-start` sets 0). */
export async function resetCheckpoint(pool: Pool, key: CheckpointKey, to = 0): Promise<void> {
  await pool.execute(
    `INSERT INTO async_event_sidecar_search_index (engine, index_prefix, last_log_id, updated_at) VALUES (?, ?, ?, UTC_TIMESTAMP())
     ON DUPLICATE KEY UPDATE last_log_id = VALUES(last_log_id), updated_at = VALUES(updated_at)`,
    [key.engine, key.indexPrefix, to],
  );
}
