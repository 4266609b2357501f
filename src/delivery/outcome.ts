/**
 * The result of one delivery attempt. A failed delivery is an expected outcome, not an exception:
 * sinks return this union and never throw for a receiver's failure.
 */
export type AttemptOutcome =
  | { ok: true; status?: number; responseData: string }
  | {
      ok: false;
      retryable: boolean;
      /** Delay the receiver asked for (Retry-After), in seconds. */
      retryAfterS?: number;
      status?: number;
      /** The receiver's answer, or why there was none; stored in response_data. */
      responseData: string;
    };

/** 2xx succeeds; 5xx, 408 and 429 are worth another try; any other answer is final (design.md §4). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3). Upstream only
 * understands the number; a date is honoured too rather than silently ignored.
 */
export function parseRetryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  // An HTTP date starts with the day name ("Wed, 21 Oct 2015 07:28:00 GMT").
  const date = /^[A-Za-z]{3},/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) {
    return undefined;
  }
  return Math.max(0, Math.ceil((date - now) / 1000));
}
