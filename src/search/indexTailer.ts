import type { Logger } from '../shared/index.js';
import {
  type CheckpointKey,
  ensureCheckpoint,
  findLogIdsInRanges,
  moveCheckpoint,
  type Pool,
  readCheckpoint,
  readLogRowsAfter,
  readLogRowsById,
  type TailRow,
} from '../store/index.js';
import type { DocumentWriter, WriteResult } from './documentWriter.js';
import {
  advanceCursor,
  checkpointOf,
  cursorAt,
  expireGaps,
  fillGaps,
  type IdGap,
  type IndexCursor,
  missingIds,
} from './indexCursor.js';

export interface IndexTailerOptions {
  pool: Pool;
  writer: DocumentWriter;
  key: CheckpointKey;
  /** Log rows per step (INDEX_BATCH_SIZE). */
  batchSize: number;
  /** How long a missing log id is waited for before the checkpoint moves past it (ms). @default 10_000 */
  gapTimeoutMs?: number;
  /** How often the missing ids are looked for again (ms). @default 1000 */
  gapCheckMs?: number;
  logger: Logger;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

export interface StepResult extends WriteResult {
  /** Rows read and sent to the engine in this step. */
  rows: number;
  /** A full batch was read: more rows are probably waiting. */
  more: boolean;
}

export interface TailPosition {
  /** Persisted: everything up to here is indexed or given up. */
  checkpoint: number;
  /** The highest log_id indexed. */
  scanned: number;
  /** Ids between the two still awaited. */
  missing: number;
}

/**
 * One indexing step at a time over async_event_subscriber_log: rows that appeared in known gaps,
 * then the next batch after the highest id indexed, then the checkpoint moved over the contiguous
 * run (see indexCursor.ts for why it is not simply the highest id). Used by the background indexer
 * and by `reindex`; the caller holds the indexer lock.
 *
 * The persisted checkpoint may be reset from outside (`reindex --from-start`); each step notices
 * and starts over from the new value instead of overwriting it.
 */
export interface IndexTailer {
  /** Reads (or creates) the persisted checkpoint and starts from it. */
  load(): Promise<number>;
  step(signal?: AbortSignal): Promise<StepResult>;
  position(): TailPosition;
}

const EMPTY: WriteResult = { indexed: 0, withoutData: 0, dropped: 0 };

function add(left: WriteResult, right: WriteResult): WriteResult {
  return {
    indexed: left.indexed + right.indexed,
    withoutData: left.withoutData + right.withoutData,
    dropped: left.dropped + right.dropped,
  };
}

export function makeIndexTailer(options: IndexTailerOptions): IndexTailer {
  const { pool, key, logger } = options;
  const now = options.now ?? Date.now;
  const gapTimeoutMs = options.gapTimeoutMs ?? 10_000;
  const gapCheckMs = options.gapCheckMs ?? 1000;
  let persisted = 0;
  let cursor: IndexCursor = cursorAt(0);
  let lastGapCheck = 0;

  const restartAt = (checkpoint: number, why: string): void => {
    logger.info({ from: persisted, to: checkpoint }, why);
    persisted = checkpoint;
    cursor = cursorAt(checkpoint);
  };

  const write = async (rows: readonly TailRow[], signal?: AbortSignal): Promise<WriteResult> =>
    rows.length === 0 ? EMPTY : options.writer.write(rows, signal);

  /** Rows that appeared inside gaps since the last look (a transaction that committed late). */
  const fillArrived = async (signal?: AbortSignal): Promise<WriteResult> => {
    if (cursor.gaps.length === 0 || now() - lastGapCheck < gapCheckMs) {
      return EMPTY;
    }
    lastGapCheck = now();
    const ids = await findLogIdsInRanges(pool, cursor.gaps);
    let result = EMPTY;
    for (let start = 0; start < ids.length; start += options.batchSize) {
      const rows = await readLogRowsById(pool, ids.slice(start, start + options.batchSize));
      result = add(result, await write(rows, signal));
      cursor = fillGaps(
        cursor,
        rows.map((row) => row.log_id),
      );
    }
    return result;
  };

  const logSkipped = (skipped: readonly IdGap[], scannedBefore: number): void => {
    // Gaps found and given up in the same step are history (rolled back or deleted long ago).
    const waited = skipped.filter((gap) => gap.from <= scannedBefore);
    const level = waited.length > 0 ? 'info' : 'debug';
    logger[level](
      {
        gaps: skipped.length,
        ids: missingIds(skipped),
        firstId: skipped[0]?.from,
        lastId: skipped.at(-1)?.to,
        gapTimeoutMs,
      },
      'Moving the search checkpoint past log ids that never appeared',
    );
  };

  return {
    async load() {
      const checkpoint = await ensureCheckpoint(pool, key);
      persisted = checkpoint;
      cursor = cursorAt(checkpoint);
      lastGapCheck = 0;
      return checkpoint;
    },

    async step(signal) {
      const stored = await readCheckpoint(pool, key);
      if (stored !== persisted) {
        restartAt(stored, 'The search checkpoint was reset; indexing from there');
      }
      let result = await fillArrived(signal);
      const scannedBefore = cursor.scanned;
      const rows = await readLogRowsAfter(pool, cursor.scanned, options.batchSize);
      result = add(result, await write(rows, signal));
      cursor = advanceCursor(
        cursor,
        rows.map((row) => ({ id: row.log_id, ageMs: row.ageMs })),
        now(),
      );
      const expired = expireGaps(cursor, now(), gapTimeoutMs);
      cursor = expired.cursor;
      if (expired.skipped.length > 0) {
        logSkipped(expired.skipped, scannedBefore);
      }
      const checkpoint = checkpointOf(cursor);
      if (checkpoint !== persisted) {
        if (await moveCheckpoint(pool, key, persisted, checkpoint)) {
          persisted = checkpoint;
        } else {
          restartAt(
            await readCheckpoint(pool, key),
            'The search checkpoint was reset meanwhile; indexing from there',
          );
        }
      }
      return { ...result, rows: rows.length, more: rows.length === options.batchSize };
    },

    position() {
      return { checkpoint: persisted, scanned: cursor.scanned, missing: missingIds(cursor.gaps) };
    },
  };
}
