import { ApiError } from '../shared/index.js';
import type { EngineSearchBody } from './engineClient.js';
import { parseQuery } from './query.js';
import type { SearchOptions } from './searchBackend.js';
import { queryToSql } from './sqlTranslator.js';

/**
 * Request bodies for the engine backend. The user's query goes to the engine unchanged as a
 * Lucene `query_string` (what upstream's admin search sends), after the same checks the embedded
 * backend applies, so both backends refuse the same input with the same 400.
 */

/** Elasticsearch's and OpenSearch's default `index.max_result_window`: from + size may not exceed it. */
export const MAX_RESULT_WINDOW = 10_000;
/** Hits per request when collecting the newest attempt of each chain for a bulk replay. */
export const CHAIN_SCAN_PAGE_SIZE = 5000;
/** A bulk replay query may walk at most this many attempts (the chains are found among them). */
export const MAX_CHAIN_SCAN_HITS = 250_000;

// Newest first, like the embedded backend. `unmapped_type` keeps an index without log_id (say,
// one of upstream's made before the field existed) from failing the whole search.
const NEWEST_FIRST = [{ log_id: { order: 'desc', unmapped_type: 'long' } }];

/**
 * The engine query for `q`, or a 400 ApiError. queryToSql is the field and value checker of the
 * embedded backend (unknown fields, `success:maybe`, bad dates and numbers); running it and
 * discarding the SQL keeps the two backends' refusals identical.
 */
export function engineQueryOf(q: string): Record<string, unknown> {
  const node = parseQuery(q);
  queryToSql(node);
  if (node.kind === 'all') {
    return { match_all: {} };
  }
  return { query_string: { query: q.trim(), default_operator: 'OR' } };
}

export function searchPageBody(
  query: Record<string, unknown>,
  page: SearchOptions,
  timeoutMs: number,
): EngineSearchBody {
  const from = (page.currentPage - 1) * page.pageSize;
  if (from + page.pageSize > MAX_RESULT_WINDOW) {
    throw new ApiError(
      'SC_ERR_INPUT',
      'The search engine pages through the first %max hits only; narrow the query (e.g. created:[2026-01-01 TO 2026-01-02]) instead of asking for page %page.',
      { parameters: { max: MAX_RESULT_WINDOW, page: page.currentPage } },
    );
  }
  return {
    query,
    sort: NEWEST_FIRST,
    from,
    size: page.pageSize,
    track_total_hits: true,
    // The rows come from MySQL (exact bodies, current event names): the engine only answers ids.
    _source: false,
    timeout: `${timeoutMs}ms`,
  };
}

/** One page of attempts, newest first, after the log_id `after`, with the uuid of each. */
export function chainScanBody(
  query: Record<string, unknown>,
  after: number | undefined,
  timeoutMs: number,
): EngineSearchBody {
  return {
    query,
    sort: NEWEST_FIRST,
    size: CHAIN_SCAN_PAGE_SIZE,
    track_total_hits: false,
    _source: ['uuid'],
    timeout: `${timeoutMs}ms`,
    ...(after === undefined ? {} : { search_after: [after] }),
  };
}

/** Documents of these log rows (terms queries allow 65,536 values; callers send fewer). */
export function logIdsQuery(ids: readonly number[]): Record<string, unknown> {
  return { terms: { log_id: [...ids] } };
}
