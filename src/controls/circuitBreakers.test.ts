import { describe, expect, it } from 'vitest';

import { makeCircuitBreakers } from './circuitBreakers.js';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('makeCircuitBreakers', () => {
  it('opens after the threshold of consecutive retryable failures, per destination', () => {
    const time = clock();
    const breakers = makeCircuitBreakers({ failureThreshold: 3, cooldownMs: 1000, now: time.now });
    expect(breakers.record('a', false, false)).toBeUndefined();
    expect(breakers.record('a', true, false)).toBeUndefined(); // a success resets the count
    breakers.record('a', false, false);
    breakers.record('a', false, false);
    breakers.record('b', false, false);
    expect(breakers.record('a', false, false)).toEqual({ from: 'closed', to: 'open' });
    expect(breakers.state('a')).toBe('open');
    expect(breakers.state('b')).toBe('closed');
    expect(breakers.check('a')).toEqual({ ok: false, retryInMs: 1000 });
    expect(breakers.check('b')).toEqual({ ok: true, probe: false });
  });

  it('lets one probe through after the cool-down; its answer closes or reopens the circuit', () => {
    const time = clock();
    const breakers = makeCircuitBreakers({ failureThreshold: 1, cooldownMs: 5000, now: time.now });
    breakers.record('a', false, false);
    time.advance(4000);
    expect(breakers.check('a')).toEqual({ ok: false, retryInMs: 1000 });
    time.advance(1000);
    expect(breakers.check('a')).toEqual({ ok: true, probe: true });
    expect(breakers.state('a')).toBe('half_open');
    expect(breakers.check('a')).toMatchObject({ ok: false }); // the probe is out
    expect(breakers.record('a', false, true)).toEqual({ from: 'half_open', to: 'open' });
    expect(breakers.check('a')).toEqual({ ok: false, retryInMs: 5000 });
    time.advance(5000);
    expect(breakers.check('a')).toEqual({ ok: true, probe: true });
    expect(breakers.record('a', true, true)).toEqual({ from: 'half_open', to: 'closed' });
    expect(breakers.check('a')).toEqual({ ok: true, probe: false });
  });

  it('tells how long a circuit refuses without taking its probe', () => {
    const time = clock();
    const breakers = makeCircuitBreakers({ failureThreshold: 1, cooldownMs: 5000, now: time.now });
    expect(breakers.refusingFor('a')).toBeUndefined(); // closed
    breakers.record('a', false, false);
    time.advance(3000);
    expect(breakers.refusingFor('a')).toBe(2000);
    time.advance(2000);
    expect(breakers.refusingFor('a')).toBeUndefined(); // due for its probe: check may take it
    expect(breakers.state('a')).toBe('open'); // the look took nothing
    expect(breakers.check('a')).toEqual({ ok: true, probe: true });
    expect(breakers.refusingFor('a')).toBe(1000); // the probe is out
  });

  it('gives an unused probe back and ignores stragglers of an older state', () => {
    const time = clock();
    const breakers = makeCircuitBreakers({ failureThreshold: 1, cooldownMs: 100, now: time.now });
    breakers.record('a', false, false);
    time.advance(100);
    expect(breakers.check('a')).toEqual({ ok: true, probe: true });
    breakers.cancelProbe('a');
    expect(breakers.state('a')).toBe('open');
    expect(breakers.record('a', true, false)).toBeUndefined(); // a late success of an earlier attempt
    expect(breakers.check('a')).toEqual({ ok: true, probe: true });
  });

  it('never opens with a threshold of 0', () => {
    const breakers = makeCircuitBreakers({ failureThreshold: 0, cooldownMs: 100 });
    for (let i = 0; i < 100; i += 1) {
      breakers.record('a', false, false);
    }
    expect(breakers.check('a')).toEqual({ ok: true, probe: false });
  });
});
