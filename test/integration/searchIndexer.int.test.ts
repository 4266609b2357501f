import type { RowDataPacket } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  type SearchEngineStandIn,
  startSearchEngineStandIn,
} from '../../fixtures/search-engine-stand-in/index.js';
import { makeMetrics, type Metrics } from '../../src/metrics/index.js';
import { type EngineClient, type Indexer, makeEngineClient, makeIndexer } from '../../src/search/index.js';
import { indexerLockName } from '../../src/search/indexer.js';
import {
  makeDbPool,
  type Pool,
  readCheckpoint,
  resetCheckpoint,
  runMigrations,
} from '../../src/store/index.js';
import { eventually } from '../helpers/harness.js';
import { type CapturedLogs, captureLogs } from '../helpers/logCapture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

/**
 * The indexer on the real MariaDB against the engine stand-in playing Elasticsearch 7, reached
 * through the OpenSearch client (the combination the README promises for Magento 2.4.4–2.4.7):
 * checkpoint and gap handling with real transactions, the single-indexer lock, resets from
 * outside, and documents the engine refuses.
 */
const KEY = { engine: 'opensearch', indexPrefix: 'magento2' };

describe('search indexer on MariaDB', () => {
  let db: TestDatabase;
  let pool: Pool;
  let standIn: SearchEngineStandIn;
  let client: EngineClient;
  let subscriptionId: number;
  let logs: CapturedLogs;
  const running: Indexer[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    pool = makeDbPool({ url: db.url, poolSize: 8 });
    logs = captureLogs('debug');
    await runMigrations(pool, logs.logger);
    subscriptionId = await db.addSubscription({
      eventName: 'Sales.Order.Created',
      recipientUrl: 'http://127.0.0.1:9/x',
    });
    standIn = await startSearchEngineStandIn({ flavor: 'elasticsearch7' });
    client = makeEngineClient({ engine: 'opensearch', url: standIn.url, timeoutMs: 2000 });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((indexer) => indexer.close()));
    await client.close();
    await standIn.close();
    await pool.end();
    await db.remove();
  });

  const start = (options: { gapTimeoutMs?: number; metrics?: Metrics } = {}): Indexer => {
    const indexer = makeIndexer({
      pool,
      client,
      indexPrefix: KEY.indexPrefix,
      batchSize: 100,
      pollMs: 50,
      lockRetryMs: 100,
      maxBackoffMs: 500,
      gapTimeoutMs: options.gapTimeoutMs ?? 60_000,
      logger: logs.logger,
      metrics: options.metrics ?? makeMetrics({ defaultMetrics: false }),
    });
    running.push(indexer);
    indexer.start();
    return indexer;
  };

  const insert = async (ids: Array<number | undefined>, createdAgoS = 0): Promise<void> => {
    for (const id of ids) {
      await pool.query(
        'INSERT INTO async_event_subscriber_log (log_id, uuid, subscription_id, success, response_data, created, serialized_data) VALUES (?, ?, ?, 1, ?, UTC_TIMESTAMP() - INTERVAL ? SECOND, ?)',
        [id ?? null, `uuid-${id ?? 'auto'}`, subscriptionId, 'ok', createdAgoS, `{"data":{"id":${id ?? 0}}}`],
      );
    }
  };
  const documentIds = (): string[] =>
    [...standIn.indices.values()]
      .flatMap((index) => [...index.documents.keys()])
      .sort((a, b) => Number(a) - Number(b));
  const checkpoint = (): Promise<number> => readCheckpoint(pool, KEY);
  const settle = (ms = 400): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const gauge = async (metric: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> =>
    (await metric.get()).values[0]?.value ?? 0;

  it('indexes rows as they commit and keeps the checkpoint before an id whose transaction is still open', async () => {
    await insert([1, 2, 4]);
    start();
    await eventually(() => (documentIds().join() === '1,2,4' ? true : undefined));
    await settle();
    expect(await checkpoint()).toBe(2);
    const [put] = standIn.requestsTo(/^\/magento2_async_event_sales\.order\.created$/, 'PUT');
    expect(put?.body).toMatchObject({ mappings: { properties: { created: { type: 'date' } } } });

    await insert([3]);
    await eventually(async () => ((await checkpoint()) === 4 ? true : undefined));
    expect(documentIds()).toEqual(['1', '2', '3', '4']);

    // A transaction holds id 5 while id 6 commits: 6 is searchable at once, the checkpoint waits for 5.
    const open = await pool.getConnection();
    try {
      await open.beginTransaction();
      await open.query(
        "INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data) VALUES ('late', ?, 0, 'late')",
        [subscriptionId],
      );
      await insert([undefined]);
      await eventually(() => (documentIds().includes('6') ? true : undefined));
      await settle();
      expect(documentIds()).not.toContain('5');
      expect(await checkpoint()).toBe(4);
      await open.commit();
    } finally {
      open.release();
    }
    await eventually(async () => ((await checkpoint()) === 6 ? true : undefined));
    expect(documentIds()).toEqual(['1', '2', '3', '4', '5', '6']);
    const late = standIn.bulkItems().find((item) => item.id === '5');
    expect(late?.document).toMatchObject({
      log_id: 5,
      uuid: 'late',
      success: false,
      event_name: 'Sales.Order.Created',
    });
  });

  it('gives a missing id up after the gap timeout, and does not wait for ids missing from old history', async () => {
    await insert([1, 3]);
    // Long enough that a loaded CI machine still reads the checkpoint inside the wait (700 ms
    // was not: the checkpoint had already moved on once).
    const indexer = start({ gapTimeoutMs: 3000 });
    await eventually(() => (documentIds().length === 2 ? true : undefined));
    expect(await checkpoint()).toBe(1);
    await eventually(async () => ((await checkpoint()) === 3 ? true : undefined), 10_000);
    const [skipped] = logs.find('Moving the search checkpoint past log ids that never appeared');
    expect(skipped).toMatchObject({
      level: 'info',
      gaps: 1,
      ids: 1,
      firstId: 2,
      lastId: 2,
      gapTimeoutMs: 3000,
    });
    await indexer.close();

    // Rows deleted long ago (retention) leave gaps behind rows created an hour ago: no waiting.
    await pool.query('DELETE FROM async_event_subscriber_log');
    await resetCheckpoint(pool, KEY, 0);
    await insert([100, 250, 251], 3600);
    start({ gapTimeoutMs: 60_000 });
    await eventually(async () => ((await checkpoint()) === 251 ? true : undefined), 3000);
  });

  it('lets only one of two indexers work; the other takes over when the lock connection dies or the holder closes', async () => {
    const metrics = [makeMetrics({ defaultMetrics: false }), makeMetrics({ defaultMetrics: false })] as const;
    const indexers = [start({ metrics: metrics[0] }), start({ metrics: metrics[1] })];
    await insert([1, 2, 3]);
    await eventually(() => (documentIds().length === 3 ? true : undefined));
    const states = (): string[] => indexers.map((indexer) => indexer.status().state).sort();
    await eventually(() => (states().join() === 'caught-up,standby' ? true : undefined));
    const active = indexers.findIndex((indexer) => indexer.status().state === 'caught-up');
    const standby = 1 - active;
    expect(await gauge(metrics[active]!.searchIndexerActive)).toBe(1);
    expect(await gauge(metrics[standby]!.searchIndexerActive)).toBe(0);
    expect(await gauge(metrics[active]!.searchDocumentsIndexed)).toBe(3);
    expect(await gauge(metrics[standby]!.searchDocumentsIndexed)).toBe(0);

    // Kill the holder's lock connection, as a network partition or a restarted database would: the
    // holder notices, stops, and one of the two (whoever asks first) takes the lock again.
    const [[holder]] = await pool.query<RowDataPacket[]>(
      "SELECT IS_USED_LOCK(CONCAT(?, '_', LEFT(SHA1(DATABASE()), 12))) AS id",
      [indexerLockName(KEY.engine, KEY.indexPrefix)],
    );
    await pool.query('KILL ?', [Number(holder?.id)]);
    await eventually(
      () => (logs.find(/^Lost the search indexer lock/).length === 1 ? true : undefined),
      5000,
    );
    await insert([4]);
    await eventually(() => (documentIds().includes('4') ? true : undefined), 5000);
    // The engine sees the document before the step that sent it returns and counts it, and a
    // holder that was already caught up stays so through that step: wait for the count itself.
    const indexedByBoth = async (): Promise<number> =>
      (await Promise.all(metrics.map((metric) => gauge(metric.searchDocumentsIndexed)))).reduce(
        (sum, indexed) => sum + indexed,
        0,
      );
    await eventually(async () => ((await indexedByBoth()) >= 4 ? true : undefined), 5000);
    await eventually(() => (states().join() === 'caught-up,standby' ? true : undefined), 5000);
    expect(await indexedByBoth()).toBe(4);

    // The holder closes (a replica stopping): the other takes over.
    const holderNow = indexers.find((indexer) => indexer.status().state === 'caught-up');
    const other = indexers.find((indexer) => indexer !== holderNow);
    await holderNow?.close();
    await eventually(() => (other?.status().state === 'caught-up' ? true : undefined), 5000);
    expect(holderNow?.status().state).toBe('closed');
    await insert([5]);
    await eventually(() => (documentIds().includes('5') ? true : undefined), 5000);
  });

  it('follows a checkpoint reset from outside (reindex --from-start) and indexes every row again', async () => {
    await insert([1, 2, 3]);
    start();
    await eventually(async () => ((await checkpoint()) === 3 ? true : undefined));
    standIn.reset();
    await resetCheckpoint(pool, KEY, 0);
    await eventually(() => (standIn.bulkItems().length === 3 ? true : undefined));
    expect(standIn.bulkItems().map((item) => item.id)).toEqual(['1', '2', '3']);
    expect(await checkpoint()).toBe(3);
    expect(logs.find('The search checkpoint was reset; indexing from there')).toHaveLength(1);
  });

  it('starts over when the engine has no index of ours although a checkpoint exists (a new cluster)', async () => {
    await insert([1, 2, 3]);
    await resetCheckpoint(pool, KEY, 2);
    start();
    await eventually(() => (documentIds().join() === '1,2,3' ? true : undefined));
    expect(logs.find('The search engine has no delivery-log index; indexing from the start')).toHaveLength(1);
  });

  it('indexes a document without data when its shape is refused, counts what cannot be indexed, and retries throttled documents', async () => {
    const metrics = makeMetrics({ defaultMetrics: false });
    standIn.refuseDocuments((item) => {
      if (item.id === '1' && item.document?.data !== undefined) {
        return {
          status: 400,
          type: 'mapper_parsing_exception',
          reason: 'object mapping for [data.data.id] tried to parse field as object',
        };
      }
      if (item.id === '2') {
        return {
          status: 400,
          type: 'illegal_argument_exception',
          reason: 'Limit of total fields [1000] has been exceeded',
        };
      }
      return item.id === '4'
        ? { status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution' }
        : undefined;
    });
    await insert([1, 2, 3]);
    start({ metrics });
    await eventually(async () => ((await checkpoint()) === 3 ? true : undefined));
    expect(documentIds()).toEqual(['1', '3']);
    const fallback = standIn.indices.get('magento2_async_event_sales.order.created')?.documents.get('1');
    expect(fallback).toMatchObject({ log_id: 1, uuid: 'uuid-1' });
    expect(fallback).not.toHaveProperty('data');
    expect(await gauge(metrics.searchDocumentsDropped)).toBe(1);
    expect(await gauge(metrics.searchDocumentsIndexed)).toBe(2);
    expect(logs.find('The search engine refused a document; indexing it without data')[0]).toMatchObject({
      logId: '1',
      status: 400,
      type: 'mapper_parsing_exception',
    });
    expect(
      logs.find('The search engine refused a document even without data; it is not searchable')[0],
    ).toMatchObject({
      logId: '2',
      type: 'illegal_argument_exception',
    });
    expect(JSON.stringify(logs.lines)).not.toContain('"data":{"id"'); // payloads never reach the log

    // Throttled (429) even after the bulk helper's own retries: not skipped, retried until accepted.
    await insert([4]);
    await eventually(
      async () => ((await gauge(metrics.searchIndexFailures)) >= 1 ? true : undefined),
      10_000,
    );
    expect(await checkpoint()).toBe(3);
    standIn.refuseDocuments(undefined);
    await eventually(async () => ((await checkpoint()) === 4 ? true : undefined), 10_000);
    expect(documentIds()).toEqual(['1', '3', '4']);
  });
});
