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

export function parseJson(text: string, what: string): ParseResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
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
