import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeRetentionJob } from '../../src/retention/index.js';
import { makeLogger } from '../../src/shared/index.js';
import {
  CLEANUP_DAYS_PATH,
  CLEANUP_ENABLED_PATH,
  makeNamedLock,
  runMigrations,
} from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const DAY = 86_400_000;
const sqlTime = (time: number) => new Date(time).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The log cleanup cron the sidecar runs in upstream's place, on the real MariaDB: Magento's two
 * settings, batches by primary key, index documents and trigger records going with their rows,
 * commit marks of long-gone writers, and one replica at a time.
 */
describe('log retention', () => {
  let db: TestDatabase;
  const logger = makeLogger({ level: 'silent' });
  const NOW = Date.parse('2026-11-23T12:00:00Z');

  const count = async (table: string) => {
    const [[row]] = await db.pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(row?.n);
  };

  const seed = async (old: number, fresh: number) => {
    await db.pool.query('DELETE FROM async_event_subscriber_log');
    await db.pool.query('DELETE FROM async_event_sidecar_trigger');
    const rows: unknown[][] = [];
    for (let index = 0; index < old + fresh; index += 1) {
      const created = sqlTime(index < old ? NOW - 40 * DAY + index * 1000 : NOW - 2 * DAY);
      rows.push([`u-${index}`, 1, 1, '', null, created]);
    }
    await db.pool.query(
      'INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data, serialized_data, created) VALUES ?',
      [rows],
    );
    await db.pool.query(
      'INSERT INTO async_event_sidecar_trigger (uuid, event_name, arguments, store_id, created) VALUES ?',
      [rows.map((row) => [row[0], 'sales.order.created', '{"id":1}', 0, row[5]])],
    );
  };

  const job = (deletedFromIndex: number[][], batchSize = 1000) =>
    makeRetentionJob({
      pool: db.pool,
      logger,
      intervalMs: 60_000,
      batchSize,
      pauseMs: 1,
      search: {
        deleteLogIds: (ids) => {
          deletedFromIndex.push([...ids]);
          return Promise.resolve();
        },
      },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(db.pool, logger);
    await db.addSubscription({ eventName: 'sales.order.created', recipientUrl: 'http://127.0.0.1:9/' });
  });
  afterAll(async () => db?.remove());

  it('deletes nothing while Magento’s cleanup setting is off', async () => {
    await seed(5, 5);
    await db.setConfig(CLEANUP_ENABLED_PATH, '0');
    await db.setConfig(CLEANUP_DAYS_PATH, '30');
    expect(await job([]).runOnce(new Date(NOW))).toBe(0);
    expect(await count('async_event_subscriber_log')).toBe(10);
  });

  it('deletes rows older than the period in batches, with their index documents and trigger records', async () => {
    await seed(2_500, 7);
    await db.pool.query(
      'INSERT INTO async_event_sidecar_log_commit (writer_id, batch_seq, updated) VALUES (?, 9, ?), (?, 3, ?)',
      ['writer-killed', sqlTime(NOW - 40 * DAY), 'writer-recent', sqlTime(NOW - 2 * DAY)],
    );
    await db.setConfig(CLEANUP_ENABLED_PATH, '1');
    await db.setConfig(CLEANUP_DAYS_PATH, '30');
    const [[{ firstFresh }]] = (await db.pool.query(
      "SELECT MIN(log_id) AS firstFresh FROM async_event_subscriber_log WHERE uuid = 'u-2500'",
    )) as unknown as [[{ firstFresh: number }]];
    const batches: number[][] = [];
    const deleted: number[] = [];
    const retention = makeRetentionJob({
      pool: db.pool,
      logger,
      intervalMs: 60_000,
      batchSize: 1000,
      pauseMs: 1,
      onDeleted: (rows) => deleted.push(rows),
      search: {
        deleteLogIds: (ids) => {
          batches.push([...ids]);
          return Promise.resolve();
        },
      },
    });

    expect(await retention.runOnce(new Date(NOW))).toBe(2_500);
    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
    expect(deleted).toEqual([1000, 1000, 500]);
    expect(batches.flat().every((id) => id < Number(firstFresh))).toBe(true);
    expect(await count('async_event_subscriber_log')).toBe(7);
    expect(await count('async_event_sidecar_trigger')).toBe(7);
    // The commit mark of a writer gone for longer than the period goes too; a recent one stays.
    const [marks] = await db.pool.query<RowDataPacket[]>(
      'SELECT writer_id FROM async_event_sidecar_log_commit ORDER BY writer_id',
    );
    expect(marks.map((mark) => mark.writer_id as string)).toEqual(['writer-recent']);
    // A second pass finds nothing.
    expect(await retention.runOnce(new Date(NOW))).toBe(0);
    await retention.close();
  });

  it('keeps the log rows when the index refuses to delete their documents (tried again next pass)', async () => {
    await seed(3, 0);
    const failing = makeRetentionJob({
      pool: db.pool,
      logger,
      intervalMs: 60_000,
      pauseMs: 1,
      search: { deleteLogIds: () => Promise.reject(new Error('index unavailable')) },
    });
    await expect(failing.runOnce(new Date(NOW))).rejects.toThrow('index unavailable');
    expect(await count('async_event_subscriber_log')).toBe(3);
    await failing.close();
  });

  it('runs on one replica at a time: a held lock makes a pass do nothing', async () => {
    await seed(4, 0);
    const holder = makeNamedLock(db.pool, 'async_event_sidecar_retention');
    expect(await holder.tryAcquire()).toBe(true);
    expect(await job([]).runOnce(new Date(NOW))).toBe(0);
    expect(await count('async_event_subscriber_log')).toBe(4);
    await holder.release();
    expect(await job([]).runOnce(new Date(NOW))).toBe(4);
  });
});
