import { describe, expect, it } from 'vitest';

import { nextRetryDelaySeconds, retryDelaySeconds } from './backoff.js';

describe('retryDelaySeconds', () => {
  it('squares the death count like upstream and caps at 60 s', () => {
    expect([1, 2, 3, 4, 5, 7, 8, 100].map((deaths) => retryDelaySeconds(deaths))).toEqual([
      1, 4, 9, 16, 25, 49, 60, 60,
    ]);
  });

  it('gives upstream attempt times 0, 1, 5, 14, 30, 55 s with max_deaths 5', () => {
    // attempt 1 at 0 s, init retry after 1 s, then place(death+1) with delay (death+1)².
    const times = [0, 1];
    for (let deaths = 2; deaths <= 5; deaths += 1) {
      times.push((times.at(-1) ?? 0) + retryDelaySeconds(deaths));
    }
    expect(times).toEqual([0, 1, 5, 14, 30, 55]);
  });

  it('never returns less than 1 s', () => {
    expect(retryDelaySeconds(0)).toBe(1);
    expect(retryDelaySeconds(-3)).toBe(1);
  });
});

describe('nextRetryDelaySeconds', () => {
  it("honours the receiver's Retry-After, rounded up and capped", () => {
    expect(nextRetryDelaySeconds(2, 7, 3600)).toBe(7);
    expect(nextRetryDelaySeconds(2, 2.2, 3600)).toBe(3);
    expect(nextRetryDelaySeconds(2, 86_400, 3600)).toBe(3600);
  });

  it('falls back to the backoff without a usable Retry-After', () => {
    expect(nextRetryDelaySeconds(3, undefined, 3600)).toBe(9);
    expect(nextRetryDelaySeconds(3, 0, 3600)).toBe(9);
  });
});
