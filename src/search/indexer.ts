import { createHash } from 'node:crypto';

import type { Metrics } from '../metrics/index.js';
import { type Logger, sleep } from '../shared/index.js';
import { makeNamedLock, type Pool, readTailLag, resetCheckpoint } from '../store/index.js';
import { makeDocumentWriter } from './documentWriter.js';
import type { EngineClient } from './engineClient.js';
import { loggableFailure } from './engineErrors.js';
import { indexPattern } from './indexNaming.js';
import { makeIndexTailer, type TailPosition } from './indexTailer.js';

/**
 * The background indexer: tails async_event_subscriber_log into the search engine, off the
 * delivery path (it only reads the log after its rows are committed, and nothing on the delivery
 * side waits for it). One replica indexes at a time: the holder of a MySQL named lock, kept on a
 * connection of its own; the others wait as standby and take over when that connection ends.
 *
 * States: stopped → standby ⇄ indexing ⇄ caught-up, any active state → backing-off (engine or
 * database unavailable: retried with exponential back-off, lag grows, deliveries are unaffected)
 * → back to indexing; lock lost → standby; close() → closed.
 */
export type IndexerState = 'stopped' | 'standby' | 'indexing' | 'caught-up' | 'backing-off' | 'closed';

export interface IndexerStatus {
  state: IndexerState;
  /** When the indexer entered this state. */
  since: Date;
  /** Where it stands (while it holds the lock). */
  position?: TailPosition;
  /** Log ids written but not indexed yet. */
  lagRows?: number;
  /** Age of the oldest row not indexed yet (s). */
  lagSeconds?: number;
  /** Why it is backing off. */
  lastError?: string;
}

export interface IndexerOptions {
  pool: Pool;
  client: EngineClient;
  /** SEARCH_INDEX_PREFIX. */
  indexPrefix: string;
  /** Log rows per step and bulk batch (INDEX_BATCH_SIZE). */
  batchSize: number;
  /** Pause when caught up before looking for new rows (INDEX_POLL_MS, ms). */
  pollMs: number;
  /** How long a missing log id is waited for before the checkpoint moves past it (ms). @default 10_000 */
  gapTimeoutMs?: number;
  /** How often a standby replica tries to take the lock (ms). @default 5000 */
  lockRetryMs?: number;
  /** Longest pause between attempts while the engine is unavailable (ms). @default 30_000 */
  maxBackoffMs?: number;
  /** Bulk requests in flight at once. @default 2 */
  bulkConcurrency?: number;
  logger: Logger;
  metrics: Metrics;
}

export interface Indexer {
  /** Starts the background loop (idempotent). */
  start(): void;
  status(): IndexerStatus;
  /** Stops after the current step (bounded), releases the lock; idempotent. */
  close(): Promise<void>;
}

/** MySQL lock names are at most 64 characters: the engine and prefix go in as a short hash. */
export function indexerLockName(engine: string, indexPrefix: string): string {
  return `async_event_sidecar_indexer_${createHash('sha1').update(`${engine}:${indexPrefix}`).digest('hex').slice(0, 16)}`;
}

const CLOSE_WAIT_MS = 3000;

export function makeIndexer(options: IndexerOptions): Indexer {
  const { pool, client, metrics } = options;
  const logger = options.logger.child({ component: 'search-indexer' });
  const key = { engine: client.engine, indexPrefix: options.indexPrefix };
  const lock = makeNamedLock(pool, indexerLockName(key.engine, key.indexPrefix));
  const tailer = makeIndexTailer({
    pool,
    key,
    writer: makeDocumentWriter({
      client,
      indexPrefix: options.indexPrefix,
      ...(options.bulkConcurrency === undefined ? {} : { concurrency: options.bulkConcurrency }),
      logger,
    }),
    batchSize: options.batchSize,
    ...(options.gapTimeoutMs === undefined ? {} : { gapTimeoutMs: options.gapTimeoutMs }),
    gapCheckMs: options.pollMs,
    logger,
  });
  const stop = new AbortController();
  let status: IndexerStatus = { state: 'stopped', since: new Date() };
  let loop: Promise<void> | undefined;
  let closing: Promise<void> | undefined;

  const setState = (state: IndexerState, extra: Partial<IndexerStatus> = {}): void => {
    const since = state === status.state ? status.since : new Date();
    status = { ...status, ...extra, state, since };
    if (state !== 'backing-off') {
      delete status.lastError;
    }
  };

  const refreshLag = async (): Promise<void> => {
    const position = tailer.position();
    const lag = await readTailLag(pool, position.scanned);
    const lagRows = Math.max(0, lag.newestLogId - position.scanned);
    const lagSeconds = lagRows === 0 ? 0 : lag.oldestPendingAgeS;
    metrics.searchIndexLagRows.set(lagRows);
    metrics.searchIndexLagSeconds.set(lagSeconds);
    status = { ...status, position, lagRows, lagSeconds };
  };

  const standBy = (): void => {
    metrics.searchIndexerActive.set(0);
    metrics.searchIndexLagRows.set(0);
    metrics.searchIndexLagSeconds.set(0);
    status = { state: status.state, since: status.since };
    setState('standby');
  };

  /** After taking the lock: say what we talk to, and start from the persisted checkpoint. */
  const activate = async (): Promise<void> => {
    const info = await client.info();
    let checkpoint = await tailer.load();
    const pattern = indexPattern(options.indexPrefix);
    if (checkpoint > 0 && !(await client.exists(pattern))) {
      // A checkpoint without any index means a new or wiped cluster: everything must go in again.
      await resetCheckpoint(pool, key, 0);
      logger.info(
        { pattern, checkpoint },
        'The search engine has no delivery-log index; indexing from the start',
      );
      checkpoint = await tailer.load();
    }
    metrics.searchIndexerActive.set(1);
    logger.info(
      {
        engine: key.engine,
        distribution: info.distribution,
        version: info.version,
        indexPrefix: key.indexPrefix,
        checkpoint,
      },
      'Search indexer active: indexing the delivery log',
    );
  };

  const run = async (): Promise<void> => {
    const { signal } = stop;
    let held = false;
    let activated = false;
    let failures = 0;
    let failingSince = 0;
    while (!signal.aborted) {
      try {
        if (!held) {
          if (!(await lock.tryAcquire())) {
            standBy();
            await sleep(options.lockRetryMs ?? 5000, signal);
            continue;
          }
          held = true;
          activated = false;
        } else if (!(await lock.isHeld())) {
          held = false;
          logger.warn(
            'Lost the search indexer lock (its database connection ended); another replica may index now',
          );
          standBy();
          await sleep(options.lockRetryMs ?? 5000, signal); // give the others a fair chance at the lock
          continue;
        }
        if (!activated) {
          await activate();
          activated = true;
        }
        const result = await tailer.step(signal);
        metrics.searchDocumentsIndexed.inc(result.indexed);
        metrics.searchDocumentsDropped.inc(result.dropped);
        if (failures > 0) {
          logger.info(
            { failures, unavailableMs: Date.now() - failingSince },
            'Search indexing works again; catching up',
          );
          failures = 0;
        }
        await refreshLag();
        setState(result.more ? 'indexing' : 'caught-up');
        if (!result.more) {
          await sleep(options.pollMs, signal);
        }
      } catch (error: unknown) {
        if (signal.aborted) {
          break;
        }
        failures += 1;
        failingSince = failures === 1 ? Date.now() : failingSince;
        metrics.searchIndexFailures.inc();
        const failure = loggableFailure(error);
        const delayMs = Math.min(options.maxBackoffMs ?? 30_000, 500 * 2 ** Math.min(failures, 10));
        // One warning per outage; the retries in between are debug noise.
        logger[failures === 1 ? 'warn' : 'debug'](
          { ...failure.fields, failures, delayMs },
          'Search indexing failed; retrying with back-off (deliveries are not affected)',
        );
        setState('backing-off', { lastError: failure.reason });
        await refreshLag().catch(() => undefined); // the database may be what failed
        await sleep(delayMs, signal).catch(() => undefined);
      }
    }
  };

  return {
    start() {
      if (loop !== undefined || closing !== undefined) {
        return;
      }
      loop = run().catch((error: unknown) => {
        logger.error(loggableFailure(error).fields, 'The search indexer stopped unexpectedly');
      });
    },
    status: () => status,
    close() {
      closing ??= (async () => {
        stop.abort();
        if (loop !== undefined) {
          await Promise.race([loop, sleep(CLOSE_WAIT_MS)]);
        }
        await lock.release();
        metrics.searchIndexerActive.set(0);
        setState('closed');
      })();
      return closing;
    },
  };
}
