import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type SearchEngineStandIn,
  type StandInFlavor,
  startSearchEngineStandIn,
} from '../../fixtures/search-engine-stand-in/index.js';
import {
  type EngineClient,
  makeEmbeddedSearch,
  makeEngineClient,
  makeEngineMaintenance,
  makeEngineSearch,
  type SearchBackend,
} from '../../src/search/index.js';
import { CREATED_FORMAT } from '../../src/search/indexMapping.js';
import { ApiError, SidecarError } from '../../src/shared/index.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import type { LogRow } from '../helpers/testDatabase.js';

/**
 * The search-engine backend on the real pipeline (RabbitMQ, MariaDB, the Magento stand-in, a
 * webhook receiver) against a loopback server playing the engine, once per official client. The
 * stand-in records every request, so these tests assert on what the sidecar sends.
 */
const CREDENTIALS = { username: 'sidecar', password: 'engine-secret-pw-4711' };
const ENGINES: Array<['elasticsearch' | 'opensearch', StandInFlavor]> = [
  ['elasticsearch', 'elasticsearch'],
  ['opensearch', 'opensearch'],
];
const PARSE_FAILURE = {
  error: {
    root_cause: [{ type: 'query_shard_exception', reason: 'Failed to parse query [data.data.x:"a]' }],
    type: 'search_phase_execution_exception',
    reason: 'all shards failed',
  },
  status: 400,
};

async function gauge(metric: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> {
  return (await metric.get()).values[0]?.value ?? 0;
}

function expectedDocument(row: LogRow, eventName: string, storeId: number): Record<string, unknown> {
  return {
    log_id: row.log_id,
    uuid: row.uuid,
    subscription_id: row.subscription_id,
    event_name: eventName,
    store_id: storeId,
    success: row.success === 1,
    created: row.created,
    response_data: row.response_data,
    data: JSON.parse(row.serialized_data?.toString('utf8') ?? 'null') as unknown,
  };
}

async function failure(work: Promise<unknown>): Promise<SidecarError> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(SidecarError);
  return outcome as SidecarError;
}

describe.each(ENGINES)('search engine backend through the %s client', (engine, flavor) => {
  let harness: Harness;
  let standIn: SearchEngineStandIn;
  let client: EngineClient;
  let backend: SearchBackend;
  let orderSubscription: number;
  let customerSubscription: number;

  beforeAll(async () => {
    standIn = await startSearchEngineStandIn({ flavor, credentials: CREDENTIALS });
    harness = await startHarness({
      env: {
        SEARCH_ENGINE: engine,
        SEARCH_URL: standIn.url,
        SEARCH_USERNAME: CREDENTIALS.username,
        SEARCH_PASSWORD: CREDENTIALS.password,
        INDEX_POLL_MS: '100',
        SEARCH_TIMEOUT_MS: '3000',
      },
    });
    client = makeEngineClient({ engine, url: standIn.url, ...CREDENTIALS, timeoutMs: 3000 });
    backend = makeEngineSearch({ client, pool: harness.db.pool, indexPrefix: 'magento2', timeoutMs: 3000 });
    orderSubscription = await harness.db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: `${harness.receiver.url}/orders`,
      storeId: 1,
    });
    customerSubscription = await harness.db.addSubscription({
      eventName: 'customer.created',
      recipientUrl: `${harness.receiver.url}/customers`,
    });
    await new Promise((resolve) => setTimeout(resolve, 400)); // subscription cache refresh
  });
  afterAll(async () => {
    await client?.close();
    await harness?.stop();
    await standIn?.close();
  });

  it('indexes every delivered attempt in bulk, _id = log_id, into per-event indices created with our mapping', async () => {
    harness.publish('sales.order.created', { id: '5' }, 1);
    harness.publish('customer.created', { customerId: '1' }, 0);
    await harness.receiver.waitFor(2);
    const rows = await eventually(async () => {
      const found = await harness.db.logRows();
      return found.length === 2 ? found : undefined;
    });
    const items = await eventually(() => {
      const indexed = standIn.bulkItems();
      return rows.every((row) => indexed.some((item) => item.id === String(row.log_id)))
        ? indexed
        : undefined;
    });

    for (const row of rows) {
      const order = row.subscription_id === orderSubscription;
      const eventName = order ? 'sales.order.created' : 'customer.created';
      const item = items.find((candidate) => candidate.id === String(row.log_id));
      expect(item).toEqual({
        action: 'index',
        index: `magento2_async_event_${eventName}`,
        id: String(row.log_id),
        document: expectedDocument(row, eventName, order ? 1 : 0),
      });
    }
    expect(rows.map((row) => row.subscription_id).sort()).toEqual(
      [orderSubscription, customerSubscription].sort(),
    );

    // Each index was created with the explicit mapping before its first document arrived.
    for (const index of [
      'magento2_async_event_sales.order.created',
      'magento2_async_event_customer.created',
    ]) {
      const put = standIn.requests.findIndex(
        (request) => request.method === 'PUT' && request.path === `/${index}`,
      );
      const firstBulk = standIn.requests.findIndex((request) =>
        request.bulk?.some((item) => item.index === index),
      );
      expect(put).toBeGreaterThanOrEqual(0);
      expect(put).toBeLessThan(firstBulk);
      const definition = standIn.requests[put]?.body as { mappings: { properties: Record<string, unknown> } };
      expect(definition.mappings.properties).toMatchObject({
        log_id: { type: 'long' },
        uuid: { type: 'keyword' },
        event_name: { type: 'keyword' },
        success: { type: 'boolean' },
        created: { type: 'date', format: CREATED_FORMAT },
        response_data: { type: 'text' },
        data: { type: 'object', dynamic: true },
      });
      expect(standIn.indices.get(index)?.definition).toBeDefined(); // not auto-created
    }

    const basic = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
    expect(standIn.requests.every((request) => request.headers.authorization === basic)).toBe(true);
    expect(harness.logs.lines.join('\n')).not.toContain(CREDENTIALS.password);

    const { metrics } = harness.sidecar;
    await eventually(async () => ((await gauge(metrics.searchDocumentsIndexed)) >= 2 ? true : undefined));
    expect(await gauge(metrics.searchIndexerActive)).toBe(1);
    await eventually(async () => ((await gauge(metrics.searchIndexLagRows)) === 0 ? true : undefined));
    const report = await harness.sidecar.readiness();
    expect(report.ready).toBe(true);
    expect(report.checks.search).toEqual({ ok: true, detail: `${engine}: caught-up, 0 rows (0 s) behind` });
  });

  it("searches with the user's query as a query_string and answers the rows from MySQL in the engine's order", async () => {
    const rows = await harness.db.logRows();
    standIn.reset();
    const page = await backend.search('event_name:sales.order.created', {
      pageSize: 10,
      currentPage: 1,
      bodies: true,
    });
    const order = rows.find((row) => row.subscription_id === orderSubscription);
    expect(page.total_count).toBe(1);
    expect(page.items).toEqual([
      expect.objectContaining({
        log_id: order?.log_id,
        event_name: 'sales.order.created',
        store_id: 1,
        body: order?.serialized_data?.toString('utf8'),
      }),
    ]);
    const [request] = standIn.requestsTo(/_search$/);
    expect(request?.path).toBe('/magento2_async_event_*/_search');
    expect(request?.query).toMatchObject({
      ignore_unavailable: 'true',
      allow_no_indices: 'true',
      allow_partial_search_results: 'false',
    });
    expect(request?.body).toEqual({
      query: { query_string: { query: 'event_name:sales.order.created', default_operator: 'OR' } },
      sort: [{ log_id: { order: 'desc', unmapped_type: 'long' } }],
      from: 0,
      size: 10,
      track_total_hits: true,
      _source: false,
      timeout: '3000ms',
    });

    const second = await backend.search('', { pageSize: 1, currentPage: 2, bodies: false });
    expect(second.total_count).toBe(2);
    expect(second.items.map((item) => item.log_id)).toEqual([Math.min(...rows.map((row) => row.log_id))]);
    expect(second.items[0]).not.toHaveProperty('body');
    expect(standIn.requestsTo(/_search$/)[1]?.body).toMatchObject({
      query: { match_all: {} },
      from: 1,
      size: 1,
    });
  });

  it('refuses malicious and unsupported queries with the embedded backend’s 400, before asking the engine', async () => {
    const embedded = makeEmbeddedSearch({ pool: harness.db.pool, timeoutMs: 3000 });
    standIn.reset();
    const page = { pageSize: 10, currentPage: 1, bodies: false };
    for (const q of [
      'data.data.x:(',
      'log_id:1; DROP TABLE async_event_subscriber_log',
      "success:maybe' OR '1'='1",
      'created:[yesterday TO now]',
      '/.*/',
      `${'('.repeat(40)}a${')'.repeat(40)}`,
      Array.from({ length: 70 }, (_, index) => `t${index}`).join(' OR '),
      `data.data.email:${'*a'.repeat(200)}`,
      'nosuchfield:1',
    ]) {
      const fromEngine = await failure(backend.search(q, page));
      const fromEmbedded = await failure(embedded.search(q, page));
      expect(fromEngine, q).toBeInstanceOf(ApiError);
      expect(fromEngine.statusCode, q).toBe(400);
      expect(fromEngine.message, q).toBe(fromEmbedded.message);
      expect((await failure(backend.matchingIds(q, 10))).statusCode).toBe(400);
    }
    const beyond = await failure(backend.search('*', { pageSize: 500, currentPage: 21, bodies: false }));
    expect(beyond.statusCode).toBe(400);
    expect(standIn.requestsTo(/_search$/)).toEqual([]);
  });

  it('turns an engine 400 into an API 400 with its reason, and an unreachable engine into a 503, never an empty page', async () => {
    const page = { pageSize: 10, currentPage: 1, bodies: false };
    standIn.scriptSearch(() => ({ status: 400, body: PARSE_FAILURE }));
    const rejected = await failure(backend.search('data.data.x:"a"', page));
    expect(rejected).toBeInstanceOf(ApiError);
    expect(rejected.statusCode).toBe(400);
    expect((rejected as ApiError).parameters).toEqual({
      reason: 'query_shard_exception: Failed to parse query [data.data.x:"a]',
    });

    standIn.scriptSearch(() => ({
      status: 200,
      body: { timed_out: true, hits: { total: { value: 0 }, hits: [] } },
    }));
    expect((await failure(backend.search('success:false', page))).message).toMatch(
      /took longer than %seconds s/,
    );

    standIn.scriptSearch(undefined);
    standIn.down(503);
    const maintenance = makeEngineMaintenance({ client, indexPrefix: 'magento2' });
    for (const work of [
      () => backend.search('success:false', page),
      () => backend.matchingIds('*', 10),
      () => maintenance.deleteLogIds([1]),
    ]) {
      const unavailable = await failure(work());
      expect(unavailable).not.toBeInstanceOf(ApiError);
      expect(unavailable.code).toBe('SC_ERR_UNAVAILABLE');
      expect(unavailable.statusCode).toBe(503);
      expect(unavailable.message).not.toContain(CREDENTIALS.password);
    }
    standIn.up();
  });

  it('finds the newest attempt of each chain with search_after paging, the same ids the embedded backend finds', async () => {
    // 2,000 chains of 3 attempts each, written straight into the log; the running indexer picks them up.
    // Attempts interleave across chains, as retries do.
    const values: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      for (let chain = 0; chain < 2000; chain += 1) {
        values.push(
          `('chain-${chain}', ${customerSubscription}, ${attempt === 2 ? 1 : 0}, 'attempt ${attempt}', '{"data":{"n":${chain}}}')`,
        );
      }
    }
    await harness.db.pool.query(
      `INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data, serialized_data) VALUES ${values.join(', ')}`,
    );
    const newestFirst = (await harness.db.logRows())
      .map((row) => row.log_id)
      .sort((left, right) => right - left);
    const total = newestFirst.length;
    const documents = (): number =>
      [...standIn.indices.values()].reduce((sum, index) => sum + index.documents.size, 0);
    await eventually(() => (documents() >= total ? true : undefined), 30_000);

    standIn.reset();
    const embedded = makeEmbeddedSearch({ pool: harness.db.pool, timeoutMs: 3000 });
    const ids = await backend.matchingIds('*', 10_001);
    expect(ids).toHaveLength(2002); // 2,000 chains plus the two pipeline deliveries
    expect(ids).toEqual(await embedded.matchingIds('*', 10_001));
    const searches = standIn.requestsTo(/_search$/);
    expect(searches).toHaveLength(2);
    expect(searches[0]?.body).toMatchObject({ size: 5000, _source: ['uuid'], track_total_hits: false });
    expect(searches[0]?.body).not.toHaveProperty('search_after');
    expect(searches[1]?.body?.search_after).toEqual([newestFirst[4999]]);

    standIn.reset();
    expect(await backend.matchingIds('*', 10)).toEqual(ids.slice(0, 10));
    expect(standIn.requestsTo(/_search$/)).toHaveLength(1);
  });

  it('deletes the documents of deleted log rows by log_id across the index pattern', async () => {
    const [first, second] = await harness.db.logRows();
    const ids = [first?.log_id ?? 0, second?.log_id ?? 0];
    standIn.reset();
    await makeEngineMaintenance({ client, indexPrefix: 'magento2' }).deleteLogIds(ids);
    const [request] = standIn.requestsTo(/_delete_by_query$/, 'POST');
    expect(request?.path).toBe('/magento2_async_event_*/_delete_by_query');
    expect(request?.query).toMatchObject({ conflicts: 'proceed', ignore_unavailable: 'true' });
    expect(request?.body).toEqual({ query: { terms: { log_id: ids } } });
    const remaining = [...standIn.indices.values()].flatMap((index) => [...index.documents.keys()]);
    expect(remaining).not.toContain(String(ids[0]));
  });

  it('keeps delivering while the engine is down (503, then connection refused), lets the lag grow, then catches up', async () => {
    const { metrics } = harness.sidecar;
    harness.receiver.reset();
    standIn.down(503);
    const started = Date.now();
    for (let index = 0; index < 5; index += 1) {
      harness.publish('customer.created', { customerId: '1' }, 0);
    }
    await harness.receiver.waitFor(5, { timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    await eventually(async () => ((await gauge(metrics.searchIndexLagRows)) >= 5 ? true : undefined));
    await eventually(
      async () => ((await gauge(metrics.searchIndexLagSeconds)) >= 1 ? true : undefined),
      15_000,
    );
    const report = await harness.sidecar.readiness();
    expect(report.ready).toBe(true);
    expect(report.checks.search?.ok).toBe(true);
    expect(report.checks.search?.detail).toMatch(
      new RegExp(`^${engine}: engine or database unavailable since .*rows .* behind: ResponseError`),
    );
    const readyz = await fetch(`${harness.sidecar.httpUrl}/readyz`);
    expect(readyz.status).toBe(200);

    await standIn.stop();
    harness.publish('customer.created', { customerId: '2' }, 0);
    harness.publish('customer.created', { customerId: '1' }, 0);
    await harness.receiver.waitFor(7, { timeoutMs: 5000 });
    const rows = await eventually(async () => {
      const found = await harness.db.logRows({ subscriptionId: customerSubscription });
      return found.length >= 6001 + 7 ? found : undefined;
    });
    expect(await gauge(metrics.searchIndexFailures)).toBeGreaterThan(0);

    await standIn.restart();
    standIn.up();
    const newest = rows.slice(-7).map((row) => String(row.log_id));
    await eventually(
      () => (newest.every((id) => standIn.bulkItems().some((item) => item.id === id)) ? true : undefined),
      45_000,
    );
    await eventually(
      async () => ((await gauge(metrics.searchIndexLagRows)) === 0 ? true : undefined),
      10_000,
    );
    expect(
      harness.logs.find('Search indexing failed; retrying with back-off (deliveries are not affected)')
        .length,
    ).toBeGreaterThanOrEqual(1);
    expect(harness.logs.find('Search indexing works again; catching up')).toHaveLength(1);
    expect((await harness.sidecar.readiness()).checks.search?.detail).toMatch(/caught-up, 0 rows/);
  });
});
