import { describe, expect, it } from 'vitest';

import { closeMatches, editDistance } from './closeMatches.js';

describe('closeMatches', () => {
  const known = ['sales.order.created', 'sales.order.updated', 'sales.invoice.created', 'customer.created'];

  it('suggests the nearest names first', () => {
    expect(closeMatches('sales.order.create', known)).toEqual(['sales.order.created', 'sales.order.updated']);
    expect(closeMatches('SALES.ORDER.CREATED', known)[0]).toBe('sales.order.created');
  });

  it('suggests names containing a fragment', () => {
    expect(closeMatches('invoice', known)).toEqual(['sales.invoice.created']);
  });

  it('returns nothing for unrelated names', () => {
    expect(closeMatches('zzz.qqq', known)).toEqual([]);
  });

  it('computes edit distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
