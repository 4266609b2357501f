import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear, so a token, key or signature never reaches a log line
 * even when an object holding one is logged by mistake (PINO docs/redaction.md).
 */
export const REDACTED_PATHS = [
  'verification_token',
  '*.verification_token',
  'verificationToken',
  '*.verificationToken',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-magento-signature"]',
  '*.headers["webhook-signature"]',
  'cryptKey',
  '*.cryptKey',
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
