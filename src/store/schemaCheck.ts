import type { RowDataPacket } from 'mysql2/promise';

import { SidecarError } from '../shared/index.js';
import type { Pool } from './db.js';

/** Byte limits of the log columns, read from the live table (an operator may have widened them). */
export interface LogColumnLimits {
  responseDataBytes: number;
  serializedDataBytes: number;
}

const REQUIRED_COLUMNS: Record<string, readonly string[]> = {
  async_event_subscriber: [
    'subscription_id',
    'event_name',
    'recipient_url',
    'verification_token',
    'status',
    'metadata',
    'store_id',
  ],
  async_event_subscriber_log: [
    'log_id',
    'uuid',
    'subscription_id',
    'success',
    'response_data',
    'created',
    'serialized_data',
  ],
};

/**
 * Checks that Magento's async event tables exist with the columns the sidecar uses, and reads the
 * log columns' sizes. Fails with a message saying what to do, instead of failing per message later.
 */
export async function checkMagentoSchema(pool: Pool): Promise<LogColumnLimits> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, CHARACTER_OCTET_LENGTH AS octets
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('async_event_subscriber', 'async_event_subscriber_log')`,
  );
  const found = new Map<string, number | null>();
  for (const row of rows) {
    found.set(
      `${String(row.tableName)}.${String(row.columnName)}`,
      row.octets === null ? null : Number(row.octets),
    );
  }
  const missing = Object.entries(REQUIRED_COLUMNS).flatMap(([table, columns]) =>
    columns.filter((column) => !found.has(`${table}.${column}`)).map((column) => `${table}.${column}`),
  );
  if (missing.length > 0) {
    throw new SidecarError(
      'SC_ERR_DB_SCHEMA',
      `Magento's async event tables are missing or incomplete (${missing.join(', ')}). Point MYSQL_URL at the Magento database and install MageOS_AsyncEvents (bin/magento setup:upgrade).`,
    );
  }
  return {
    responseDataBytes: found.get('async_event_subscriber_log.response_data') ?? 65_535,
    serializedDataBytes: found.get('async_event_subscriber_log.serialized_data') ?? 65_535,
  };
}
