import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type SearchEngineStandIn,
  startSearchEngineStandIn,
} from '../../fixtures/search-engine-stand-in/index.js';
import { makeMetrics } from '../../src/metrics/index.js';
import { makeEngineClient, makeIndexer } from '../../src/search/index.js';
import { makeDbPool, type Pool, readCheckpoint } from '../../src/store/index.js';
import { eventually } from '../helpers/harness.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

/** `async-events-sidecar reindex`, the built binary, on the real MariaDB against the engine stand-in. */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const KEY = { engine: 'elasticsearch', indexPrefix: 'magento2' };

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('reindex command', () => {
  let db: TestDatabase;
  let pool: Pool;
  let standIn: SearchEngineStandIn;
  let subscriptionId: number;
  let env: Record<string, string>;

  const cli = async (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'reindex', ...args], {
        env: { PATH: process.env.PATH ?? '', ...env, ...extraEnv },
      });
      return { code: 0, stdout, stderr };
    } catch (error: unknown) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const insert = async (count: number): Promise<void> => {
    const values = Array.from(
      { length: count },
      (_, index) => `('r${index}', ${subscriptionId}, 1, 'ok', '{"data":{}}')`,
    );
    await pool.query(
      `INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data, serialized_data) VALUES ${values.join(', ')}`,
    );
  };
  const bulkIds = (): number[] => standIn.bulkItems().map((item) => Number(item.id));
  const range = (from: number, to: number): number[] =>
    Array.from({ length: to - from + 1 }, (_, index) => from + index);

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = makeDbPool({ url: db.url, poolSize: 4 });
    subscriptionId = await db.addSubscription({
      eventName: 'customer.created',
      recipientUrl: 'http://127.0.0.1:9/x',
    });
    standIn = await startSearchEngineStandIn({ flavor: 'elasticsearch' });
    env = { MYSQL_URL: db.url, SEARCH_ENGINE: 'elasticsearch', SEARCH_URL: standIn.url };
    await insert(250);
  });
  afterAll(async () => {
    await standIn?.close();
    await pool?.end();
    await db?.remove();
  });

  it('exits 2 when no search engine is configured', async () => {
    const result = await cli([], { SEARCH_ENGINE: 'none' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/reindex needs a search engine: set SEARCH_ENGINE/);
  });

  it('backfills every row in batches with progress, resumes from the checkpoint, and starts over with --from-start', async () => {
    const first = await cli(['--json', '--batch-size', '100']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      mode: 'local',
      engine: 'elasticsearch',
      indexPrefix: 'magento2',
      fromLogId: 0,
      toLogId: 250,
      checkpoint: 250,
      done: 250,
      total: 250,
      indexed: 250,
      dropped: 0,
    });
    expect(first.stderr).toMatch(
      /reindex: 100\.0 % \(250 of 250 rows\), log_id 250 of 250, [\d,]+ rows\/s\n$/,
    );
    expect(standIn.requestsTo(/^\/_bulk$/).map((request) => request.bulk?.length)).toEqual([100, 100, 50]);
    expect(bulkIds()).toEqual(range(1, 250));

    await insert(20);
    standIn.reset();
    const resumed = await cli([]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(
      /^Indexed 20 of 20 rows \(log_id 251–270\) into elasticsearch indices magento2_async_event_\* in [\d.]+ s \([\d,]+ rows\/s\); 0 refused; checkpoint 270\.\n$/,
    );
    expect(bulkIds()).toEqual(range(251, 270));

    standIn.reset();
    const again = await cli(['--from-start', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      fromLogId: 0,
      toLogId: 270,
      indexed: 270,
      checkpoint: 270,
    });
    expect(bulkIds()).toEqual(range(1, 270));
  });

  it('exits 1 when the engine is unreachable and keeps the checkpoint for the next run', async () => {
    await standIn.stop();
    try {
      const result = await cli(['--from-start']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^reindex stopped: ConnectionError: .+\. What was indexed is kept in the checkpoint; run reindex again to resume\.\n$/,
      );
      expect(await readCheckpoint(pool, KEY)).toBe(270);
    } finally {
      await standIn.restart();
    }
  });

  it("follows a running sidecar's indexer when it holds the lock, after resetting its checkpoint for --from-start", async () => {
    const client = makeEngineClient({ engine: 'elasticsearch', url: standIn.url, timeoutMs: 2000 });
    const indexer = makeIndexer({
      pool,
      client,
      indexPrefix: 'magento2',
      batchSize: 50,
      pollMs: 50,
      logger: captureLogs().logger,
      metrics: makeMetrics({ defaultMetrics: false }),
    });
    try {
      indexer.start();
      await eventually(() => (indexer.status().state === 'caught-up' ? true : undefined));
      standIn.reset();
      const result = await cli(['--from-start', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        mode: 'following',
        fromLogId: 0,
        toLogId: 270,
        checkpoint: 270,
      });
      expect(result.stderr).toMatch(/log ids\/s \(a running sidecar indexes\)\n$/);
      expect(new Set(bulkIds())).toEqual(new Set(range(1, 270)));
    } finally {
      await indexer.close();
      await client.close();
    }
  });
});
