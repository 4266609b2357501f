import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out, so a token, key or signature never reaches a log line even when an object
 * holding one is logged by mistake (PINO docs/redaction.md). Explicit paths only: a wildcard path
 * (`*.token`) makes pino walk every logged object and cost 17 µs per line instead of 2 µs measured
 * here, on a path that logs every delivery attempt. What the code logs is chosen field by field
 * (never a subscription row, a request or a config object whole), so these cover the mistakes
 * that are plausible.
 */
export const REDACTED_PATHS = [
  'verification_token',
  'verificationToken',
  'secret',
  'token',
  'password',
  'authorization',
  'cryptKey',
  'subscription.verificationToken',
  'subscription.verification_token',
  'headers.authorization',
  'headers["x-magento-signature"]',
  'headers["webhook-signature"]',
  'req.headers.authorization',
  'err.headers.authorization',
  'config.magento.token',
  'config.magento.cryptKey',
];

export interface LoggerSettings {
  /** pino level name: fatal, error, warn, info, debug, trace or silent. @default 'info' */
  level?: string;
  /** Where lines go. @default stdout, synchronously (pino's default destination). */
  destination?: DestinationStream;
}

/** The one root logger of a process; components take `logger.child({ component })`. */
export function makeLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: 'async-events-sidecar' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** Bytes of log lines gathered into one write(2) by the process logger. */
const LOG_WRITE_BYTES = 8 * 1024;
/** Longest a gathered line waits for its write when the process is quiet. */
const LOG_FLUSH_MS = 100;

/**
 * The long-running sidecar's logger: stdout written asynchronously, in chunks. pino's default
 * writes every line with a blocking write(2): one system call per delivery attempt at info level,
 * about 9 % of the pipeline's CPU in `npm run bench`, and an asynchronous write per line still
 * cost 5 %. Lines are gathered up to 8 KB per write instead, and a quiet process writes what it
 * has every 100 ms, so a line is never later than that. Whatever is buffered is written
 * synchronously when the process exits, forced exits included.
 */
export function makeProcessLogger(level: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: LOG_WRITE_BYTES });
  setInterval(() => destination.flush(), LOG_FLUSH_MS).unref();
  // A closed stdout (the reading end of a pipe went away) must not take the sidecar down with it.
  destination.on('error', (error: Error) => {
    process.stderr.write(`async-events-sidecar: log output failed: ${error.message}\n`);
  });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // stdout is gone (closed pipe): nothing left to write to.
    }
  });
  return makeLogger({ level, destination });
}
