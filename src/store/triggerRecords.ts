import type { RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';
import type { TriggerRecord } from './logRow.js';

/** The trigger records of some deliveries, by uuid (absent for deliveries made before they were kept). */
export async function findTriggerRecords(
  pool: Pool,
  uuids: readonly string[],
): Promise<Map<string, TriggerRecord>> {
  if (uuids.length === 0) {
    return new Map();
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT uuid, event_name, arguments, store_id FROM async_event_sidecar_trigger WHERE uuid IN (?)',
    [uuids],
  );
  return new Map(
    rows.map((row) => [
      String(row.uuid),
      { eventName: String(row.event_name), arguments: String(row.arguments), storeId: Number(row.store_id) },
    ]),
  );
}
