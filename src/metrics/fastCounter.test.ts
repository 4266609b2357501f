import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { FastCounter } from './fastCounter.js';

function bothWith(labelNames: Array<'event' | 'subscription' | 'outcome'>) {
  const reference = new Registry();
  const fast = new Registry();
  const options = { name: 'sidecar_test_total', help: 'A test counter.', labelNames };
  return {
    reference,
    fast,
    prom: new Counter({ ...options, registers: [reference] }),
    ours: new FastCounter({ ...options, registers: [fast] }),
  };
}

describe('FastCounter', () => {
  it('exports exactly what prom-client exports for the same increments', async () => {
    const { reference, fast, prom, ours } = bothWith(['event', 'subscription', 'outcome']);
    const increments: Array<[{ event?: string; subscription?: string | number; outcome?: string }, number?]> =
      [
        [{ event: 'sales.order.created', subscription: '1', outcome: 'success' }],
        [{ event: 'sales.order.created', subscription: '1', outcome: 'success' }, 2],
        [{ event: 'sales.order.created', subscription: 1, outcome: 'success' }],
        [{ event: 'sales.order.created', subscription: '2', outcome: 'failed_retryable' }],
        [{ event: 'customer.created', subscription: '1', outcome: 'success' }, 0],
        [{ event: 'customer.created', outcome: 'failed_final' }],
      ];
    for (const [labels, value] of increments) {
      prom.inc(labels, value);
      ours.inc(labels, value);
    }
    expect(await fast.metrics()).toBe(await reference.metrics());
    expect((await ours.get()).values).toEqual((await prom.get()).values);
  });

  it('shows 0 before the first increment without labels, and after a reset', async () => {
    const { reference, fast, prom, ours } = bothWith([]);
    expect(await fast.metrics()).toBe(await reference.metrics());
    prom.inc();
    ours.inc();
    prom.inc(3);
    ours.inc(3);
    expect(await fast.metrics()).toBe(await reference.metrics());
    reference.resetMetrics();
    fast.resetMetrics();
    expect(await fast.metrics()).toBe(await reference.metrics());
    expect((await ours.get()).values).toEqual([{ value: 0, labels: {} }]);
  });

  it('refuses to go down or by something that is not a number', () => {
    const { ours } = bothWith([]);
    expect(() => ours.inc(-1)).toThrow(/only goes up/);
    expect(() => ours.inc(Number.NaN)).toThrow(/only goes up/);
  });
});
