import { describe, expect, it } from 'vitest';

import { bisectFirst } from './bisectFirst.js';

describe('bisectFirst', () => {
  const threshold = (first: number) => {
    const asked: number[] = [];
    const reached = (value: number) => {
      asked.push(value);
      return Promise.resolve(value >= first);
    };
    return { asked, reached };
  };

  it('finds the first value where the predicate turns true', async () => {
    for (const first of [1, 2, 17, 999, 1000]) {
      const { reached } = threshold(first);
      expect(await bisectFirst(1, 1000, reached)).toBe(first);
    }
  });

  it('answers high + 1 when the predicate never turns true, and low when it always is', async () => {
    expect(await bisectFirst(5, 50, threshold(51).reached)).toBe(51);
    expect(await bisectFirst(5, 50, threshold(0).reached)).toBe(5);
  });

  it('asks about log2 of the range times', async () => {
    const probe = threshold(123_456_789);
    await bisectFirst(1, 2 ** 31, probe.reached);
    expect(probe.asked.length).toBeLessThanOrEqual(32);
    expect(new Set(probe.asked).size).toBe(probe.asked.length);
  });

  it('handles an empty range', async () => {
    const probe = threshold(0);
    expect(await bisectFirst(10, 9, probe.reached)).toBe(10);
    expect(probe.asked).toEqual([]);
  });
});
