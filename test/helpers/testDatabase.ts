import { randomBytes } from 'node:crypto';

import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';

import { createMagentoDatabase, dropDatabase } from '../../fixtures/sql/magentoDatabase.js';
import { encryptMagentoValue, parseCryptKeys } from '../../src/magento/index.js';
import { requireService } from './services.js';

export const TEST_CRYPT_KEY = 'base64ERERERERERERERERERERERERERERERERERERERERERE=';
const ADMIN_URL = 'mysql://root@127.0.0.1:3306/';

export interface LogRow {
  log_id: number;
  uuid: string;
  subscription_id: number;
  success: number;
  response_data: string;
  created: string;
  serialized_data: Buffer | null;
}

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  addSubscription(subscription: {
    eventName: string;
    recipientUrl: string;
    token?: string;
    /** Stored as is instead of encrypting `token`. */
    rawToken?: string;
    status?: boolean;
    metadata?: string;
    storeId?: number;
  }): Promise<number>;
  setStatus(subscriptionId: number, active: boolean): Promise<void>;
  setConfig(path: string, value: string): Promise<void>;
  logRows(where?: { subscriptionId?: number; uuid?: string }): Promise<LogRow[]>;
  /** Deliveries of a subscription held in the sidecar's backlog table and not made yet. */
  heldDeliveries(subscriptionId: number): Promise<number>;
  /** Writes a log row directly (for search and retention tests); returns its log_id. */
  insertLog(row: {
    subscriptionId: number;
    uuid: string;
    success: boolean;
    responseData?: string;
    body?: string | null;
    created?: string;
  }): Promise<number>;
  remove(): Promise<void>;
}

/** A fresh database with Magento's async event tables per test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  await requireService('MariaDB');
  const name = `sidecar_test_${randomBytes(4).toString('hex')}`;
  const url = await createMagentoDatabase(ADMIN_URL, name);
  const pool = createPool({ uri: url, connectionLimit: 4, timezone: 'Z', dateStrings: true });
  const keys = parseCryptKeys(TEST_CRYPT_KEY);
  return {
    name,
    url,
    pool,
    async addSubscription(subscription) {
      const token = subscription.rawToken ?? encryptMagentoValue(subscription.token ?? 'test-secret', keys);
      const [result] = await pool.execute<ResultSetHeader>(
        `INSERT INTO async_event_subscriber (event_name, recipient_url, verification_token, status, subscribed_at, metadata, store_id)
         VALUES (?, ?, ?, ?, UTC_TIMESTAMP(), ?, ?)`,
        [
          subscription.eventName,
          subscription.recipientUrl,
          token,
          subscription.status === false ? 0 : 1,
          subscription.metadata ?? 'http',
          subscription.storeId ?? 0,
        ],
      );
      return result.insertId;
    },
    async setStatus(subscriptionId, active) {
      await pool.execute('UPDATE async_event_subscriber SET status = ? WHERE subscription_id = ?', [
        active ? 1 : 0,
        subscriptionId,
      ]);
    },
    async setConfig(path, value) {
      await pool.execute(
        "INSERT INTO core_config_data (scope, scope_id, path, value) VALUES ('default', 0, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)",
        [path, value],
      );
    },
    async logRows(where = {}) {
      const clauses: string[] = [];
      const values: Array<string | number> = [];
      if (where.subscriptionId !== undefined) {
        clauses.push('subscription_id = ?');
        values.push(where.subscriptionId);
      }
      if (where.uuid !== undefined) {
        clauses.push('uuid = ?');
        values.push(where.uuid);
      }
      const [rows] = await pool.execute<RowDataPacket[]>(
        `SELECT * FROM async_event_subscriber_log ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY log_id`,
        values,
      );
      return rows as LogRow[];
    },
    async heldDeliveries(subscriptionId) {
      const [rows] = await pool.execute<RowDataPacket[]>(
        'SELECT COALESCE(SUM(delivery_count - done), 0) AS held FROM async_event_sidecar_backlog WHERE subscription_id = ?',
        [subscriptionId],
      );
      return Number(rows[0]?.held ?? 0);
    },
    async insertLog(row) {
      const [result] = await pool.execute<ResultSetHeader>(
        `INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data, serialized_data, created)
         VALUES (?, ?, ?, ?, ?, COALESCE(?, UTC_TIMESTAMP()))`,
        [
          row.uuid,
          row.subscriptionId,
          row.success ? 1 : 0,
          row.responseData ?? '',
          row.body === undefined || row.body === null ? null : Buffer.from(row.body),
          row.created ?? null,
        ],
      );
      return result.insertId;
    },
    async remove() {
      await pool.end();
      await dropDatabase(ADMIN_URL, name);
    },
  };
}
