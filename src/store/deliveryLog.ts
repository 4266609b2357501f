import { randomUUID } from 'node:crypto';

import type { PoolConnection, RowDataPacket } from 'mysql2/promise';

import { coerceError, type Logger, sleep } from '../shared/index.js';
import { type HeldDelivery, insertHeldDeliveries } from './backlog.js';
import { insertInChunks, type InsertValue } from './bulkInsert.js';
import { isRetryableDbError, type Pool } from './db.js';
import { type DeliveryLogRow, fitLogRow } from './logRow.js';
import type { LogColumnLimits } from './schemaCheck.js';

/**
 * Writes delivery-log rows with group commit: rows appended while an INSERT is running wait for
 * it and go together in the next multi-row INSERT (at most `batchMaxRows`). `append` resolves once
 * the row is committed, which is when the consumer may ack the message it belongs to.
 *
 * While the database is unreachable the batch is retried with back-off and nothing resolves, so
 * consumers stop at their prefetch limit instead of acking unlogged work. A row the database
 * refuses for good (its subscription was deleted) is reported and resolved as not written, so one
 * bad row cannot hold a message forever.
 *
 * Held deliveries (backlog.ts) and trigger records ride in the same group commit (one transaction):
 * one backlog row per subscription, one trigger row per first attempt.
 *
 * States: idle ⇄ flushing → closed.
 */
export interface DeliveryLogWriter {
  append(row: DeliveryLogRow): Promise<AppendResult>;
  /**
   * Keeps deliveries in the backlog; resolves once all of them are settled, like `append`, with
   * those the database refused for good (usually none). One promise for the lot: a subscriber that
   * is down holds a delivery of every event, so the per-delivery cost is what it pays.
   */
  hold(held: readonly HeldDelivery[]): Promise<readonly HeldDelivery[]>;
  /** Rows appended and not yet committed. */
  pending(): number;
  /** Resolves when every row appended so far has been settled. */
  drain(): Promise<void>;
  /** Stops retrying after `signal` aborts (rows still pending are then rejected). */
  close(): Promise<void>;
}

export type AppendResult = { written: true } | { written: false; reason: string };

export interface BatchObserver {
  onBatch?(rows: number, durationMs: number): void;
  onRetry?(error: unknown): void;
}

export interface DeliveryLogWriterOptions {
  pool: Pool;
  logger: Logger;
  limits: LogColumnLimits;
  batchMaxRows: number;
  observer?: BatchObserver;
}

/** The caller of one `hold`: its promise settles when the last of its deliveries has. */
interface HoldGroup {
  left: number;
  refused: HeldDelivery[];
  resolve: (refused: readonly HeldDelivery[]) => void;
  reject: (error: Error) => void;
}

type PendingRow =
  | {
      row: DeliveryLogRow;
      held?: never;
      group?: never;
      resolve: (result: AppendResult) => void;
      reject: (error: Error) => void;
    }
  | { row?: never; held: HeldDelivery; group: HoldGroup; resolve?: never; reject?: never };

const WRITTEN: AppendResult = Object.freeze({ written: true });

function settle(pending: PendingRow, result: AppendResult): void {
  if (pending.row !== undefined) {
    pending.resolve(result);
    return;
  }
  const { group } = pending;
  if (!result.written) {
    group.refused.push(pending.held);
  }
  group.left -= 1;
  if (group.left === 0) {
    group.resolve(group.refused);
  }
}

/** Rejects the row's caller (a hold's caller once: a settled promise ignores the rest). */
function fail(pending: PendingRow, error: Error): void {
  if (pending.row !== undefined) {
    pending.reject(error);
  } else {
    pending.group.reject(error);
  }
}

const LOG_INSERT = {
  prefix:
    'INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data, serialized_data) VALUES ',
  rowPlaceholders: '(?, ?, ?, ?, ?)',
  columns: 5,
};
const TRIGGER_INSERT = {
  prefix: 'INSERT IGNORE INTO async_event_sidecar_trigger (uuid, event_name, arguments, store_id) VALUES ',
  rowPlaceholders: '(?, ?, ?, ?)',
  columns: 4,
};

const MARK_COMMIT =
  'INSERT INTO async_event_sidecar_log_commit (writer_id, batch_seq) VALUES (?, ?) ON DUPLICATE KEY UPDATE batch_seq = VALUES(batch_seq)';
const READ_COMMIT_MARK = 'SELECT batch_seq FROM async_event_sidecar_log_commit WHERE writer_id = ?';
const DELETE_COMMIT_MARK = 'DELETE FROM async_event_sidecar_log_commit WHERE writer_id = ?';

export function makeDeliveryLogWriter(options: DeliveryLogWriterOptions): DeliveryLogWriter {
  const logger = options.logger.child({ component: 'delivery-log' });
  const writerId = randomUUID();
  let lastBatchSeq = 0;
  const queue: PendingRow[] = [];
  let flushing: Promise<void> | undefined;
  let closed = false;
  const stop = new AbortController();

  // Trigger records are a convenience (fresh replays): a refusal is logged and the batch goes on.
  const insertTriggers = async (connection: PoolConnection, rows: PendingRow[]): Promise<void> => {
    const values: InsertValue[] = [];
    for (const { row } of rows) {
      if (row?.trigger !== undefined) {
        values.push(
          row.uuid,
          row.trigger.eventName.slice(0, 255),
          row.trigger.arguments.slice(0, 60_000),
          row.trigger.storeId,
        );
      }
    }
    try {
      await insertInChunks(connection, TRIGGER_INSERT, values);
    } catch (error: unknown) {
      if (isRetryableDbError(error)) {
        throw error;
      }
      // Only "resolve: fresh" replays need these rows: never let them cost a log row.
      logger.warn(
        { err: coerceError(error), rows: values.length / TRIGGER_INSERT.columns },
        'Trigger records not written; fresh replays of these deliveries will not be possible',
      );
    }
  };

  const insertLogRows = async (connection: PoolConnection, rows: DeliveryLogRow[]): Promise<void> => {
    const values: InsertValue[] = [];
    for (const row of rows) {
      const fitted = fitLogRow(row, options.limits);
      values.push(
        fitted.uuid,
        fitted.subscriptionId,
        fitted.success ? 1 : 0,
        fitted.responseData,
        fitted.serializedData,
      );
    }
    await insertInChunks(connection, LOG_INSERT, values);
  };

  // One transaction per batch: the log rows may take several statements (bulkInsert.ts) and a
  // batch retried after a failure must not repeat the ones already in; one commit is also one
  // flush of the redo log instead of one per table. The commit mark goes in with the rows.
  const insert = async (items: PendingRow[], batchSeq: number): Promise<void> => {
    const connection = await options.pool.getConnection();
    try {
      await connection.beginTransaction();
      await insertTriggers(connection, items);
      const held: HeldDelivery[] = [];
      const rows: DeliveryLogRow[] = [];
      for (const item of items) {
        if (item.row === undefined) {
          held.push(item.held);
        } else {
          rows.push(item.row);
        }
      }
      await insertHeldDeliveries(connection, held);
      await insertLogRows(connection, rows);
      await connection.execute(MARK_COMMIT, [writerId, batchSeq]);
      await connection.commit();
    } catch (error: unknown) {
      // A connection that cannot even roll back is broken: never hand it back to the pool.
      const rolledBack = await connection.rollback().then(
        () => true,
        () => false,
      );
      if (!rolledBack) {
        connection.destroy();
      }
      throw error;
    } finally {
      connection.release();
    }
  };

  /** Whether the group commit `batchSeq` is in (its acknowledgement may have been lost). */
  const committed = async (batchSeq: number): Promise<boolean> => {
    const [rows] = await options.pool.execute<RowDataPacket[]>(READ_COMMIT_MARK, [writerId]);
    return Number(rows[0]?.batch_seq ?? 0) >= batchSeq;
  };

  /** Inserts a batch, waiting out outages; returns the error when the database refuses it for good. */
  const insertWithRetry = async (rows: PendingRow[]): Promise<Error | undefined> => {
    const batchSeq = (lastBatchSeq += 1);
    let delayMs = 100;
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        // Batches are written one after the other, so a mark at this number or above means this
        // batch's COMMIT went through before the connection broke.
        if (attempt > 1 && (await committed(batchSeq))) {
          logger.warn(
            { rows: rows.length },
            'Delivery-log batch found committed after a lost acknowledgement; not written again',
          );
          return undefined;
        }
        await insert(rows, batchSeq);
        options.observer?.onBatch?.(rows.length, performance.now() - started);
        return undefined;
      } catch (error: unknown) {
        if (!isRetryableDbError(error)) {
          return coerceError(error);
        }
        if (stop.signal.aborted) {
          throw coerceError(error);
        }
        options.observer?.onRetry?.(error);
        logger.warn(
          { err: coerceError(error), rows: rows.length, delayMs },
          'Delivery log unavailable; retrying the batch',
        );
        await sleep(delayMs, stop.signal).catch(() => undefined);
        delayMs = Math.min(delayMs * 2, 5000);
      }
    }
  };

  const writeBatch = async (batch: PendingRow[]): Promise<void> => {
    const refused = await insertWithRetry(batch);
    if (refused === undefined) {
      batch.forEach((pending) => settle(pending, WRITTEN));
      return;
    }
    if (batch.length > 1) {
      // One row spoils a multi-row INSERT: write them one by one to find it.
      for (const pending of batch) {
        await writeBatch([pending]);
      }
      return;
    }
    const [only] = batch;
    if (only !== undefined) {
      const { subscriptionId, uuid } = only.row ?? only.held;
      logger.error(
        { err: refused, subscriptionId, deliveryId: uuid },
        only.row === undefined
          ? 'The database refused a held delivery; it is not kept (was its subscription deleted?)'
          : 'The database refused a delivery-log row; it is not recorded',
      );
      settle(only, { written: false, reason: refused.message });
    }
  };

  const flushLoop = async (): Promise<void> => {
    // Let rows appended in the same tick join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const batch = queue.splice(0, options.batchMaxRows);
      try {
        await writeBatch(batch);
      } catch (error: unknown) {
        const failure = coerceError(error);
        batch.forEach((pending) => fail(pending, failure));
      }
    }
  };

  const startFlush = (): void => {
    flushing ??= flushLoop().finally(() => {
      flushing = undefined;
      if (queue.length > 0 && !closed) {
        startFlush();
      }
    });
  };

  const closedError = (): Error => new Error('The delivery log writer is closed');

  return {
    append(row) {
      if (closed) {
        return Promise.reject(closedError());
      }
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        startFlush();
      });
    },
    hold(held) {
      if (closed) {
        return Promise.reject(closedError());
      }
      if (held.length === 0) {
        return Promise.resolve([]);
      }
      return new Promise<readonly HeldDelivery[]>((resolve, reject) => {
        const group: HoldGroup = { left: held.length, refused: [], resolve, reject };
        for (const delivery of held) {
          queue.push({ held: delivery, group });
        }
        startFlush();
      });
    },
    pending: () => queue.length + (flushing === undefined ? 0 : 1),
    async drain() {
      while (flushing !== undefined) {
        await flushing;
      }
    },
    async close() {
      closed = true;
      stop.abort(new Error('delivery log writer closed'));
      while (flushing !== undefined) {
        await flushing.catch(() => undefined);
      }
      const left = queue.splice(0);
      left.forEach((pending) =>
        fail(pending, new Error('The delivery log writer closed before the row was written')),
      );
      if (lastBatchSeq > 0) {
        // Best effort: a row left behind (database gone at shutdown) is one small row.
        await options.pool.execute(DELETE_COMMIT_MARK, [writerId]).catch(() => undefined);
      }
    },
  };
}
