import type { Config } from '../config/index.js';
import type { Metrics } from '../metrics/index.js';
import { makeEmbeddedSearch, type SearchBackend, type SearchMaintenance } from '../search/index.js';
import type { Logger } from '../shared/index.js';
import type { Pool } from '../store/index.js';

/**
 * The search side: the backend that answers queries and, with a search engine, the indexer that
 * feeds it off the delivery path. `start` runs background work (indexing) once the pipeline runs.
 */
export interface SearchParts {
  backend: SearchBackend;
  maintenance: SearchMaintenance;
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
  if (config.search.engine !== 'none') {
    parts.logger.warn(
      { engine: config.search.engine },
      'This build has no search engine client yet; searching with SQL',
    );
  }
  return {
    backend: makeEmbeddedSearch({ pool, timeoutMs: config.search.timeoutMs }),
    maintenance: { deleteLogIds: () => Promise.resolve() },
    start: () => undefined,
    close: () => Promise.resolve(),
  };
}
