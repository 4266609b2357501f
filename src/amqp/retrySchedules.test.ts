import { describe, expect, it } from 'vitest';

import {
  EXTENDED_SCHEDULE_S,
  extendedRetryDelaySeconds,
  JITTER_FACTORS,
  planRetry,
} from './retrySchedules.js';

const base = { retryAfterS: undefined, retryAfterMaxS: 3600, maxDeaths: 5 };

describe('planRetry (upstream)', () => {
  it('is design.md §3: init, then min(60, n²) or Retry-After, then kill after max_deaths', () => {
    expect(planRetry({ ...base, schedule: 'upstream', deathCount: 0 })).toEqual({ kind: 'init' });
    expect(planRetry({ ...base, schedule: 'upstream', deathCount: 1 })).toEqual({
      kind: 'place',
      deathCount: 2,
      delaySeconds: 4,
    });
    expect(planRetry({ ...base, schedule: 'upstream', deathCount: 4 })).toEqual({
      kind: 'place',
      deathCount: 5,
      delaySeconds: 25,
    });
    expect(planRetry({ ...base, schedule: 'upstream', deathCount: 2, retryAfterS: 7 })).toMatchObject({
      delaySeconds: 7,
    });
    expect(planRetry({ ...base, schedule: 'upstream', deathCount: 5 })).toEqual({ kind: 'kill' });
  });
});

describe('planRetry (extended)', () => {
  it('walks minutes to a day, then kills, whatever max_deaths says', () => {
    const middle = () => 0.5; // factor 1.05
    const delays: number[] = [];
    for (let deaths = 0; deaths < EXTENDED_SCHEDULE_S.length; deaths += 1) {
      const plan = planRetry({ ...base, schedule: 'extended', deathCount: deaths, random: middle });
      expect(plan).toMatchObject({ kind: 'place', deathCount: deaths + 1 });
      delays.push(plan.kind === 'place' ? plan.delaySeconds : 0);
    }
    expect(delays).toEqual([63, 315, 1890, 7560, 18_900, 37_800, 90_720]);
    expect(planRetry({ ...base, schedule: 'extended', deathCount: 7 })).toEqual({ kind: 'kill' });
  });

  it('lets Retry-After push a retry later, never earlier', () => {
    const low = () => 0;
    expect(
      planRetry({ ...base, schedule: 'extended', deathCount: 0, retryAfterS: 10, random: low }),
    ).toMatchObject({
      delaySeconds: 51,
    });
    expect(
      planRetry({ ...base, schedule: 'extended', deathCount: 0, retryAfterS: 600, random: low }),
    ).toMatchObject({
      delaySeconds: 600,
    });
  });
});

describe('extendedRetryDelaySeconds', () => {
  it('quantizes jitter: at most four delays per step, 28 in all', () => {
    const seen = new Set<number>();
    for (let deaths = 1; deaths <= 12; deaths += 1) {
      for (let i = 0; i < 200; i += 1) {
        seen.add(extendedRetryDelaySeconds(deaths));
      }
    }
    expect(seen.size).toBeLessThanOrEqual(EXTENDED_SCHEDULE_S.length * JITTER_FACTORS.length);
    expect(extendedRetryDelaySeconds(1, () => 0)).toBe(51);
    expect(extendedRetryDelaySeconds(1, () => 0.999)).toBe(69);
    expect(extendedRetryDelaySeconds(99, () => 0.3)).toBe(Math.round(86_400 * 0.95));
  });
});
