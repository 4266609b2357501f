import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeDeliveryLogWriter } from '../../src/store/index.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

/** The batched delivery-log writer on the real MariaDB. */
describe('delivery log writer', () => {
  let db: TestDatabase;
  let subscriptionId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    subscriptionId = await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: 'http://127.0.0.1:9/x',
    });
  });
  afterAll(async () => {
    await db?.remove();
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
    const writer = makeDeliveryLogWriter({
      pool: db.pool,
      logger: captureLogs().logger,
      limits: { responseDataBytes: 65_535, serializedDataBytes: 65_535 },
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
    const writer = makeDeliveryLogWriter({
      pool: db.pool,
      logger: logs.logger,
      limits: { responseDataBytes: 65_535, serializedDataBytes: 65_535 },
      batchMaxRows: 50,
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

  it('fits bodies and answers to the live columns', async () => {
    const writer = makeDeliveryLogWriter({
      pool: db.pool,
      logger: captureLogs().logger,
      limits: { responseDataBytes: 65_535, serializedDataBytes: 65_535 },
      batchMaxRows: 50,
    });
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

  it('retries a batch while the database is unreachable and resolves only once it is written', async () => {
    let failures = 2;
    const flakyPool = {
      execute: (...args: Parameters<typeof db.pool.execute>) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(
            Object.assign(new Error('Connection lost: The server closed the connection.'), {
              code: 'PROTOCOL_CONNECTION_LOST',
              fatal: true,
            }),
          );
        }
        return db.pool.execute(...args);
      },
    } as unknown as typeof db.pool;
    const retries: unknown[] = [];
    const writer = makeDeliveryLogWriter({
      pool: flakyPool,
      logger: captureLogs().logger,
      limits: { responseDataBytes: 65_535, serializedDataBytes: 65_535 },
      batchMaxRows: 50,
      observer: { onRetry: (error) => retries.push(error) },
    });
    const result = await writer.append(row('after-outage'));
    expect(result).toEqual({ written: true });
    expect(retries).toHaveLength(2);
    expect(await db.logRows({ uuid: 'after-outage' })).toHaveLength(1);
    await writer.close();
  });
});
