import { Writable } from 'node:stream';

import { type Logger, makeLogger } from '../../src/shared/index.js';

/** A real pino logger whose lines are kept in memory, so tests can assert on them (and on secrets). */
export interface CapturedLogs {
  logger: Logger;
  lines: string[];
  /** Parsed lines whose `msg` matches. */
  find(message: string | RegExp): Array<Record<string, unknown>>;
}

export function captureLogs(level = 'info'): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      callback();
    },
  });
  return {
    logger: makeLogger({ level, destination }),
    lines,
    find(message) {
      return lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) =>
          typeof message === 'string' ? entry.msg === message : message.test(String(entry.msg)),
        );
    },
  };
}
