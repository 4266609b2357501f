import { describe, expect, it } from 'vitest';

import { makeWeightedBudget } from './weightedBudget.js';

describe('makeWeightedBudget', () => {
  it('grants claims that fit at once and makes larger ones wait for released units', async () => {
    const budget = makeWeightedBudget(10);
    expect(await budget.claim(6)).toBe(6);
    let granted = false;
    const second = budget.claim(6).then((units) => {
      granted = true;
      return units;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    budget.release(1);
    budget.release(1);
    expect(await second).toBe(6);
    expect(budget.free()).toBe(0);
  });

  it('serves claims in order: a small claim does not overtake a waiting large one', async () => {
    const budget = makeWeightedBudget(10);
    await budget.claim(8);
    const order: string[] = [];
    const large = budget.claim(5).then(() => order.push('large'));
    const small = budget.claim(1).then(() => order.push('small'));
    await Promise.resolve();
    expect(order).toEqual([]);
    budget.release(8);
    await Promise.all([large, small]);
    expect(order).toEqual(['large', 'small']);
  });

  it('cuts a claim larger than the budget to the whole budget', async () => {
    const budget = makeWeightedBudget(4);
    expect(await budget.claim(100)).toBe(4);
    budget.release(4);
    expect(budget.free()).toBe(4);
  });

  it('rejects a capacity below 1', () => {
    expect(() => makeWeightedBudget(0)).toThrow(RangeError);
  });
});
