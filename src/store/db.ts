import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';

import { errorCodeOf, type Logger, sleep } from '../shared/index.js';

export type { Pool };

/**
 * The MySQL pool on Magento's database. Sessions run in UTC so `created DEFAULT CURRENT_TIMESTAMP`
 * and our own timestamps are UTC, as Magento stores datetimes.
 */
export function makeDbPool(options: { url: string; poolSize: number }): Pool {
  const url = new URL(options.url);
  const poolOptions: PoolOptions = {
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    connectionLimit: options.poolSize,
    maxIdle: options.poolSize,
    enableKeepAlive: true,
    connectTimeout: 5000,
    timezone: 'Z',
    dateStrings: true,
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    // Every statement text stays prepared per connection (LRU) and on the server, which allows
    // 16,382 for all its clients: our texts are bounded (bulkInsert.ts), this bounds them again.
    maxPreparedStatements: 100,
    // mysql2 captures a stack trace per query by default, to graft the caller's frames onto a failed
    // query's error: about 1.5 % of the sidecar's CPU per delivery in a scenario-1 profile (six
    // statements per group commit). Without it an error keeps its code, errno, SQL state and message;
    // only its stack shows mysql2's frames instead of ours.
    trace: false,
  };
  const socketPath = url.searchParams.get('socket');
  if (socketPath !== null) {
    poolOptions.socketPath = socketPath;
  }
  const pool = createPool(poolOptions);
  pool.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
  });
  return pool;
}

/**
 * Errors that a later attempt can get past: the server or network went away, a lock conflict, the
 * user is (temporarily) locked out. Anything else (bad data, missing table) fails the same way again.
 */
export const RETRYABLE_DB_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_PACKETS_OUT_OF_ORDER',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_ACCOUNT_HAS_BEEN_LOCKED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_OPTION_PREVENTS_STATEMENT',
]);

/** MariaDB numbers without a name in mysql2's table (connection killed, account locked). */
const RETRYABLE_DB_ERRNOS: ReadonlySet<number> = new Set([1927, 4151, 3118, 2013, 2006]);

export function isRetryableDbError(error: unknown): boolean {
  const code = errorCodeOf(error);
  if (code !== undefined && RETRYABLE_DB_ERROR_CODES.has(code)) {
    return true;
  }
  const errno =
    typeof error === 'object' && error !== null ? (error as { errno?: unknown }).errno : undefined;
  if (typeof errno === 'number' && RETRYABLE_DB_ERRNOS.has(errno)) {
    return true;
  }
  // mysql2 marks errors after which the connection is unusable as fatal.
  return typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true;
}

export interface DbRetryOptions {
  logger: Logger;
  /** Says what is being retried, for the log line. */
  what: string;
  signal?: AbortSignal;
  /** Longest pause between attempts. @default 5000 ms */
  maxDelayMs?: number;
  onRetry?: (error: unknown) => void;
}

/**
 * Runs `work` until it succeeds, waiting with back-off while the database is unavailable. Only
 * retryable errors are retried; the wait ends early when `signal` aborts.
 */
export async function withDbRetry<T>(work: () => Promise<T>, options: DbRetryOptions): Promise<T> {
  let delayMs = 100;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error: unknown) {
      if (!isRetryableDbError(error) || options.signal?.aborted) {
        throw error;
      }
      options.onRetry?.(error);
      const level = attempt === 1 ? 'warn' : 'debug';
      options.logger[level](
        { err: error, attempt, delayMs },
        `${options.what}: database unavailable, retrying`,
      );
      await sleep(delayMs, options.signal);
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 5000);
    }
  }
}
