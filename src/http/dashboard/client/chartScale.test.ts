import { describe, expect, it } from 'vitest';

import { niceStep, timeTicks, valueTicks } from './chartScale.js';

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0.7, false)).toBe(1);
    expect(niceStep(1.3, false)).toBe(2);
    expect(niceStep(3, false)).toBe(5);
    expect(niceStep(7, false)).toBe(10);
    expect(niceStep(230, false)).toBe(500);
    expect(niceStep(0.03, false)).toBeCloseTo(0.05);
  });

  it('keeps whole-number axes at a step of at least 1', () => {
    expect(niceStep(0.2, true)).toBe(1);
    expect(niceStep(0, true)).toBe(1);
  });
});

describe('valueTicks', () => {
  it('covers the maximum with round ticks from zero', () => {
    expect(valueTicks(37, 4)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(valueTicks(3, 4)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
  });

  it('still draws an axis when everything is zero', () => {
    expect(valueTicks(0, 4)).toEqual({ top: 1, ticks: [0, 1] });
  });

  it('handles fractions without floating-point noise', () => {
    expect(valueTicks(1, 5, false).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('timeTicks', () => {
  const from = Date.UTC(2026, 10, 23, 9, 18);

  it('labels round clock times inside the window, as bucket offsets', () => {
    const ticks = timeTicks({ fromMs: from, bucketMinutes: 1, buckets: 60 }, 7);
    expect(ticks.map((tick) => tick.label)).toEqual(['09:20', '09:30', '09:40', '09:50', '10:00', '10:10']);
    expect(ticks[0]?.position).toBe(2);
    expect(timeTicks({ fromMs: from, bucketMinutes: 1, buckets: 60 }, 6).map((tick) => tick.label)).toEqual([
      '09:30',
      '09:45',
      '10:00',
      '10:15',
    ]);
  });

  it('shows dates for windows longer than a day', () => {
    const ticks = timeTicks({ fromMs: Date.UTC(2026, 10, 16, 11), bucketMinutes: 60, buckets: 168 }, 8);
    expect(ticks[0]?.label).toBe('11-17 00:00');
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[0]?.position).toBe(13);
  });

  it('shows dates when a short window crosses midnight', () => {
    const ticks = timeTicks({ fromMs: Date.UTC(2026, 10, 23, 23, 30), bucketMinutes: 1, buckets: 60 }, 5);
    expect(ticks.map((tick) => tick.label)).toEqual([
      '11-23 23:30',
      '11-23 23:45',
      '11-24 00:00',
      '11-24 00:15',
      '11-24 00:30',
    ]);
  });
});
