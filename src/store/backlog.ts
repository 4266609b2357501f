import { hash } from 'node:crypto';

import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';

import { insertInChunks, type InsertValue, type StatementExecutor } from './bulkInsert.js';
import type { Pool } from './db.js';
import type { TriggerRecord } from './logRow.js';

/**
 * A first delivery the subscription could not take when its event came, kept in
 * `async_event_sidecar_backlog` until the backlog drainer sends it. Only what a fresh resolution
 * needs is kept (the trigger), not the payload: a held delivery costs a few dozen bytes.
 */
export interface HeldDelivery {
  subscriptionId: number;
  uuid: string;
  trigger: TriggerRecord;
  /** Why it was held (the admission refusal), kept with the row for operators. */
  reason: string;
}

/** One claimed backlog row: its deliveries in arrival order, and how many were already made. */
export interface BacklogBatch {
  backlogId: number;
  subscriptionId: number;
  deliveries: ReadonlyArray<{ uuid: string; trigger: TriggerRecord }>;
  done: number;
}

type StoredDelivery = [uuid: string, eventName: string, args: string, storeId: number];

/** reason is varchar(1024) (migration 0030). */
const REASON_MAX_CHARS = 1024;
/** A row nobody holds: never leased, released, or its lease ran out (its process died). */
const LEASE_FREE = '(lease_until IS NULL OR lease_until < NOW(3))';
/** Free rows read per look: a claim lost to another drainer moves on to the next of them. */
const CLAIM_CANDIDATES = 8;

const INSERT_STATEMENT = {
  prefix:
    'INSERT IGNORE INTO async_event_sidecar_backlog (subscription_id, batch_key, deliveries, delivery_count, reason) VALUES ',
  rowPlaceholders: '(?, ?, ?, ?, ?)',
  columns: 5,
};

/**
 * The unique key of a row within its subscription: the SHA-1 of its uuids, so a group commit repeated
 * after a lost acknowledgement, or one delivery held and adopted twice, finds its row already there.
 */
function batchKeyOf(uuids: readonly string[]): string {
  return hash('sha1', uuids.join(','), 'hex');
}

const storedOf = ({ uuid, trigger }: HeldDelivery): StoredDelivery => [
  uuid,
  trigger.eventName,
  trigger.arguments,
  trigger.storeId,
];

/**
 * Writes held deliveries as one row per subscription. IGNORE on (subscription_id, batch_key): a
 * group commit repeated after a lost acknowledgement finds its rows and adds nothing.
 */
export async function insertHeldDeliveries(
  executor: StatementExecutor,
  held: readonly HeldDelivery[],
): Promise<void> {
  const bySubscription = new Map<number, HeldDelivery[]>();
  for (const delivery of held) {
    const group = bySubscription.get(delivery.subscriptionId);
    if (group === undefined) {
      bySubscription.set(delivery.subscriptionId, [delivery]);
    } else {
      group.push(delivery);
    }
  }
  if (bySubscription.size === 0) {
    return;
  }
  const values: InsertValue[] = [];
  for (const [subscriptionId, group] of bySubscription) {
    values.push(
      subscriptionId,
      batchKeyOf(group.map(({ uuid }) => uuid)),
      JSON.stringify(group.map(storedOf)),
      group.length,
      group[0]?.reason.slice(0, REASON_MAX_CHARS) ?? '',
    );
  }
  await insertInChunks(executor, INSERT_STATEMENT, values);
}

/** Claims, advances and removes backlog rows under a lease, so replicas never drain one row twice at once. */
export interface BacklogStore {
  /** Held deliveries not made yet, per subscription (leased rows included). */
  pending(): Promise<Map<number, number>>;
  /** Leases the oldest row of a subscription that nobody holds; undefined when there is none. */
  claim(subscriptionId: number, owner: string, leaseS: number): Promise<BacklogBatch | undefined>;
  /** Records progress and extends the lease; false when the lease was lost (taken over after expiry). */
  advance(batch: BacklogBatch, owner: string, done: number, leaseS: number): Promise<boolean>;
  /** Gives the row back with its progress; nobody claims it again for `notBeforeS` seconds. */
  release(batch: BacklogBatch, owner: string, done: number, notBeforeS: number): Promise<void>;
  /** Deletes a row whose deliveries are all made. */
  remove(batch: BacklogBatch, owner: string): Promise<void>;
  /**
   * Writes a row for one delivery that is being made now, already leased to `owner` for `leaseS`:
   * nobody drains it while the lease runs, and it is drained like any other row if the lease ends
   * first (the process died). Undefined when a row of the same delivery exists already.
   */
  adopt(delivery: HeldDelivery, owner: string, leaseS: number): Promise<BacklogBatch | undefined>;
}

export function makeBacklogStore(pool: Pool): BacklogStore {
  const readClaimed = async (
    backlogId: number,
    subscriptionId: number,
    owner: string,
  ): Promise<BacklogBatch | undefined> => {
    const [rows] = await pool.execute<RowDataPacket[]>(
      'SELECT deliveries, done FROM async_event_sidecar_backlog WHERE backlog_id = ? AND lease_owner = ?',
      [backlogId, owner],
    );
    const [row] = rows;
    if (row === undefined) {
      return undefined; // deleted (its subscription went) between the claim and this read
    }
    const stored = JSON.parse(String(row.deliveries)) as StoredDelivery[];
    return {
      backlogId,
      subscriptionId,
      deliveries: stored.map(([uuid, eventName, args, storeId]) => ({
        uuid,
        trigger: { eventName, arguments: args, storeId },
      })),
      done: Number(row.done),
    };
  };

  return {
    async pending() {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT subscription_id, SUM(delivery_count - done) AS held
           FROM async_event_sidecar_backlog GROUP BY subscription_id`,
      );
      return new Map(rows.map((row) => [Number(row.subscription_id), Number(row.held)]));
    },

    async claim(subscriptionId, owner, leaseS) {
      // Free rows are found by a plain (non-locking) read and taken one by one by primary key: a
      // locking scan (UPDATE … ORDER BY … LIMIT 1) deadlocks with another drainer's DELETE of a
      // row it passes, and a deadlocked DELETE would leave a drained row leased until its lease ends.
      for (;;) {
        const [free] = await pool.execute<RowDataPacket[]>(
          `SELECT backlog_id FROM async_event_sidecar_backlog
            WHERE subscription_id = ? AND ${LEASE_FREE}
            ORDER BY backlog_id LIMIT ${CLAIM_CANDIDATES}`,
          [subscriptionId],
        );
        if (free.length === 0) {
          return undefined;
        }
        for (const candidate of free) {
          const backlogId = Number(candidate.backlog_id);
          // The lease condition is checked again on the row's latest version: one drainer wins it.
          const [claimed] = await pool.execute<ResultSetHeader>(
            `UPDATE async_event_sidecar_backlog
                SET lease_owner = ?, lease_until = NOW(3) + INTERVAL ? SECOND
              WHERE backlog_id = ? AND ${LEASE_FREE}`,
            [owner, leaseS, backlogId],
          );
          if (claimed.affectedRows > 0) {
            return readClaimed(backlogId, subscriptionId, owner);
          }
        }
        // Every candidate was taken by another drainer meanwhile: look for the rows after them.
      }
    },

    async advance(batch, owner, done, leaseS) {
      const [result] = await pool.execute<ResultSetHeader>(
        `UPDATE async_event_sidecar_backlog SET done = ?, lease_until = NOW(3) + INTERVAL ? SECOND
          WHERE backlog_id = ? AND lease_owner = ?`,
        [done, leaseS, batch.backlogId, owner],
      );
      return result.affectedRows > 0;
    },

    async release(batch, owner, done, notBeforeS) {
      await pool.execute(
        `UPDATE async_event_sidecar_backlog
            SET done = ?, lease_owner = NULL, lease_until = NOW(3) + INTERVAL ? SECOND
          WHERE backlog_id = ? AND lease_owner = ?`,
        [done, notBeforeS, batch.backlogId, owner],
      );
    },

    async adopt(delivery, owner, leaseS) {
      const { subscriptionId, uuid, trigger, reason } = delivery;
      // Keyed as a held group of one: the same delivery held and adopted (a redelivered message)
      // is one row, and the second writer backs off.
      const [inserted] = await pool.execute<ResultSetHeader>(
        `INSERT IGNORE INTO async_event_sidecar_backlog
                (subscription_id, batch_key, deliveries, delivery_count, reason, lease_owner, lease_until)
         VALUES (?, ?, ?, 1, ?, ?, NOW(3) + INTERVAL ? SECOND)`,
        [
          subscriptionId,
          batchKeyOf([uuid]),
          JSON.stringify([storedOf(delivery)]),
          reason.slice(0, REASON_MAX_CHARS),
          owner,
          leaseS,
        ],
      );
      if (inserted.affectedRows === 0) {
        return undefined;
      }
      return { backlogId: inserted.insertId, subscriptionId, deliveries: [{ uuid, trigger }], done: 0 };
    },

    async remove(batch, owner) {
      await pool.execute('DELETE FROM async_event_sidecar_backlog WHERE backlog_id = ? AND lease_owner = ?', [
        batch.backlogId,
        owner,
      ]);
    },
  };
}
