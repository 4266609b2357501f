/** Parsing a message either gives its value or the reason it cannot be processed (it is then parked). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly: PHP's json_encode never writes invalid UTF-8, so such bytes are corrupt. */
export function decodeUtf8(bytes: Buffer): ParseResult<string> {
  try {
    return { ok: true, value: STRICT_UTF8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8' };
  }
}

/** Strict UTF-8 and then JSON: the two checks every message body goes through. */
export function parseJsonBody(body: Buffer, what: string): ParseResult<unknown> {
  const text = decodeUtf8(body);
  return text.ok ? parseJson(text.value, what) : text;
}

/**
 * Deepest nesting of arrays and objects a message may have. Real messages are flat (ids, a body
 * string); anything near this is garbage, and deeper values would overflow the stack of every
 * recursive consumer of the parsed value (JSON.stringify, route binding), turning one message into
 * an exception thrown on each redelivery instead of a parked message.
 */
export const MAX_JSON_DEPTH = 64;

export function parseJson(text: string, what: string): ParseResult<unknown> {
  try {
    // JSON.parse itself is iterative and safe at any depth; what it returns is checked after.
    const value = JSON.parse(text) as unknown;
    if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      return { ok: false, reason: `${what} is nested more than ${MAX_JSON_DEPTH} levels deep` };
    }
    return { ok: true, value };
  } catch (error: unknown) {
    return {
      ok: false,
      reason: `${what} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

/** An integer as PHP's `(int)` cast accepts it from JSON: a whole number or a string of digits. */
export function toNonNegativeInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return value;
  }
  if (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

export function describeJsonType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Whether arrays and objects nest deeper than `limit` in a parsed value. Walked with an explicit
 * stack, so any depth is measured safely; the cost follows the number of containers, not the
 * text's length (a retry message is a few scalars and one long string).
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) {
      continue;
    }
    const depth = next.depth + 1;
    if (depth > limit) {
      return true;
    }
    for (const child of Object.values(next.value)) {
      if (typeof child === 'object' && child !== null) {
        pending.push({ value: child, depth });
      }
    }
  }
  return false;
}
