/**
 * Finds the raw bytes of one member of a top-level JSON object without re-encoding anything, so a
 * value written by PHP (`content` of a 3.x retry message, say) can be reused byte for byte.
 * The input must already be known to be valid JSON (callers JSON.parse it first).
 *
 * Scanning bytes is safe for UTF-8: every byte of a multi-byte sequence is >= 0x80, so it never
 * looks like a quote, backslash, bracket, comma or colon.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function skipWhitespace(bytes: Buffer, index: number): number {
  let at = index;
  while (isWhitespace(bytes[at])) {
    at += 1;
  }
  return at;
}

/** Index just past the string that starts at `index` (which holds the opening quote). */
function skipString(bytes: Buffer, index: number): number {
  let at = index + 1;
  while (at < bytes.length && bytes[at] !== QUOTE) {
    at += bytes[at] === BACKSLASH ? 2 : 1;
  }
  return at + 1;
}

/** Index just past the value that starts at `index`. */
function skipValue(bytes: Buffer, index: number): number {
  const first = bytes[index];
  if (first === QUOTE) {
    return skipString(bytes, index);
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let at = index;
    while (at < bytes.length) {
      const byte = bytes[at];
      if (byte === QUOTE) {
        at = skipString(bytes, at);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth += 1;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) {
          return at + 1;
        }
      }
      at += 1;
    }
    return at;
  }
  let at = index;
  while (at < bytes.length && bytes[at] !== COMMA && bytes[at] !== CLOSE_BRACE && !isWhitespace(bytes[at])) {
    at += 1;
  }
  return at;
}

/** The raw bytes of member `name` of the top-level object in `bytes`, or undefined if absent. */
export function rawTopLevelMember(bytes: Buffer, name: string): Buffer | undefined {
  let at = skipWhitespace(bytes, 0);
  if (bytes[at] !== OPEN_BRACE) {
    return undefined;
  }
  at = skipWhitespace(bytes, at + 1);
  while (at < bytes.length && bytes[at] === QUOTE) {
    const keyEnd = skipString(bytes, at);
    const key = JSON.parse(bytes.subarray(at, keyEnd).toString('utf8')) as string;
    at = skipWhitespace(bytes, keyEnd);
    if (bytes[at] !== COLON) {
      return undefined;
    }
    const valueStart = skipWhitespace(bytes, at + 1);
    const valueEnd = skipValue(bytes, valueStart);
    if (key === name) {
      return bytes.subarray(valueStart, valueEnd);
    }
    at = skipWhitespace(bytes, valueEnd);
    if (bytes[at] !== COMMA) {
      return undefined;
    }
    at = skipWhitespace(bytes, at + 1);
  }
  return undefined;
}

/** The raw bytes of every element of the top-level JSON array in `bytes`, or undefined if not an array. */
export function rawArrayElements(bytes: Buffer): Buffer[] | undefined {
  let at = skipWhitespace(bytes, 0);
  if (bytes[at] !== OPEN_BRACKET) {
    return undefined;
  }
  const elements: Buffer[] = [];
  at = skipWhitespace(bytes, at + 1);
  while (at < bytes.length && bytes[at] !== CLOSE_BRACKET) {
    const end = skipValue(bytes, at);
    elements.push(bytes.subarray(at, end));
    at = skipWhitespace(bytes, end);
    if (bytes[at] === COMMA) {
      at = skipWhitespace(bytes, at + 1);
    }
  }
  return elements;
}
