import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';

import type { DeliveryControls } from '../config/index.js';
import { CONTROL_COLUMNS, type ControlOverrides, overridesOf } from './controlOverrides.js';
import type { Pool } from './db.js';

/**
 * Queries on async_event_sidecar_subscription_controls (one function per query). Datetimes are
 * UTC strings (`YYYY-MM-DD HH:MM:SS`), as the pool reads them and Magento stores them.
 */
const TABLE = 'async_event_sidecar_subscription_controls';

export interface ControlsRecord {
  overrides: ControlOverrides;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
}

const EMPTY_RECORD: ControlsRecord = {
  overrides: {},
  failingSince: null,
  disabledAt: null,
  disabledReason: null,
};

export async function findControls(pool: Pool, subscriptionId: number): Promise<ControlsRecord> {
  const [rows] = await pool.execute<RowDataPacket[]>(`SELECT * FROM ${TABLE} WHERE subscription_id = ?`, [
    subscriptionId,
  ]);
  const [row] = rows;
  if (row === undefined) {
    return EMPTY_RECORD;
  }
  return {
    overrides: overridesOf(row),
    failingSince: textOrNull(row.failing_since),
    disabledAt: textOrNull(row.disabled_at),
    disabledReason: textOrNull(row.disabled_reason),
  };
}

/** Sets the given controls (`null` returns one to the default); other controls stay as they are. */
export async function saveControls(
  pool: Pool,
  subscriptionId: number,
  changes: { [K in keyof DeliveryControls]?: DeliveryControls[K] | null },
): Promise<void> {
  const entries = (Object.keys(changes) as Array<keyof DeliveryControls>).map((name) => {
    const value = changes[name];
    return [CONTROL_COLUMNS[name], typeof value === 'boolean' ? Number(value) : (value ?? null)] as const;
  });
  if (entries.length === 0) {
    return;
  }
  const columns = entries.map(([column]) => column);
  await pool.execute(
    `INSERT INTO ${TABLE} (subscription_id, ${columns.join(', ')}) VALUES (?${', ?'.repeat(columns.length)})
     ON DUPLICATE KEY UPDATE ${columns.map((column) => `${column} = VALUES(${column})`).join(', ')}`,
    [subscriptionId, ...entries.map(([, value]) => value)],
  );
}

/** Starts a run of failures unless one is running; answers when the run started (UTC). */
export async function markFailing(pool: Pool, subscriptionId: number): Promise<string> {
  await pool.execute(
    `INSERT INTO ${TABLE} (subscription_id, failing_since) VALUES (?, UTC_TIMESTAMP())
     ON DUPLICATE KEY UPDATE failing_since = COALESCE(failing_since, VALUES(failing_since))`,
    [subscriptionId],
  );
  const [[row]] = await pool.execute<RowDataPacket[]>(
    `SELECT failing_since FROM ${TABLE} WHERE subscription_id = ?`,
    [subscriptionId],
  );
  return String(row?.failing_since);
}

/** Ends a run of failures (a delivery succeeded). */
export async function clearFailing(pool: Pool, subscriptionId: number): Promise<void> {
  await pool.execute(
    `UPDATE ${TABLE} SET failing_since = NULL WHERE subscription_id = ? AND failing_since IS NOT NULL`,
    [subscriptionId],
  );
}

/**
 * Disables a subscription: Magento's `status` = 0 plus the reason and time in our table, in one
 * transaction. With `failingForS`, only when its run of failures (still) started at least that
 * long ago by the database clock: another replica may have seen a success meanwhile. The run of
 * failures ends with the disable, so a later re-enable (through any route) starts afresh.
 * Answers whether it disabled the subscription.
 */
export async function disableSubscription(
  pool: Pool,
  subscriptionId: number,
  reason: string,
  condition?: { failingForS: number },
): Promise<boolean> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    const [marked] =
      condition === undefined
        ? await connection.execute<ResultSetHeader>(
            `INSERT INTO ${TABLE} (subscription_id, disabled_at, disabled_reason) VALUES (?, UTC_TIMESTAMP(), ?)
             ON DUPLICATE KEY UPDATE disabled_at = VALUES(disabled_at), disabled_reason = VALUES(disabled_reason), failing_since = NULL`,
            [subscriptionId, reason],
          )
        : await connection.execute<ResultSetHeader>(
            `UPDATE ${TABLE} SET disabled_at = UTC_TIMESTAMP(), disabled_reason = ?, failing_since = NULL
              WHERE subscription_id = ? AND failing_since IS NOT NULL
                AND failing_since <= UTC_TIMESTAMP() - INTERVAL ? SECOND`,
            [reason, subscriptionId, condition.failingForS],
          );
    if (marked.affectedRows === 0) {
      await connection.rollback();
      return false;
    }
    await connection.execute('UPDATE async_event_subscriber SET status = 0 WHERE subscription_id = ?', [
      subscriptionId,
    ]);
    await connection.commit();
    return true;
  } catch (error: unknown) {
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

/** Forgets a disable and any run of failures (the subscription was enabled again through the API). */
export async function clearDisabled(pool: Pool, subscriptionId: number): Promise<void> {
  await pool.execute(
    `UPDATE ${TABLE} SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL WHERE subscription_id = ?`,
    [subscriptionId],
  );
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}
