import { parseCidrs } from '../security/index.js';

/**
 * Parsers for environment values. Each returns a result instead of throwing, so `loadConfig` can
 * report every problem at once.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };
export type Parser<T> = (raw: string) => ParseResult<T>;

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = <T>(error: string): ParseResult<T> => ({ ok: false, error });

export function stringValue(): Parser<string> {
  return (raw) => (raw.trim() === '' ? fail('must not be empty') : ok(raw.trim()));
}

/**
 * A search index prefix: index names must be lower-case and may not start with `_`, `-` or `+`,
 * so the prefix is lower-cased and limited to letters, digits, `_`, `-` and `.`.
 */
export function indexPrefix(): Parser<string> {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    return /^[a-z0-9][a-z0-9_.-]{0,99}$/.test(value)
      ? ok(value)
      : fail(
          `must start with a letter or digit and use only letters, digits, _, - and . (at most 100), got "${raw}"`,
        );
  };
}

export function integer(options: { min?: number; max?: number } = {}): Parser<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return (raw) => {
    const trimmed = raw.trim();
    if (!/^-?\d+$/.test(trimmed)) {
      return fail(`must be a whole number, got "${raw}"`);
    }
    const value = Number(trimmed);
    if (value < min || value > max) {
      return fail(`must be between ${min} and ${max}, got ${value}`);
    }
    return ok(value);
  };
}

/** A non-negative decimal number such as `2`, `0.5` or `12.25`. */
export function decimal(options: { min?: number; max?: number } = {}): Parser<number> {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  return (raw) => {
    const trimmed = raw.trim();
    if (!/^\d+(?:\.\d+)?$/.test(trimmed)) {
      return fail(`must be a number such as 2 or 0.5, got "${raw}"`);
    }
    const value = Number(trimmed);
    if (value < min || value > max) {
      return fail(`must be between ${min} and ${max}, got ${value}`);
    }
    return ok(value);
  };
}

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    return (values as readonly string[]).includes(value)
      ? ok(value as T)
      : fail(`must be one of ${values.join(', ')}, got "${raw}"`);
  };
}

export function url(protocols: readonly string[]): Parser<URL> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw.trim());
    } catch {
      return fail(`must be an absolute URL (${protocols.join(' or ')}), got "${redactUrl(raw)}"`);
    }
    return protocols.includes(parsed.protocol)
      ? ok(parsed)
      : fail(`must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  };
}

/** A `:`-separated list (like PATH); empty entries are ignored. */
export function pathList(): Parser<string[]> {
  return (raw) =>
    ok(
      raw
        .split(':')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    );
}

/** A comma/whitespace-separated list of non-empty strings. */
export function stringList(): Parser<string[]> {
  return (raw) => ok(raw.split(/[\s,]+/).filter((entry) => entry !== ''));
}

/** A comma/space-separated list of CIDR ranges (validated by the destination guard's parser). */
export function cidrList(): Parser<string[]> {
  return (raw) => {
    try {
      return ok(parseCidrs(raw).map((rule) => rule.cidr));
    } catch (error: unknown) {
      return fail(`must list CIDR ranges: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** true/false, yes/no, 1/0. */
export function boolean(): Parser<boolean> {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) {
      return ok(true);
    }
    if (['0', 'false', 'no', 'off'].includes(value)) {
      return ok(false);
    }
    return fail(`must be true or false, got "${raw}"`);
  };
}

/**
 * Strips credentials from a URL-ish string before it is shown (an error message, a log line, an
 * API view): `amqp://user:pw@host/v` → `amqp://[credentials]@host/v`. A URL that does not parse
 * (often because the password holds an unencoded `/`, `#` or `?`) loses everything up to its last
 * `@`: readability gives way to never echoing a password.
 */
export function redactUrl(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url !== undefined && url.host !== '') {
    if (url.username !== '' || url.password !== '') {
      return `${url.protocol}//[credentials]@${url.host}${url.pathname}${url.search}${url.hash}`;
    }
    // An `@` in the path may be the end of a password whose `/` moved the host: `amqp://u:1/pw@h`.
    if (!decodeURIComponent(url.pathname).includes('@')) {
      return raw;
    }
  }
  return raw.replace(/\/\/.*@/s, '//[credentials]@');
}
