import { type API, Client } from '@opensearch-project/opensearch';

import { bulkHelperOptions, settleBulkHelper } from './bulkDrop.js';
import type { BulkDrop, EngineClient, EngineSearchResult } from './engineClient.js';
import { createUnlessExists } from './engineErrors.js';
import { BULK_TIMEOUT_MS, type EngineClientOptions, engineConnection } from './engineOptions.js';
import type { IndexOperation } from './logDocument.js';

/**
 * `SEARCH_ENGINE=opensearch`: the official OpenSearch client, 3.x. It talks to OpenSearch 1.x/2.x
 * and, since it accepts any 7.x server, to Elasticsearch 7.x as well (Magento 2.4.4–2.4.7 stores).
 */
export function makeOpenSearchEngine(options: EngineClientOptions): EngineClient {
  const client = new Client(engineConnection(options));

  return {
    engine: 'opensearch',
    async info() {
      const { body } = await client.info();
      const version = body.version as { number?: string; distribution?: string };
      return { distribution: version.distribution ?? 'elasticsearch', version: version.number ?? 'unknown' };
    },
    async exists(index) {
      const { body } = await client.indices.exists({ index, allow_no_indices: false });
      return body;
    },
    createIndex(index, definition) {
      // Our definition is plain JSON from indexMapping.ts; the client's types describe the same shape.
      return createUnlessExists(() => client.indices.create({ index, body: definition }));
    },
    async bulkIndex(operations, bulk) {
      const drops: BulkDrop[] = [];
      const helper = client.helpers.bulk<IndexOperation>(
        bulkHelperOptions(operations, bulk.concurrency, drops),
        { requestTimeout: Math.max(BULK_TIMEOUT_MS, options.timeoutMs) },
      );
      // This client has no AbortSignal option: abort() stops further requests, those in flight finish.
      const stats = await settleBulkHelper(helper, bulk.signal);
      return { successful: stats.successful, drops };
    },
    async search(index, body) {
      const { body: response } = await client.search({
        index,
        ignore_unavailable: true,
        allow_no_indices: true,
        allow_partial_search_results: false,
        body: body as API.Search_RequestBody,
      });
      return toResult(response);
    },
    async deleteByQuery(index, query) {
      const { body } = await client.deleteByQuery({
        index,
        conflicts: 'proceed',
        ignore_unavailable: true,
        allow_no_indices: true,
        body: { query },
      });
      // Without wait_for_completion=false the body is the report, not a task id.
      return (body as { deleted?: number }).deleted ?? 0;
    },
    close: () => client.close(),
  };
}

function toResult(response: API.Search_ResponseBody): EngineSearchResult {
  const total = response.hits.total;
  return {
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    timedOut: response.timed_out,
    hits: response.hits.hits.map((hit) => ({
      id: String(hit._id),
      ...(hit._source === undefined ? {} : { source: hit._source as Record<string, unknown> }),
      ...(hit.sort === undefined ? {} : { sort: hit.sort }),
    })),
  };
}
