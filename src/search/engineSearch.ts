import { ApiError } from '../shared/index.js';
import { findLogItems, type Pool } from '../store/index.js';
import type { EngineClient, EngineSearchBody, EngineSearchResult } from './engineClient.js';
import { toApiFailure } from './engineErrors.js';
import {
  CHAIN_SCAN_PAGE_SIZE,
  chainScanBody,
  engineQueryOf,
  MAX_CHAIN_SCAN_HITS,
  searchPageBody,
} from './engineQuery.js';
import { indexPattern } from './indexNaming.js';
import type { SearchBackend, SearchOptions, SearchPage } from './searchBackend.js';

export interface EngineSearchOptions {
  client: EngineClient;
  pool: Pool;
  /** SEARCH_INDEX_PREFIX: searches read `<prefix>_async_event_*`. */
  indexPrefix: string;
  /** The engine's own time budget per search (ms). */
  timeoutMs: number;
}

/**
 * The search-engine backend: the engine finds the matching log ids (Lucene `query_string`, newest
 * first), MySQL supplies the rows, so answers carry the exact delivered bodies and the current
 * event names, exactly as the embedded backend's do. The engine is never asked for more than its
 * result window, and never answers an outage with an empty page.
 */
export function makeEngineSearch(options: EngineSearchOptions): SearchBackend {
  const pattern = indexPattern(options.indexPrefix);

  const run = async (body: EngineSearchBody): Promise<EngineSearchResult> => {
    let result: EngineSearchResult;
    try {
      result = await options.client.search(pattern, body);
    } catch (error: unknown) {
      throw toApiFailure(error);
    }
    if (result.timedOut) {
      // Same answer as the embedded backend's statement timeout: partial hits would be wrong hits.
      throw new ApiError(
        'SC_ERR_INPUT',
        'The query took longer than %seconds s; narrow it, e.g. with created:[now-1d TO now].',
        { parameters: { seconds: options.timeoutMs / 1000 } },
      );
    }
    return result;
  };

  return {
    name: options.client.engine,
    async search(q: string, page: SearchOptions): Promise<SearchPage> {
      const body = searchPageBody(engineQueryOf(q), page, options.timeoutMs);
      const result = await run(body);
      const ids = result.hits.map((hit) => Number(hit.id)).filter(Number.isSafeInteger);
      // Rows deleted since they were indexed (retention) drop out; the total stays the engine's.
      return { items: await findLogItems(options.pool, ids, page.bodies), total_count: result.total };
    },

    /**
     * Newest attempt per uuid: pages through the matching attempts newest first (search_after on
     * log_id, which every engine version supports and which has no result-window cap) and keeps
     * the first hit of each uuid, as the embedded backend's GROUP BY does.
     */
    async matchingIds(q: string, limit: number): Promise<number[]> {
      const query = engineQueryOf(q);
      const seen = new Set<string>();
      const ids: number[] = [];
      let after: number | undefined;
      for (let scanned = 0; ids.length < limit;) {
        if (scanned >= MAX_CHAIN_SCAN_HITS) {
          throw new ApiError(
            'SC_ERR_INPUT',
            'The query matches more than %max attempts; narrow it (e.g. with created:[…]) and replay in several steps.',
            { parameters: { max: MAX_CHAIN_SCAN_HITS } },
          );
        }
        const { hits } = await run(chainScanBody(query, after, options.timeoutMs));
        for (const hit of hits) {
          const id = Number(hit.id);
          const uuid = hit.source?.uuid;
          // Rows without a uuid are chains of their own, as COALESCE(uuid, log_id) makes them in SQL.
          const chain = typeof uuid === 'string' && uuid !== '' ? uuid.toLowerCase() : `#${id}`;
          if (!seen.has(chain) && ids.length < limit) {
            seen.add(chain);
            ids.push(id);
          }
        }
        scanned += hits.length;
        const last = hits[hits.length - 1];
        if (hits.length < CHAIN_SCAN_PAGE_SIZE || last === undefined) {
          break;
        }
        after = Number(last.sort?.[0] ?? last.id);
      }
      return ids;
    },
  };
}
