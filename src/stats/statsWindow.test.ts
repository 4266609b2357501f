import { describe, expect, it } from 'vitest';

import {
  chooseBucketMinutes,
  fillSeries,
  fromMagentoUtc,
  MAX_BUCKETS,
  MAX_STATS_MINUTES,
  statsWindow,
  toMagentoUtc,
} from './statsWindow.js';

describe('chooseBucketMinutes', () => {
  it('uses one-minute buckets up to four hours and wider ones beyond, never over the point cap', () => {
    expect(chooseBucketMinutes(1)).toBe(1);
    expect(chooseBucketMinutes(60)).toBe(1);
    expect(chooseBucketMinutes(240)).toBe(1);
    expect(chooseBucketMinutes(241)).toBe(2);
    expect(chooseBucketMinutes(24 * 60)).toBe(10);
    expect(chooseBucketMinutes(MAX_STATS_MINUTES)).toBe(60);
    for (let minutes = 1; minutes <= MAX_STATS_MINUTES; minutes += 37) {
      expect(Math.ceil(minutes / chooseBucketMinutes(minutes))).toBeLessThanOrEqual(MAX_BUCKETS);
    }
  });
});

describe('statsWindow', () => {
  it('ends with the bucket holding now and starts whole buckets earlier', () => {
    const window = statsWindow(new Date('2026-11-23T10:17:42.500Z'), 60);
    expect(window).toEqual({
      from: new Date('2026-11-23T09:18:00.000Z'),
      to: new Date('2026-11-23T10:18:00.000Z'),
      bucketMinutes: 1,
      buckets: 60,
    });
  });

  it('aligns wide buckets on the clock', () => {
    const window = statsWindow(new Date('2026-11-23T10:17:42Z'), 24 * 60);
    expect(window.bucketMinutes).toBe(10);
    expect(window.buckets).toBe(144);
    expect(window.to.toISOString()).toBe('2026-11-23T10:20:00.000Z');
    expect(window.from.toISOString()).toBe('2026-11-22T10:20:00.000Z');
  });

  it('covers at least the minutes asked for', () => {
    const window = statsWindow(new Date('2026-11-23T10:00:00Z'), 7);
    expect(window.to.getTime() - window.from.getTime()).toBe(7 * 60_000);
  });
});

describe('Magento datetime text', () => {
  it('round-trips UTC', () => {
    const date = new Date('2026-02-03T04:05:06Z');
    expect(toMagentoUtc(date)).toBe('2026-02-03 04:05:06');
    expect(fromMagentoUtc('2026-02-03 04:05:06')).toEqual(date);
    expect(fromMagentoUtc('yesterday')).toBeUndefined();
    expect(fromMagentoUtc('2026-13-45 99:00:00')).toBeUndefined();
  });
});

describe('fillSeries', () => {
  it('gives every bucket a point, with zeros where nothing was logged', () => {
    const window = statsWindow(new Date('2026-11-23T10:02:10Z'), 3);
    const series = fillSeries(
      [
        { bucket: 0, total: 4, failed: 1 },
        { bucket: 2, total: 2, failed: 2 },
      ],
      window,
    );
    expect(series).toEqual([
      { minute: '2026-11-23 10:00:00', total: 4, failed: 1 },
      { minute: '2026-11-23 10:01:00', total: 0, failed: 0 },
      { minute: '2026-11-23 10:02:00', total: 2, failed: 2 },
    ]);
  });

  it('ignores counts outside the window', () => {
    const window = statsWindow(new Date('2026-11-23T10:02:10Z'), 2);
    expect(fillSeries([{ bucket: 5, total: 9, failed: 0 }], window).map((point) => point.total)).toEqual([
      0, 0,
    ]);
  });
});
