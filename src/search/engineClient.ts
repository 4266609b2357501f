import type { IndexDefinition } from './indexMapping.js';
import type { IndexOperation } from './logDocument.js';

/**
 * What the sidecar needs from a search engine, implemented once per official client
 * (`elasticsearchEngine.ts` on @elastic/elasticsearch 8, `opensearchEngine.ts` on
 * @opensearch-project/opensearch, which also speaks to Elasticsearch 7.x), so the indexer and the
 * search backend do not care which one runs. Methods throw the client's own errors;
 * `engineErrors.ts` classifies them.
 */
export type EngineName = 'elasticsearch' | 'opensearch';

export interface EngineInfo {
  /** `elasticsearch` or `opensearch`, as the server reports it. */
  distribution: string;
  version: string;
}

/** A search request body: plain JSON, the same for both engines. */
export interface EngineSearchBody {
  query: Record<string, unknown>;
  sort: Array<Record<string, unknown>>;
  size: number;
  from?: number;
  search_after?: unknown[];
  track_total_hits?: boolean;
  _source: boolean | string[];
  /** Server-side time budget, e.g. `10000ms`. */
  timeout?: string;
}

export interface EngineHit {
  /** The document id: the log_id as a string. */
  id: string;
  source?: Record<string, unknown>;
  sort?: unknown[];
}

export interface EngineSearchResult {
  /** Exact when the body asked for `track_total_hits: true`. */
  total: number;
  hits: EngineHit[];
  /** The engine stopped at the body's `timeout` and answered what it had. */
  timedOut: boolean;
}

/** A document the bulk helper gave up on (after its own retries for 429). */
export interface BulkDrop {
  index: string;
  id: string;
  status: number;
  /** The engine's error type, e.g. `mapper_parsing_exception`. */
  type: string;
  reason: string;
}

export interface BulkResult {
  successful: number;
  drops: BulkDrop[];
}

export interface BulkOptions {
  /** Bulk requests in flight at once. */
  concurrency: number;
  /** Stops sending further requests (those in flight finish or time out). */
  signal?: AbortSignal;
}

export interface EngineClient {
  readonly engine: EngineName;
  info(): Promise<EngineInfo>;
  /** Whether an index, alias or wildcard pattern matches anything. */
  exists(index: string): Promise<boolean>;
  /** Creates an index; resolves false when it already exists (created by someone else meanwhile). */
  createIndex(index: string, definition: IndexDefinition): Promise<boolean>;
  /** Indexes through the client's bulk helper; rejects when a whole bulk request fails. */
  bulkIndex(operations: readonly IndexOperation[], options: BulkOptions): Promise<BulkResult>;
  /** Searches a wildcard pattern; missing indices count as empty, and no partial results. */
  search(index: string, body: EngineSearchBody): Promise<EngineSearchResult>;
  /** Deletes what `query` matches in a wildcard pattern; resolves the count deleted. */
  deleteByQuery(index: string, query: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}
