import { describe, expect, it } from 'vitest';

import { DEFERRAL_LADDER_S, deferralDelaySeconds, makeDeferralPlanner } from './deferral.js';

describe('deferralDelaySeconds', () => {
  it('backs off along the ladder up to 8 s for repeated deferrals', () => {
    expect([1, 2, 3, 4, 5, 50].map((n) => deferralDelaySeconds(n))).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('waits at least the time asked, rounded up to a ladder step', () => {
    expect(deferralDelaySeconds(1, 29)).toBe(30);
    expect(deferralDelaySeconds(1, 31)).toBe(45);
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

describe('makeDeferralPlanner', () => {
  const request = { subscriptionId: 1, retryInS: 1, maxInFlight: 2, ratePerSecond: 0, deferrals: 0 };

  it('spreads a burst of deferrals at the pace the subscription takes', () => {
    const planner = makeDeferralPlanner({ durationOf: () => 300, now: () => 0 });
    // 2 in flight, answering in 0.3 s: still only 2 per second, since those deferred together come back together.
    const delays = Array.from({ length: 12 }, () => planner.plan({ ...request, reason: 'concurrency' }));
    expect(delays).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    const rated = Array.from({ length: 10 }, () =>
      planner.plan({ ...request, subscriptionId: 2, reason: 'rate', ratePerSecond: 4 }),
    );
    expect(rated).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3]);
  });

  it('counts deliveries that came back, and waits out an open circuit', () => {
    const planner = makeDeferralPlanner({ durationOf: () => 300, now: () => 0 });
    for (let i = 0; i < 20; i += 1) {
      planner.plan({ ...request, reason: 'rate', ratePerSecond: 1 });
    }
    for (let i = 0; i < 20; i += 1) {
      planner.returned(1);
    }
    expect(planner.plan({ ...request, reason: 'rate', ratePerSecond: 1 })).toBe(1);
    expect(planner.plan({ ...request, subscriptionId: 3, reason: 'circuit', retryInS: 25 })).toBe(30);
  });

  it('forgets a backlog left alone for two minutes', () => {
    let now = 0;
    const planner = makeDeferralPlanner({ durationOf: () => 300, now: () => now });
    for (let i = 0; i < 50; i += 1) {
      planner.plan({ ...request, reason: 'rate', ratePerSecond: 1 });
    }
    now += 121_000;
    expect(planner.plan({ ...request, reason: 'rate', ratePerSecond: 1 })).toBe(1);
  });
});

describe('makeDeferralPlanner with slow deliveries', () => {
  it('paces by the average delivery time when it is over a second', () => {
    const planner = makeDeferralPlanner({ durationOf: () => 4000, now: () => 0 });
    const request = { subscriptionId: 1, retryInS: 1, maxInFlight: 2, ratePerSecond: 0, deferrals: 0 };
    // 2 in flight at 4 s each: one every 2 s.
    expect(Array.from({ length: 5 }, () => planner.plan({ ...request, reason: 'concurrency' }))).toEqual([
      2, 4, 6, 8, 10,
    ]);
  });
});
