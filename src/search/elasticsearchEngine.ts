import { Client, type estypes } from '@elastic/elasticsearch';

import { bulkHelperOptions, settleBulkHelper } from './bulkDrop.js';
import type { BulkDrop, EngineClient, EngineSearchResult } from './engineClient.js';
import { createUnlessExists } from './engineErrors.js';
import { BULK_TIMEOUT_MS, type EngineClientOptions, engineConnection } from './engineOptions.js';
import type { IndexOperation } from './logDocument.js';

/** `SEARCH_ENGINE=elasticsearch`: the official client, 8.x (it refuses servers other than Elasticsearch 8). */
export function makeElasticsearchEngine(options: EngineClientOptions): EngineClient {
  const client = new Client({ ...engineConnection(options), name: 'async-events-sidecar' });

  return {
    engine: 'elasticsearch',
    async info() {
      const body = await client.info();
      return { distribution: 'elasticsearch', version: body.version.number };
    },
    exists(index) {
      return client.indices.exists({ index, allow_no_indices: false });
    },
    createIndex(index, definition) {
      return createUnlessExists(() =>
        client.indices.create({ index, settings: definition.settings, mappings: definition.mappings }),
      );
    },
    async bulkIndex(operations, bulk) {
      const drops: BulkDrop[] = [];
      const helper = client.helpers.bulk<IndexOperation>(
        bulkHelperOptions(operations, bulk.concurrency, drops),
        {
          requestTimeout: Math.max(BULK_TIMEOUT_MS, options.timeoutMs),
          ...(bulk.signal ? { signal: bulk.signal } : {}),
        },
      );
      const stats = await settleBulkHelper(helper, bulk.signal);
      return { successful: stats.successful, drops };
    },
    async search(index, body) {
      // Our body is plain JSON built in engineQuery.ts; the client's types describe the same shape.
      const response = await client.search<Record<string, unknown>>({
        index,
        ignore_unavailable: true,
        allow_no_indices: true,
        allow_partial_search_results: false,
        ...(body as unknown as Omit<estypes.SearchRequest, 'index'>),
      });
      return toResult(response);
    },
    async deleteByQuery(index, query) {
      const response = await client.deleteByQuery({
        index,
        query: query,
        conflicts: 'proceed',
        ignore_unavailable: true,
        allow_no_indices: true,
      });
      return response.deleted ?? 0;
    },
    close: () => client.close(),
  };
}

function toResult(response: estypes.SearchResponse<Record<string, unknown>>): EngineSearchResult {
  const total = response.hits.total;
  return {
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    timedOut: response.timed_out,
    hits: response.hits.hits.map((hit) => ({
      id: String(hit._id),
      ...(hit._source === undefined ? {} : { source: hit._source }),
      ...(hit.sort === undefined ? {} : { sort: hit.sort }),
    })),
  };
}
