/**
 * Finds the raw bytes of members of JSON written by PHP without re-encoding anything, so a value
 * (`content` of a 3.x retry message, a payload in the module's answer) can be reused byte for byte.
 * `rawTopLevelMember` needs input already known to be valid JSON (its callers JSON.parse it first);
 * `rawArrayObjectMembers` checks the structure it walks itself.
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
  // indexOf runs natively (memchr): payload strings are most of the bytes a scan passes.
  let quote = bytes.indexOf(QUOTE, index + 1);
  while (quote !== -1) {
    // The quote closes the string unless an odd number of backslashes escapes it.
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) {
      backslashes += 1;
    }
    if (backslashes % 2 === 0) {
      return quote + 1;
    }
    quote = bytes.indexOf(QUOTE, quote + 1);
  }
  return bytes.length + 1;
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
  while (
    at < bytes.length &&
    bytes[at] !== COMMA &&
    bytes[at] !== CLOSE_BRACE &&
    bytes[at] !== CLOSE_BRACKET &&
    !isWhitespace(bytes[at])
  ) {
    at += 1;
  }
  return at;
}

/** The name of the member whose key string spans `start` to `end`; undefined if it is not a string. */
function memberName(bytes: Buffer, start: number, end: number): string | undefined {
  const raw = bytes.toString('latin1', start + 1, end - 1);
  if (!raw.includes('\\')) {
    return raw; // PHP writes plain ASCII keys unescaped: compared as they are
  }
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as string;
  } catch {
    return undefined;
  }
}

/** The members asked for of one object, and the index just past it; undefined if it does not close. */
function objectMembers(
  bytes: Buffer,
  index: number,
  names: ReadonlySet<string>,
): { members: Map<string, Buffer>; end: number } | undefined {
  const members = new Map<string, Buffer>();
  if (bytes[index] !== OPEN_BRACE) {
    return undefined;
  }
  let at = skipWhitespace(bytes, index + 1);
  if (bytes[at] === CLOSE_BRACE) {
    return { members, end: at + 1 };
  }
  while (bytes[at] === QUOTE) {
    const keyEnd = skipString(bytes, at);
    const key = memberName(bytes, at, keyEnd);
    if (key === undefined) {
      return undefined;
    }
    at = skipWhitespace(bytes, keyEnd);
    if (bytes[at] !== COLON) {
      return undefined;
    }
    const valueStart = skipWhitespace(bytes, at + 1);
    const valueEnd = skipValue(bytes, valueStart);
    if (valueEnd === valueStart || valueEnd > bytes.length) {
      return undefined;
    }
    if (names.has(key)) {
      members.set(key, bytes.subarray(valueStart, valueEnd));
    }
    at = skipWhitespace(bytes, valueEnd);
    if (bytes[at] === CLOSE_BRACE) {
      return { members, end: at + 1 };
    }
    if (bytes[at] !== COMMA) {
      return undefined;
    }
    at = skipWhitespace(bytes, at + 1);
  }
  return undefined;
}

/**
 * One pass over a top-level array of objects: for each element, the raw bytes of the members named
 * (absent ones left out). Undefined unless the input is an array of objects whose strings, brackets
 * and braces close where they should, with nothing after it. It does not validate the values it
 * skips (numbers, literals): a caller that needs them parses the members it takes.
 */
export function rawArrayObjectMembers(
  bytes: Buffer,
  names: ReadonlySet<string>,
): Array<Map<string, Buffer>> | undefined {
  let at = skipWhitespace(bytes, 0);
  if (bytes[at] !== OPEN_BRACKET) {
    return undefined;
  }
  const elements: Array<Map<string, Buffer>> = [];
  at = skipWhitespace(bytes, at + 1);
  if (bytes[at] === CLOSE_BRACKET) {
    return skipWhitespace(bytes, at + 1) === bytes.length ? elements : undefined;
  }
  for (;;) {
    const element = objectMembers(bytes, at, names);
    if (element === undefined) {
      return undefined;
    }
    elements.push(element.members);
    at = skipWhitespace(bytes, element.end);
    if (bytes[at] === CLOSE_BRACKET) {
      return skipWhitespace(bytes, at + 1) === bytes.length ? elements : undefined;
    }
    if (bytes[at] !== COMMA) {
      return undefined;
    }
    at = skipWhitespace(bytes, at + 1);
  }
}

/** The raw bytes of member `name` of the top-level object in `bytes`, or undefined if absent. */
export function rawTopLevelMember(bytes: Buffer, name: string): Buffer | undefined {
  return objectMembers(bytes, skipWhitespace(bytes, 0), new Set([name]))?.members.get(name);
}
