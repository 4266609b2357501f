import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeDeliveryLogWriter, runMigrations } from '../../src/store/index.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

/** The batched delivery-log writer on the real MariaDB. */
describe('delivery log writer', () => {
  let db: TestDatabase;
  let subscriptionId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(db.pool, captureLogs().logger); // the sidecar's tables, as at start
    subscriptionId = await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: 'http://127.0.0.1:9/x',
    });
  });
  afterAll(async () => {
    await db?.remove();
  });

  /** A writer on the test database; tests set what they look at. */
  const writerWith = (options: Partial<Parameters<typeof makeDeliveryLogWriter>[0]> = {}) =>
    makeDeliveryLogWriter({
      pool: db.pool,
      logger: captureLogs().logger,
      limits: { responseDataBytes: 65_535, serializedDataBytes: 65_535 },
      batchMaxRows: 50,
      ...options,
    });

  const row = (
    uuid: string,
    extra: Partial<{ subscriptionId: number; responseData: string; serializedData: Buffer | null }> = {},
  ) => ({
    uuid,
    subscriptionId,
    success: true,
    responseData: 'ok',
    serializedData: Buffer.from('{"data":{}}'),
    ...extra,
  });

  it('groups concurrent appends into few multi-row INSERTs and resolves each after commit', async () => {
    const batches: number[] = [];
    const writer = writerWith({
      batchMaxRows: 200,
      observer: { onBatch: (rows) => batches.push(rows) },
    });
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, index) => writer.append(row(`batch-${index}`))),
    );
    expect(results.every((result) => result.written)).toBe(true);
    expect(batches.reduce((sum, rows) => sum + rows, 0)).toBe(1000);
    expect(batches.length).toBeLessThanOrEqual(10);
    expect(Math.max(...batches)).toBe(200);
    expect(
      (await db.logRows({ subscriptionId })).filter((logged) => logged.uuid.startsWith('batch-')),
    ).toHaveLength(1000);
    await writer.close();
  });

  it('isolates a row the database refuses (deleted subscription) and writes the others', async () => {
    const logs = captureLogs();
    const writer = writerWith({
      logger: logs.logger,
    });
    const results = await Promise.all([
      writer.append(row('fk-good-1')),
      writer.append(row('fk-bad', { subscriptionId: 987_654 })),
      writer.append(row('fk-good-2')),
    ]);
    expect(results.map((result) => result.written)).toEqual([true, false, true]);
    expect(logs.find('The database refused a delivery-log row; it is not recorded')).toHaveLength(1);
    expect(await db.logRows({ uuid: 'fk-bad' })).toHaveLength(0);
    expect(await db.logRows({ uuid: 'fk-good-2' })).toHaveLength(1);
    await writer.close();
  });

  it('holds several deliveries under one promise, in the group commit with the appended rows', async () => {
    const logs = captureLogs();
    const batches: number[] = [];
    const writer = writerWith({
      logger: logs.logger,
      batchMaxRows: 3,
      observer: { onBatch: (rows) => batches.push(rows) },
    });
    const trigger = { eventName: 'sales.order.created', arguments: '{"id":"5"}', storeId: 1 };
    const held = ['held-1', 'held-2', 'held-3', 'held-4'].map((uuid) => ({
      subscriptionId,
      uuid,
      trigger,
      reason: 'the circuit is open',
    }));
    // A subscription deleted meanwhile: INSERT IGNORE lets MariaDB drop its row (the foreign key
    // would cascade it away anyway), so nothing is refused and the rest goes in.
    const gone = { subscriptionId: 987_654, uuid: 'held-gone', trigger, reason: 'the circuit is open' };
    const [appended, refused] = await Promise.all([
      writer.append(row('beside-held')),
      writer.hold([...held, gone]),
    ]);
    expect(appended.written).toBe(true);
    expect(refused).toEqual([]);
    // Five held and one row over batches of at most three: the promise waited for all of them.
    expect(batches.reduce((sum, rows) => sum + rows, 0)).toBe(6);
    expect(
      logs.find('The database refused a held delivery; it is not kept (was its subscription deleted?)'),
    ).toHaveLength(0);
    const [rows] = await db.pool.query<RowDataPacket[]>(
      'SELECT deliveries FROM async_event_sidecar_backlog WHERE subscription_id = ? ORDER BY backlog_id',
      [subscriptionId],
    );
    const kept = rows.flatMap((stored) =>
      (JSON.parse(String(stored.deliveries)) as string[][]).map(([uuid]) => uuid),
    );
    expect(kept).toEqual(['held-1', 'held-2', 'held-3', 'held-4']);
    expect(await writer.hold([])).toEqual([]);
    await writer.close();
    await expect(writer.hold(held)).rejects.toThrow('The delivery log writer is closed');
  });

  it('resolves a hold with the deliveries the database refuses for good, and writes the rest of the batch', async () => {
    const logs = captureLogs();
    const writer = writerWith({
      logger: logs.logger,
    });
    const trigger = { eventName: 'sales.order.created', arguments: '{"id":"7"}', storeId: 1 };
    const held = ['refused-held-1', 'refused-held-2'].map((uuid) => ({
      subscriptionId,
      uuid,
      trigger,
      reason: 'the circuit is open',
    }));
    // A missing table is not an outage (a retry fails the same way): the batch is split, the log
    // row goes in alone and each held delivery is refused on its own.
    await db.pool.query('RENAME TABLE async_event_sidecar_backlog TO async_event_sidecar_backlog_away');
    try {
      const [appended, refused] = await Promise.all([
        writer.append(row('beside-refused-held')),
        writer.hold(held),
      ]);
      expect(appended).toEqual({ written: true });
      expect(refused).toEqual(held);
    } finally {
      await db.pool.query('RENAME TABLE async_event_sidecar_backlog_away TO async_event_sidecar_backlog');
    }
    expect(await db.logRows({ uuid: 'beside-refused-held' })).toHaveLength(1);
    const lines = logs.find(
      'The database refused a held delivery; it is not kept (was its subscription deleted?)',
    );
    expect(lines.map((line) => line.deliveryId)).toEqual(['refused-held-1', 'refused-held-2']);
    await writer.close();
  });

  it('fits bodies and answers to the live columns', async () => {
    const writer = writerWith();
    const big = Buffer.alloc(70_000, 0x61);
    await writer.append(row('oversize', { serializedData: big, responseData: 'é'.repeat(40_000) }));
    const [stored] = await db.logRows({ uuid: 'oversize' });
    expect(stored?.serialized_data).toBeNull();
    expect(stored?.response_data).toMatch(
      /^\[body of 70000 bytes not stored: serialized_data holds 65535\] é/,
    );
    expect(Buffer.byteLength(stored?.response_data ?? '')).toBeLessThanOrEqual(65_535);
    await writer.close();
  });

  const lostConnection = () =>
    Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });

  /**
   * The test pool, with its connections' `execute` seen (and optionally failed) by `onExecute`,
   * and their `commit` followed by `afterCommit` (which may fail it after the server committed).
   */
  const poolSeeing = (options: {
    onExecute: (sql: string) => Error | undefined;
    refuseConnections?: () => boolean;
    afterCommit?: () => Error | undefined;
  }): typeof db.pool =>
    ({
      getConnection: async () => {
        if (options.refuseConnections?.() === true) {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
        }
        const connection = await db.pool.getConnection();
        return new Proxy(connection, {
          get(target, property, receiver) {
            if (property === 'execute') {
              return (sql: string, values: Parameters<typeof target.execute>[1]) => {
                const failure = options.onExecute(sql);
                return failure === undefined ? target.execute(sql, values) : Promise.reject(failure);
              };
            }
            if (property === 'commit') {
              return async () => {
                await target.commit();
                const failure = options.afterCommit?.();
                if (failure !== undefined) {
                  throw failure;
                }
              };
            }
            const value: unknown = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
          },
        });
      },
      execute: db.pool.execute.bind(db.pool),
    }) as unknown as typeof db.pool;

  it('retries a batch while the database is unreachable and writes each row once', async () => {
    let refusals = 1;
    let logStatements = 0;
    const flakyPool = poolSeeing({
      refuseConnections: () => refusals-- > 0,
      // The batch's second log statement (3 rows = 2 + 1) fails once: the first must not stay in.
      onExecute: (sql) =>
        sql.startsWith('INSERT INTO async_event_subscriber_log') && ++logStatements === 2
          ? lostConnection()
          : undefined,
    });
    const retries: unknown[] = [];
    const writer = writerWith({
      pool: flakyPool,
      observer: { onRetry: (error) => retries.push(error) },
    });
    const uuids = ['after-outage-1', 'after-outage-2', 'after-outage-3'];
    const results = await Promise.all(uuids.map((uuid) => writer.append(row(uuid))));
    expect(results).toEqual(uuids.map(() => ({ written: true })));
    expect(retries).toHaveLength(2);
    for (const uuid of uuids) {
      expect(await db.logRows({ uuid })).toHaveLength(1);
    }
    await writer.close();
  });

  it('does not write a batch again when its commit went through and only the acknowledgement was lost', async () => {
    let lostAcknowledgements = 1;
    const logs = captureLogs();
    const writer = writerWith({
      pool: poolSeeing({
        onExecute: () => undefined,
        afterCommit: () => (lostAcknowledgements-- > 0 ? lostConnection() : undefined),
      }),
      logger: logs.logger,
    });
    const uuids = ['ack-lost-1', 'ack-lost-2', 'ack-lost-3'];
    const results = await Promise.all(uuids.map((uuid) => writer.append(row(uuid))));
    expect(results).toEqual(uuids.map(() => ({ written: true })));
    for (const uuid of uuids) {
      expect(await db.logRows({ uuid })).toHaveLength(1);
    }
    expect(
      logs.find('Delivery-log batch found committed after a lost acknowledgement; not written again'),
    ).toHaveLength(1);
    // The next batch is written as usual, and closing removes the writer's mark.
    expect(await writer.append(row('ack-lost-4'))).toEqual({ written: true });
    await writer.close();
    const [marks] = await db.pool.query<RowDataPacket[]>('SELECT * FROM async_event_sidecar_log_commit');
    expect(marks).toEqual([]);
  });

  it('prepares a bounded set of statement texts whatever the batch sizes', async () => {
    const texts = new Set<string>();
    const writer = writerWith({
      pool: poolSeeing({ onExecute: (sql) => void texts.add(sql) }),
      batchMaxRows: 500,
    });
    const trigger = { eventName: 'sales.order.created', arguments: '{"id":1}', storeId: 1 };
    let written = 0;
    for (let size = 1; size <= 160; size += 1) {
      const results = await Promise.all(
        Array.from({ length: size }, (_, index) =>
          writer.append({ ...row(`shape-${size}-${index}`), trigger }),
        ),
      );
      written += results.filter((result) => result.written).length;
    }
    expect(written).toBe((160 * 161) / 2);
    const logTexts = [...texts].filter((sql) => sql.startsWith('INSERT INTO async_event_subscriber_log'));
    const triggerTexts = [...texts].filter((sql) => sql.includes('async_event_sidecar_trigger'));
    // One text per batch size would be 160 of each.
    expect(logTexts).toHaveLength(8);
    expect(triggerTexts).toHaveLength(8);
    const [rows] = await db.pool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM async_event_subscriber_log WHERE uuid LIKE 'shape-%'",
    );
    expect(Number(rows[0]?.n)).toBe(written);
    await writer.close();
  });
});
