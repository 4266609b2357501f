/**
 * JSON exactly as PHP's `json_encode($value)` writes it without flags, which is what Magento's
 * `Serializer\Json`, its REST renderer and the Mage-OS module produce: `/` escaped as `\/`, every
 * non-ASCII UTF-16 unit as a lower-case `\uXXXX` (astral characters as surrogate pairs), no spaces.
 * Receivers verify signatures over these exact bytes, so the escaping must match PHP byte for byte.
 */

// JSON.stringify already escapes quotes, backslashes and control characters the way PHP does
// (\b \f \n \r \t, others as lower-case \u00XX); only `/` and non-ASCII differ.
const PHP_EXTRA_ESCAPES = /[/\u0080-\uffff]/g;

function escapePhpExtra(char: string): string {
  return char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A JSON string literal as PHP's `json_encode` writes it. */
export function phpJsonString(value: string): string {
  return JSON.stringify(value).replace(PHP_EXTRA_ESCAPES, escapePhpExtra);
}

/**
 * Any JSON value as PHP's `json_encode` writes it. Arrays with keys 0..n-1 are lists in PHP too, and
 * objects keep their insertion order, as PHP arrays do. Numbers are written as JavaScript writes
 * them, which matches PHP >= 7.1 (`serialize_precision = -1`, and `1.0` written as `1` without
 * JSON_PRESERVE_ZERO_FRACTION). Integers beyond 2^53 do not survive a JSON.parse, so code that must
 * keep bytes exact splices the original bytes instead of re-encoding.
 */
export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  switch (typeof value) {
    case 'string':
      return phpJsonString(value);
    case 'number':
      if (!Number.isFinite(value)) {
        // PHP's json_encode fails on INF and NAN too ("Inf and NaN cannot be JSON encoded").
        throw new TypeError('Inf and NaN cannot be JSON encoded');
      }
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item) => phpJsonEncode(item)).join(',')}]`;
      }
      const entries = Object.entries(value as Record<string, unknown>).filter(
        ([, item]) => item !== undefined,
      );
      return `{${entries.map(([key, item]) => `${phpJsonString(key)}:${phpJsonEncode(item)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`Cannot encode a ${typeof value} as JSON`);
  }
}
