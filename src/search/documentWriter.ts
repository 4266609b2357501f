import { type Logger, SidecarError } from '../shared/index.js';
import type { TailRow } from '../store/index.js';
import type { BulkDrop, EngineClient } from './engineClient.js';
import { LOG_INDEX_DEFINITION } from './indexMapping.js';
import { type IndexOperation, toIndexOperation, withoutData } from './logDocument.js';

export interface DocumentWriterOptions {
  client: EngineClient;
  /** SEARCH_INDEX_PREFIX. */
  indexPrefix: string;
  /** Bulk requests in flight at once. @default 2 */
  concurrency?: number;
  logger: Logger;
}

export interface WriteResult {
  /** Documents the engine accepted (including those indexed without `data`). */
  indexed: number;
  /** Accepted only without `data`, because the engine refused the body's shape. */
  withoutData: number;
  /** Refused even without `data`: not searchable (logged). */
  dropped: number;
}

export interface DocumentWriter {
  /** Indexes the rows; rejects when the engine cannot take them now (nothing may be skipped then). */
  write(rows: readonly TailRow[], signal?: AbortSignal): Promise<WriteResult>;
}

// Drops that say "not now" (throttled, read-only block, index deleted meanwhile, shard failure):
// the batch is retried later as a whole, because skipping them would lose documents for good.
function isTransient(drop: BulkDrop): boolean {
  return drop.status === 429 || drop.status === 403 || drop.status === 404 || drop.status >= 500;
}

const LOGGED_DROPS_PER_BATCH = 10;

/**
 * Writes log rows into `<prefix>_async_event_<event>` indices through the client's bulk helper.
 * Creates a missing index with our mapping first (an auto-created one would guess `created` as
 * text, and date ranges would not work). A document the engine refuses for its shape (a `data`
 * field that clashes with the dynamic mapping of an earlier payload) is indexed again without
 * `data`, so it stays findable by id, uuid, event, status and date.
 */
export function makeDocumentWriter(options: DocumentWriterOptions): DocumentWriter {
  const { client, logger } = options;
  const concurrency = options.concurrency ?? 2;
  const known = new Set<string>();

  const ensureIndices = async (names: ReadonlySet<string>): Promise<void> => {
    for (const index of names) {
      if (known.has(index)) {
        continue;
      }
      if (!(await client.exists(index))) {
        const created = await client.createIndex(index, LOG_INDEX_DEFINITION);
        logger.info(
          { index, created },
          created ? 'Created a search index' : 'The search index exists already',
        );
      }
      known.add(index);
    }
  };

  const failTransient = (drops: readonly BulkDrop[]): void => {
    const transient = drops.filter(isTransient);
    const first = transient[0];
    if (first === undefined) {
      return;
    }
    if (transient.some((drop) => drop.status === 404)) {
      known.clear(); // an index vanished: check (and create) again next time
    }
    throw new SidecarError(
      'SC_ERR_UNAVAILABLE',
      `The search engine refused ${transient.length} document(s) for now (${first.status} ${first.type}: ${first.reason})`,
    );
  };

  const logDrops = (drops: readonly BulkDrop[], message: string, level: 'warn' | 'error'): void => {
    for (const drop of drops.slice(0, LOGGED_DROPS_PER_BATCH)) {
      logger[level](
        { logId: drop.id, index: drop.index, status: drop.status, type: drop.type, reason: drop.reason },
        message,
      );
    }
    if (drops.length > LOGGED_DROPS_PER_BATCH) {
      logger[level]({ more: drops.length - LOGGED_DROPS_PER_BATCH }, `${message} (more in this batch)`);
    }
  };

  return {
    async write(rows, signal) {
      const operations = rows.map((row) => toIndexOperation(options.indexPrefix, row));
      await ensureIndices(new Set(operations.map((operation) => operation.index)));
      const bulk = { concurrency, ...(signal === undefined ? {} : { signal }) };
      const first = await client.bulkIndex(operations, bulk);
      failTransient(first.drops);
      if (first.drops.length === 0) {
        return { indexed: first.successful, withoutData: 0, dropped: 0 };
      }
      logDrops(first.drops, 'The search engine refused a document; indexing it without data', 'warn');
      const byId = new Map(operations.map((operation) => [operation.id, operation]));
      const retry = first.drops
        .map((drop) => byId.get(drop.id))
        .filter((operation): operation is IndexOperation => operation !== undefined)
        .map(withoutData);
      const second = await client.bulkIndex(retry, bulk);
      failTransient(second.drops);
      logDrops(
        second.drops,
        'The search engine refused a document even without data; it is not searchable',
        'error',
      );
      return {
        indexed: first.successful + second.successful,
        withoutData: second.successful,
        dropped: second.drops.length,
      };
    },
  };
}
