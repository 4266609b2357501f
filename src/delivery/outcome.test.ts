import { describe, expect, it } from 'vitest';

import { isRetryableStatus, parseRetryAfterSeconds } from './outcome.js';

describe('isRetryableStatus', () => {
  it('retries 5xx, 408 and 429 and nothing else', () => {
    expect([500, 502, 503, 504, 599, 408, 429].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 410, 422, 301, 302].some(isRetryableStatus)).toBe(false);
  });
});

describe('parseRetryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfterSeconds('30')).toBe(30);
    expect(parseRetryAfterSeconds(' 7 ')).toBe(7);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfterSeconds('Mon, 23 Nov 2026 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfterSeconds('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores garbage and absence', () => {
    expect(parseRetryAfterSeconds(undefined)).toBeUndefined();
    expect(parseRetryAfterSeconds('soon')).toBeUndefined();
    expect(parseRetryAfterSeconds('-5')).toBeUndefined();
  });
});
