import type { SearchMaintenance } from '../search/index.js';
import { toSqlDateTime } from '../search/index.js';
import { coerceError, type Logger, sleep } from '../shared/index.js';
import {
  deleteExpiredTriggerRecords,
  deleteLogIds,
  deleteStaleCommitMarks,
  findExpiredLogIds,
  makeNamedLock,
  type Pool,
  readCleanupSettings,
} from '../store/index.js';

/**
 * Upstream's log cleanup cron, done by the sidecar: when `system/async_events/subscriber_log_cleanup_cron`
 * is on, log rows older than `subscriber_log_cron_delete_period` days are deleted, with their index
 * documents and trigger records, in batches of `batchSize` by primary key with a pause between
 * them, so the table is never locked for long and deliveries keep writing. Commit marks left by
 * killed processes (deliveryLog.ts) go at the same age. One replica runs it at a
 * time (a named MySQL lock scoped to the database).
 *
 * States: idle ⇄ running (one pass) → closed.
 */
export interface RetentionJob {
  start(): void;
  /** One pass now; returns the number of log rows deleted. */
  runOnce(now?: Date): Promise<number>;
  close(): Promise<void>;
}

export interface RetentionJobOptions {
  pool: Pool;
  search: SearchMaintenance;
  logger: Logger;
  intervalMs: number;
  /** @default 1000 */
  batchSize?: number;
  /** Pause between batches. @default 50 ms */
  pauseMs?: number;
  onDeleted?: (rows: number) => void;
}

const LOCK = 'async_event_sidecar_retention';

export function makeRetentionJob(options: RetentionJobOptions): RetentionJob {
  const logger = options.logger.child({ component: 'retention' });
  const batchSize = options.batchSize ?? 1000;
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const pass = async (now: Date): Promise<number> => {
    const settings = await readCleanupSettings(options.pool);
    if (!settings.enabled || settings.days <= 0) {
      return 0;
    }
    const before = toSqlDateTime(new Date(now.getTime() - settings.days * 86_400_000));
    const lock = makeNamedLock(options.pool, LOCK);
    if (!(await lock.tryAcquire())) {
      return 0; // another replica is cleaning up
    }
    let deleted = 0;
    try {
      for (;;) {
        const ids = await findExpiredLogIds(options.pool, before, batchSize);
        if (ids.length === 0 || stop.signal.aborted) {
          break;
        }
        await options.search.deleteLogIds(ids);
        deleted += await deleteLogIds(options.pool, ids);
        options.onDeleted?.(ids.length);
        await sleep(options.pauseMs ?? 50, stop.signal).catch(() => undefined);
      }
      while (
        (await deleteExpiredTriggerRecords(options.pool, before, batchSize)) === batchSize &&
        !stop.signal.aborted
      ) {
        await sleep(options.pauseMs ?? 50, stop.signal).catch(() => undefined);
      }
      await deleteStaleCommitMarks(options.pool, before);
    } finally {
      await lock.release();
    }
    if (deleted > 0) {
      logger.info({ deleted, before, days: settings.days }, 'Deleted old delivery-log rows');
    }
    return deleted;
  };

  const runOnce = (now = new Date()): Promise<number> => {
    running ??= pass(now).finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (): void => {
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) =>
          logger.warn({ err: coerceError(error) }, 'Log cleanup failed; trying again later'),
        )
        .finally(() => {
          if (!stop.signal.aborted) {
            schedule();
          }
        });
    }, options.intervalMs);
    timer.unref();
  };

  return {
    start() {
      if (timer === undefined) {
        schedule();
      }
    },
    runOnce,
    async close() {
      stop.abort();
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
