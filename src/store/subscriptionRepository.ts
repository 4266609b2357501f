import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';

import { redactUrl } from '../config/index.js';
import type { Pool } from './db.js';

/** A subscription as the REST API shows it: never the token, never the metadata. */
export interface SubscriptionView {
  subscription_id: number;
  event_name: string;
  recipient_url: string;
  status: boolean;
  subscribed_at: string | null;
  store_id: number;
}

export interface NewSubscriptionRow {
  eventName: string;
  recipientUrl: string;
  /** Already encrypted in Magento's format. */
  verificationToken: string;
  metadata: string;
  storeId: number;
}

const VIEW_COLUMNS = 'subscription_id, event_name, recipient_url, status, subscribed_at, store_id';

function toView(row: RowDataPacket): SubscriptionView {
  return {
    subscription_id: Number(row.subscription_id),
    event_name: String(row.event_name),
    // An amqp sink's URL carries the subscriber's broker password: views never show credentials.
    recipient_url: redactUrl(String(row.recipient_url)),
    status: Number(row.status) === 1,
    subscribed_at: row.subscribed_at === null ? null : String(row.subscribed_at),
    store_id: Number(row.store_id),
  };
}

/** Creates an active subscription, subscribed now (UTC, as Magento stores datetimes); returns its id. */
export async function insertSubscription(pool: Pool, row: NewSubscriptionRow): Promise<number> {
  const [result] = await pool.execute<ResultSetHeader>(
    `INSERT INTO async_event_subscriber (event_name, recipient_url, verification_token, status, subscribed_at, metadata, store_id)
     VALUES (?, ?, ?, 1, UTC_TIMESTAMP(), ?, ?)`,
    [row.eventName, row.recipientUrl, row.verificationToken, row.metadata, row.storeId],
  );
  return result.insertId;
}

export async function findSubscriptionView(
  pool: Pool,
  subscriptionId: number,
): Promise<SubscriptionView | undefined> {
  const [rows] = await pool.execute<RowDataPacket[]>(
    `SELECT ${VIEW_COLUMNS} FROM async_event_subscriber WHERE subscription_id = ?`,
    [subscriptionId],
  );
  const [row] = rows;
  return row === undefined ? undefined : toView(row);
}

/** The recipient and current sink of a subscription (to validate a change of `metadata`). */
export async function findRecipient(
  pool: Pool,
  subscriptionId: number,
): Promise<{ recipientUrl: string; metadata: string } | undefined> {
  const [rows] = await pool.execute<RowDataPacket[]>(
    'SELECT recipient_url, metadata FROM async_event_subscriber WHERE subscription_id = ?',
    [subscriptionId],
  );
  const [row] = rows;
  return row === undefined
    ? undefined
    : { recipientUrl: String(row.recipient_url), metadata: String(row.metadata ?? '').trim() };
}

/** Changes the status and, when given, the metadata; false when the subscription does not exist. */
export async function updateSubscription(
  pool: Pool,
  subscriptionId: number,
  change: { status: boolean; metadata: string | undefined },
): Promise<boolean> {
  const [result] =
    change.metadata === undefined
      ? await pool.execute<ResultSetHeader>(
          'UPDATE async_event_subscriber SET status = ? WHERE subscription_id = ?',
          [change.status ? 1 : 0, subscriptionId],
        )
      : await pool.execute<ResultSetHeader>(
          'UPDATE async_event_subscriber SET status = ?, metadata = ? WHERE subscription_id = ?',
          [change.status ? 1 : 0, change.metadata, subscriptionId],
        );
  return result.affectedRows > 0;
}

/**
 * A page of subscriptions and the total. `where`, `orderBy` and `limit` come from criteriaToSql:
 * identifiers from a whitelist in code, values only as parameters.
 */
export async function listSubscriptionViews(
  pool: Pool,
  query: {
    where: { sql: string; params: Array<string | number> };
    orderBy: string;
    limit: { sql: string; params: Array<string | number> };
  },
): Promise<{ items: SubscriptionView[]; totalCount: number }> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT ${VIEW_COLUMNS} FROM async_event_subscriber ${query.where.sql} ORDER BY ${query.orderBy} ${query.limit.sql}`,
    [...query.where.params, ...query.limit.params],
  );
  const [[count]] = await pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS total FROM async_event_subscriber ${query.where.sql}`,
    query.where.params,
  );
  return { items: rows.map(toView), totalCount: Number(count?.total ?? 0) };
}

/** A subscription with its attempt counts over a recent window (operator listings). */
export interface SubscriptionHealth extends SubscriptionView {
  attempts: number;
  failed: number;
  /** Newest attempt inside the window, or null. */
  last_attempt: string | null;
}

export async function listSubscriptionHealth(
  pool: Pool,
  filter: { eventPattern?: string; active?: boolean; storeId?: number; hours: number },
): Promise<SubscriptionHealth[]> {
  const clauses: string[] = [];
  const params: Array<string | number> = [filter.hours];
  if (filter.eventPattern !== undefined) {
    clauses.push("s.event_name LIKE ? ESCAPE '!'");
    params.push(filter.eventPattern.replace(/[!%_]/g, '!$&').replaceAll('*', '%'));
  }
  if (filter.active !== undefined) {
    clauses.push('s.status = ?');
    params.push(filter.active ? 1 : 0);
  }
  if (filter.storeId !== undefined) {
    clauses.push('s.store_id = ?');
    params.push(filter.storeId);
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT s.subscription_id, s.event_name, s.recipient_url, s.status, s.subscribed_at, s.store_id,
            COUNT(l.log_id) AS attempts, COALESCE(SUM(l.success = 0), 0) AS failed, MAX(l.created) AS last_attempt
       FROM async_event_subscriber s
       LEFT JOIN async_event_subscriber_log l
         ON l.subscription_id = s.subscription_id AND l.created >= UTC_TIMESTAMP() - INTERVAL ? HOUR
      ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''}
      GROUP BY s.subscription_id
      ORDER BY s.subscription_id`,
    params,
  );
  return rows.map((row) => ({
    ...toView(row),
    attempts: Number(row.attempts),
    failed: Number(row.failed),
    last_attempt: row.last_attempt === null ? null : String(row.last_attempt),
  }));
}
