import { describe, expect, it } from 'vitest';

import { DEFERRAL_LADDER_S, deferralDelaySeconds } from './deferral.js';

describe('deferralDelaySeconds', () => {
  it('backs off along the ladder up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => deferralDelaySeconds(n))).toEqual([
      1, 2, 5, 10, 30, 60, 60, 60,
    ]);
  });

  it('waits at least the time asked, rounded up to a ladder step', () => {
    expect(deferralDelaySeconds(1, 29)).toBe(30);
    expect(deferralDelaySeconds(1, 31)).toBe(60);
    expect(deferralDelaySeconds(6, 200)).toBe(300);
    expect(deferralDelaySeconds(1, 1e9)).toBe(3600);
  });

  it('only ever uses ladder steps (bounded delay queues)', () => {
    for (let n = 0; n < 20; n += 1) {
      for (const atLeast of [0, 0.5, 3, 44, 999, 5000]) {
        expect(DEFERRAL_LADDER_S).toContain(deferralDelaySeconds(n, atLeast));
      }
    }
  });
});
