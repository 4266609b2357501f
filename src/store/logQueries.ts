import type { RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';

/** A delivery-log row as the search API shows it (the body only when asked for). */
export interface LogItem {
  log_id: number;
  uuid: string | null;
  subscription_id: number;
  event_name: string | null;
  store_id: number | null;
  success: boolean;
  /** `yyyy-MM-dd HH:mm:ss`, UTC, as the column holds it. */
  created: string;
  response_data: string;
  /** The exact delivered body, as text (it is JSON). */
  body?: string | null;
}

export const LOG_ITEM_COLUMNS =
  'l.log_id, l.uuid, l.subscription_id, s.event_name, s.store_id, l.success, l.created, l.response_data';
export const LOG_FROM =
  'FROM async_event_subscriber_log l LEFT JOIN async_event_subscriber s ON s.subscription_id = l.subscription_id';

export function toLogItem(row: RowDataPacket, withBody: boolean): LogItem {
  const item: LogItem = {
    log_id: Number(row.log_id),
    uuid: row.uuid === null ? null : String(row.uuid),
    subscription_id: Number(row.subscription_id),
    event_name: row.event_name === null ? null : String(row.event_name),
    store_id: row.store_id === null ? null : Number(row.store_id),
    success: Number(row.success) === 1,
    created: String(row.created),
    response_data: String(row.response_data),
  };
  if (withBody) {
    const body = row.serialized_data as Buffer | null;
    item.body = body === null ? null : body.toString('utf8');
  }
  return item;
}

/** Every attempt of a delivery chain (one uuid), oldest first, with the delivered bodies. */
export async function findTrace(pool: Pool, uuid: string): Promise<LogItem[]> {
  const [rows] = await pool.execute<RowDataPacket[]>(
    `SELECT ${LOG_ITEM_COLUMNS}, l.serialized_data ${LOG_FROM} WHERE l.uuid = ? ORDER BY l.log_id ASC`,
    [uuid],
  );
  return rows.map((row) => toLogItem(row, true));
}

/** Rows by id, in the order of `ids` (search engines answer ids; MySQL holds the rows). */
export async function findLogItems(
  pool: Pool,
  ids: readonly number[],
  withBody: boolean,
): Promise<LogItem[]> {
  if (ids.length === 0) {
    return [];
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT ${LOG_ITEM_COLUMNS}${withBody ? ', l.serialized_data' : ''} ${LOG_FROM} WHERE l.log_id IN (?)`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [Number(row.log_id), toLogItem(row, withBody)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One row with what a replay needs: its body and its subscription's state. */
export interface ReplaySource {
  log_id: number;
  uuid: string | null;
  subscription_id: number;
  event_name: string | null;
  subscription_active: boolean | null;
  body: Buffer | null;
}

export async function findReplaySources(pool: Pool, logIds: readonly number[]): Promise<ReplaySource[]> {
  if (logIds.length === 0) {
    return [];
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT l.log_id, l.uuid, l.subscription_id, s.event_name, s.status, l.serialized_data ${LOG_FROM} WHERE l.log_id IN (?)`,
    [logIds],
  );
  const byId = new Map(
    rows.map((row): [number, ReplaySource] => [
      Number(row.log_id),
      {
        log_id: Number(row.log_id),
        uuid: row.uuid === null ? null : String(row.uuid),
        subscription_id: Number(row.subscription_id),
        event_name: row.event_name === null ? null : String(row.event_name),
        subscription_active: row.status === null ? null : Number(row.status) === 1,
        body: (row.serialized_data as Buffer | null) ?? null,
      },
    ]),
  );
  return logIds.flatMap((id) => byId.get(id) ?? []);
}
