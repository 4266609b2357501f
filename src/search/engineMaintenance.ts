import type { EngineClient } from './engineClient.js';
import { toApiFailure } from './engineErrors.js';
import { logIdsQuery } from './engineQuery.js';
import { indexPattern } from './indexNaming.js';
import type { SearchMaintenance } from './searchBackend.js';

/** Ids per delete_by_query (well under the engines' 65,536 terms limit). */
const IDS_PER_DELETE = 10_000;

/**
 * Forgets documents of deleted log rows (the retention job), in every index of the pattern. An
 * unreachable engine is an error (503), so the caller can stop and try later instead of leaving
 * documents behind for rows that no longer exist.
 */
export function makeEngineMaintenance(options: {
  client: EngineClient;
  indexPrefix: string;
}): SearchMaintenance {
  const pattern = indexPattern(options.indexPrefix);
  return {
    async deleteLogIds(ids) {
      for (let start = 0; start < ids.length; start += IDS_PER_DELETE) {
        try {
          await options.client.deleteByQuery(pattern, logIdsQuery(ids.slice(start, start + IDS_PER_DELETE)));
        } catch (error: unknown) {
          throw toApiFailure(error);
        }
      }
    },
  };
}
