import type { Config } from '../config/index.js';
import type { ReadinessCheck } from '../http/index.js';
import type { Metrics } from '../metrics/index.js';
import {
  type IndexerStatus,
  makeEmbeddedSearch,
  makeEngineClient,
  makeEngineMaintenance,
  makeEngineSearch,
  makeIndexer,
  type SearchBackend,
  type SearchMaintenance,
} from '../search/index.js';
import type { Logger } from '../shared/index.js';
import type { Pool } from '../store/index.js';

/**
 * The search side: the backend that answers queries and, with a search engine, the indexer that
 * feeds it off the delivery path. `start` runs background work (indexing) once the pipeline runs.
 */
export interface SearchParts {
  backend: SearchBackend;
  maintenance: SearchMaintenance;
  /**
   * The `search` entry of /readyz. Always ok: deliveries do not need the engine, so an engine
   * outage must not take the replica out of rotation; the detail says how indexing stands.
   */
  status(): ReadinessCheck;
  start(): void;
  close(): Promise<void>;
}

export function buildSearch(parts: {
  config: Config;
  pool: Pool;
  logger: Logger;
  metrics: Metrics;
}): SearchParts {
  const { config, pool } = parts;
  const { engine, url } = config.search;
  if (engine === 'none' || url === undefined) {
    return {
      backend: makeEmbeddedSearch({ pool, timeoutMs: config.search.timeoutMs }),
      maintenance: { deleteLogIds: () => Promise.resolve() },
      status: () => ({ ok: true, detail: 'embedded: SQL over async_event_subscriber_log' }),
      start: () => undefined,
      close: () => Promise.resolve(),
    };
  }
  const { indexPrefix, timeoutMs } = config.search;
  const client = makeEngineClient({
    engine,
    url,
    username: config.search.username,
    password: config.search.password,
    timeoutMs,
  });
  const indexer = makeIndexer({
    pool,
    client,
    indexPrefix,
    batchSize: config.search.indexBatchSize,
    pollMs: config.search.indexPollMs,
    logger: parts.logger,
    metrics: parts.metrics,
  });
  return {
    backend: makeEngineSearch({ client, pool, indexPrefix, timeoutMs }),
    maintenance: makeEngineMaintenance({ client, indexPrefix }),
    status: () => ({ ok: true, detail: `${engine}: ${describeIndexer(indexer.status())}` }),
    start: () => indexer.start(),
    close: async () => {
      await indexer.close();
      await client.close();
    },
  };
}

/** One line for /readyz, e.g. `indexing, 1200 rows (4 s) behind` or `backing off since …: …`. */
export function describeIndexer(status: IndexerStatus): string {
  const behind =
    status.lagRows === undefined ? '' : `, ${status.lagRows} rows (${status.lagSeconds ?? 0} s) behind`;
  switch (status.state) {
    case 'backing-off':
      return `engine or database unavailable since ${status.since.toISOString()}${behind}: ${status.lastError ?? ''}`;
    case 'standby':
      return 'standby (another replica indexes)';
    case 'stopped':
      return 'not started';
    default:
      return `${status.state}${behind}`;
  }
}
