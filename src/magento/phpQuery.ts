/**
 * A query string that PHP parses back into `params`, in the shape of PHP's `http_build_query`:
 * arrays and objects use bracket keys (`a[0]=1&a[1]=2`, `f[x][y]=z`), booleans become `1`/`0`, and
 * `null`/`undefined` (and empty arrays or objects) are left out. Keys and values are encoded with
 * `encodeURIComponent`; the brackets stay literal, which PHP reads the same as `%5B`/`%5D` and which
 * keeps the path readable in logs. Returns `''` when nothing is left, otherwise no leading `?`.
 */
export function buildPhpQuery(params: Readonly<Record<string, unknown>>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    appendPairs(pairs, encodeURIComponent(key), value);
  }
  return pairs.join('&');
}

function appendPairs(pairs: string[], key: string, value: unknown): void {
  if (value === null || value === undefined) {
    return;
  }
  if (typeof value === 'boolean') {
    pairs.push(`${key}=${value ? '1' : '0'}`);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    pairs.push(`${key}=${encodeURIComponent(String(value))}`);
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => appendPairs(pairs, `${key}[${index}]`, item));
  } else if (typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) {
      appendPairs(pairs, `${key}[${encodeURIComponent(childKey)}]`, child);
    }
  }
  // Functions and symbols cannot come from JSON; they are dropped like PHP drops resources.
}
