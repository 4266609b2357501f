import { type Config, loadConfig } from '../config/index.js';
import {
  loggableFailure,
  makeEngineClient,
  type ReindexProgress,
  type ReindexSummary,
  runReindex,
} from '../search/index.js';
import { makeLogger, SidecarError } from '../shared/index.js';
import { makeDbPool, runMigrations } from '../store/index.js';
import { reportConfigError } from './configError.js';

export interface ReindexCommandOptions {
  /** Reset the checkpoint to 0 first. */
  fromStart: boolean;
  json: boolean;
  /** Log rows per bulk batch. @default INDEX_BATCH_SIZE */
  batchSize?: number;
}

/** Exit codes: 0 done; 1 the engine or database failed (resume by running again); 2 configuration. */
export const REINDEX_EXIT = { ok: 0, failed: 1, config: 2 } as const;

const number = (value: number): string => value.toLocaleString('en-US');

export function formatProgress(progress: ReindexProgress): string {
  const percent = progress.total === 0 ? 100 : Math.min(100, (progress.done * 100) / progress.total);
  const unit = progress.mode === 'local' ? 'rows' : 'log ids';
  return `reindex: ${percent.toFixed(1)} % (${number(progress.done)} of ${number(progress.total)} ${unit}), log_id ${progress.currentLogId} of ${progress.toLogId}, ${number(progress.ratePerSecond)} ${unit}/s${progress.mode === 'following' ? ' (a running sidecar indexes)' : ''}\n`;
}

export function formatSummary(summary: ReindexSummary): string {
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  const target = `${summary.engine} indices ${summary.indexPrefix}_async_event_*`;
  if (summary.mode === 'following') {
    return `A running sidecar indexed log ids ${summary.fromLogId}–${summary.toLogId} into ${target} in ${seconds} s; checkpoint ${summary.checkpoint}.\n`;
  }
  const withoutData = summary.withoutData ? `, ${number(summary.withoutData)} without data` : '';
  return `Indexed ${number(summary.indexed ?? 0)} of ${number(summary.done)} rows (log_id ${summary.fromLogId + 1}–${summary.toLogId}) into ${target} in ${seconds} s (${number(summary.ratePerSecond)} rows/s)${withoutData}; ${number(summary.dropped ?? 0)} refused; checkpoint ${summary.checkpoint}.\n`;
}

/**
 * `reindex`: backfills the search engine from async_event_subscriber_log with progress on stderr,
 * resumable from the checkpoint the background indexer uses. When a running sidecar holds the
 * indexer lock, it follows that indexer's progress instead (after resetting the checkpoint for
 * `--from-start`).
 */
export async function reindexCommand(
  env: NodeJS.ProcessEnv,
  options: ReindexCommandOptions,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env, 'tool');
  } catch (error: unknown) {
    const code = reportConfigError(error);
    if (code !== undefined) {
      return code;
    }
    throw error;
  }
  const { engine, url } = config.search;
  if (engine === 'none' || url === undefined) {
    process.stderr.write(
      'reindex needs a search engine: set SEARCH_ENGINE=elasticsearch or opensearch and SEARCH_URL.\n',
    );
    return REINDEX_EXIT.config;
  }
  // stdout carries the summary (JSON with --json): logs go to stderr.
  const logger = makeLogger({ level: env.LOG_LEVEL ?? 'warn', destination: process.stderr });
  const pool = makeDbPool({ url: config.mysql.url, poolSize: 3 });
  const client = makeEngineClient({
    engine,
    url,
    username: config.search.username,
    password: config.search.password,
    timeoutMs: config.search.timeoutMs,
  });
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort(new SidecarError('SC_ERR_SHUTDOWN', 'Interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runMigrations(pool, logger); // the checkpoint table may not exist yet
    const summary = await runReindex({
      pool,
      client,
      indexPrefix: config.search.indexPrefix,
      batchSize: options.batchSize ?? config.search.indexBatchSize,
      fromStart: options.fromStart,
      logger,
      signal: interrupt.signal,
      onProgress: (progress) => process.stderr.write(formatProgress(progress)),
    });
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
    return REINDEX_EXIT.ok;
  } catch (error: unknown) {
    const reason = interrupt.signal.aborted ? 'interrupted' : loggableFailure(error).reason;
    process.stderr.write(
      `reindex stopped: ${reason}. What was indexed is kept in the checkpoint; run reindex again to resume.\n`,
    );
    return REINDEX_EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}
