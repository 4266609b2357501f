import { type Logger, SidecarError, sleep } from '../shared/index.js';
import {
  countLogRows,
  ensureCheckpoint,
  makeNamedLock,
  type Pool,
  readCheckpoint,
  readTailLag,
  resetCheckpoint,
} from '../store/index.js';
import { makeDocumentWriter } from './documentWriter.js';
import type { EngineClient } from './engineClient.js';
import { loggableFailure } from './engineErrors.js';
import { indexerLockName } from './indexer.js';
import { makeIndexTailer } from './indexTailer.js';

export interface ReindexOptions {
  pool: Pool;
  client: EngineClient;
  /** SEARCH_INDEX_PREFIX. */
  indexPrefix: string;
  /** Log rows per bulk batch. */
  batchSize: number;
  /** Reset the checkpoint to 0 first, so every row is indexed again. */
  fromStart: boolean;
  /** Consecutive failed steps before giving up (the checkpoint keeps what was done). @default 5 */
  maxFailures?: number;
  /** While following a running sidecar: give up when its checkpoint has not moved for this long (ms). @default 60_000 */
  stallMs?: number;
  /** How often progress is reported (ms). @default 1000 */
  progressEveryMs?: number;
  onProgress?: (progress: ReindexProgress) => void;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * `local`: this process holds the indexer lock and indexes. `following`: a running sidecar holds
 * it and indexes; this process (after resetting the checkpoint for `--from-start`) watches the
 * checkpoint until it reaches the newest row.
 */
export type ReindexMode = 'local' | 'following';

export interface ReindexProgress {
  mode: ReindexMode;
  fromLogId: number;
  /** The newest log_id when the run started: done when everything up to it is indexed. */
  toLogId: number;
  currentLogId: number;
  /** Rows (local) or log ids (following) done, and their total. */
  done: number;
  total: number;
  ratePerSecond: number;
  elapsedMs: number;
}

export interface ReindexSummary extends ReindexProgress {
  engine: string;
  indexPrefix: string;
  checkpoint: number;
  /** Only known in `local` mode. */
  indexed?: number;
  withoutData?: number;
  dropped?: number;
}

/**
 * Backfills the search engine from MySQL, resumable: it starts at the persisted checkpoint (the
 * same one the background indexer moves) and persists it after every batch, so an interrupted
 * run continues where it stopped.
 */
export async function runReindex(options: ReindexOptions): Promise<ReindexSummary> {
  const key = { engine: options.client.engine, indexPrefix: options.indexPrefix };
  const lock = makeNamedLock(options.pool, indexerLockName(key.engine, key.indexPrefix));
  if (!(await lock.tryAcquire())) {
    return followRunningIndexer(options, key);
  }
  try {
    await options.client.info(); // fail fast (exit 1) when the engine is not reachable at all
    if (options.fromStart) {
      await resetCheckpoint(options.pool, key, 0);
    }
    return await indexLocally(options, key);
  } finally {
    await lock.release();
  }
}

async function indexLocally(
  options: ReindexOptions,
  key: { engine: string; indexPrefix: string },
): Promise<ReindexSummary> {
  const tailer = makeIndexTailer({
    pool: options.pool,
    key,
    writer: makeDocumentWriter({
      client: options.client,
      indexPrefix: options.indexPrefix,
      logger: options.logger,
    }),
    batchSize: options.batchSize,
    logger: options.logger,
  });
  const fromLogId = await tailer.load();
  const toLogId = (await readTailLag(options.pool, fromLogId)).newestLogId;
  const total = await countLogRows(options.pool, fromLogId, toLogId);
  const started = Date.now();
  const totals = { indexed: 0, withoutData: 0, dropped: 0, rows: 0 };
  let failures = 0;
  let reported = 0;
  const progress = (): ReindexProgress => {
    const elapsedMs = Date.now() - started;
    return {
      mode: 'local',
      fromLogId,
      toLogId,
      currentLogId: tailer.position().scanned,
      done: Math.min(totals.rows, total),
      total,
      ratePerSecond: elapsedMs > 0 ? Math.round((totals.rows * 1000) / elapsedMs) : 0,
      elapsedMs,
    };
  };
  while (tailer.position().scanned < toLogId) {
    options.signal?.throwIfAborted();
    try {
      const step = await tailer.step(options.signal);
      failures = 0;
      totals.rows += step.rows;
      totals.indexed += step.indexed;
      totals.withoutData += step.withoutData;
      totals.dropped += step.dropped;
      if (step.rows === 0) {
        break; // the rows up to toLogId were deleted meanwhile
      }
    } catch (error: unknown) {
      failures += 1;
      if (failures >= (options.maxFailures ?? 5) || options.signal?.aborted === true) {
        throw error;
      }
      options.logger.warn({ ...loggableFailure(error).fields, failures }, 'A reindex step failed; retrying');
      await sleep(1000 * 2 ** failures, options.signal);
    }
    if (Date.now() - reported >= (options.progressEveryMs ?? 1000)) {
      reported = Date.now();
      options.onProgress?.(progress());
    }
  }
  const final = progress();
  options.onProgress?.(final);
  return {
    ...final,
    ...totals,
    engine: key.engine,
    indexPrefix: key.indexPrefix,
    checkpoint: tailer.position().checkpoint,
  };
}

async function followRunningIndexer(
  options: ReindexOptions,
  key: { engine: string; indexPrefix: string },
): Promise<ReindexSummary> {
  if (options.fromStart) {
    // The running indexer notices the reset at its next step and starts over from 0.
    await resetCheckpoint(options.pool, key, 0);
  }
  const fromLogId = await ensureCheckpoint(options.pool, key);
  const toLogId = (await readTailLag(options.pool, fromLogId)).newestLogId;
  const started = Date.now();
  let checkpoint = fromLogId;
  let movedAt = Date.now();
  const progress = (): ReindexProgress => {
    const elapsedMs = Date.now() - started;
    const done = Math.max(0, Math.min(checkpoint, toLogId) - fromLogId);
    return {
      mode: 'following',
      fromLogId,
      toLogId,
      currentLogId: checkpoint,
      done,
      total: Math.max(0, toLogId - fromLogId),
      ratePerSecond: elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0,
      elapsedMs,
    };
  };
  while (checkpoint < toLogId) {
    await sleep(options.progressEveryMs ?? 1000, options.signal);
    const now = await readCheckpoint(options.pool, key);
    if (now !== checkpoint) {
      checkpoint = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > (options.stallMs ?? 60_000)) {
      throw new SidecarError(
        'SC_ERR_UNAVAILABLE',
        `The running sidecar's search indexer has not moved its checkpoint (${checkpoint}) for ${Math.round((Date.now() - movedAt) / 1000)} s; check its log and the "search" entry of /readyz.`,
      );
    }
    options.onProgress?.(progress());
  }
  return { ...progress(), engine: key.engine, indexPrefix: key.indexPrefix, checkpoint };
}
