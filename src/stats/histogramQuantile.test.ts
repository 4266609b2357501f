import { describe, expect, it } from 'vitest';

import { histogramQuantile, mergeBuckets } from './histogramQuantile.js';

describe('histogramQuantile', () => {
  const buckets = [
    { le: 0.1, count: 50 },
    { le: 0.5, count: 90 },
    { le: 1, count: 100 },
    { le: Infinity, count: 100 },
  ];

  it('interpolates inside the bucket holding the rank, from 0 for the first', () => {
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.05);
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.3);
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.75);
    expect(histogramQuantile(1, buckets)).toBeCloseTo(1);
  });

  it('answers the highest finite bound when the rank is in +Inf', () => {
    expect(
      histogramQuantile(0.99, [
        { le: 0.1, count: 1 },
        { le: 5, count: 2 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(5);
  });

  it('skips empty buckets and accepts unsorted input', () => {
    expect(
      histogramQuantile(0.5, [
        { le: Infinity, count: 4 },
        { le: 2, count: 4 },
        { le: 1, count: 0 },
      ]),
    ).toBeCloseTo(1.5);
  });

  it('is undefined when nothing was observed', () => {
    expect(histogramQuantile(0.5, [])).toBeUndefined();
    expect(histogramQuantile(0.5, [{ le: Infinity, count: 0 }])).toBeUndefined();
  });
});

describe('mergeBuckets', () => {
  it('adds label sets by bound and reads "+Inf"', () => {
    expect(
      mergeBuckets([
        { le: 0.5, count: 1 },
        { le: '+Inf', count: 2 },
        { le: 0.5, count: 3 },
        { le: '+Inf', count: 3 },
        { le: undefined, count: 9 },
      ]),
    ).toEqual([
      { le: 0.5, count: 4 },
      { le: Infinity, count: 5 },
    ]);
  });
});
