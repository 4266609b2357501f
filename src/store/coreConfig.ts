import type { RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';

export const MAX_DEATHS_PATH = 'system/async_events/max_deaths';
/** Upstream's config.xml default. */
export const DEFAULT_MAX_DEATHS = 5;

/** `system/async_events/max_deaths` at default scope, as upstream reads it; undefined when unset. */
export async function readMaxDeaths(pool: Pool): Promise<number | undefined> {
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT value FROM core_config_data WHERE path = ? AND scope = 'default' AND scope_id = 0 LIMIT 1",
    [MAX_DEATHS_PATH],
  );
  const raw: unknown = rows[0]?.value;
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
  if (text === '') {
    return undefined;
  }
  // PHP's (int) cast: leading digits count, anything else is 0.
  const value = Number.parseInt(text, 10);
  return Number.isNaN(value) ? 0 : Math.max(0, value);
}
