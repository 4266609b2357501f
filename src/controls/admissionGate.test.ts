import { describe, expect, it } from 'vitest';

import { makeAdmissionGate } from './admissionGate.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('makeAdmissionGate', () => {
  it('caps deliveries in flight; a waiter gets the next free slot', async () => {
    const gate = makeAdmissionGate({ waitMs: 500 });
    const limits = { maxInFlight: 2, ratePerSecond: 0 };
    const first = await gate.admit(1, limits);
    const second = await gate.admit(1, limits);
    expect(first.ok && second.ok).toBe(true);
    expect(gate.inFlight(1)).toBe(2);
    const third = gate.admit(1, limits);
    await sleep(20);
    if (first.ok) {
      first.permit.release();
      first.permit.release(); // idempotent
    }
    expect((await third).ok).toBe(true);
    expect(gate.inFlight(1)).toBe(2);
    expect((await gate.admit(2, limits)).ok).toBe(true); // other subscriptions are not affected
  });

  it('refuses after the wait bound, and at once when as many wait as may run', async () => {
    const gate = makeAdmissionGate({ waitMs: 100 });
    const limits = { maxInFlight: 1, ratePerSecond: 0 };
    await gate.admit(1, limits);
    const started = performance.now();
    const waiting = gate.admit(1, limits);
    const immediate = await gate.admit(1, limits);
    expect(immediate).toMatchObject({ ok: false, refusal: { reason: 'concurrency' } });
    expect(performance.now() - started).toBeLessThan(50);
    const timedOut = await waiting;
    expect(timedOut).toMatchObject({ ok: false, refusal: { reason: 'concurrency', retryInS: 1 } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('spaces starts to the rate, admits a one-second burst, and refuses what cannot start within the bound', async () => {
    let now = 0;
    const gate = makeAdmissionGate({ waitMs: 0, now: () => now });
    const limits = { maxInFlight: 100, ratePerSecond: 4 };
    const results = [];
    for (let i = 0; i < 6; i += 1) {
      results.push(await gate.admit(1, limits));
    }
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true, false, false]);
    expect(results[4]).toMatchObject({ ok: false, refusal: { reason: 'rate', retryInS: 1 } });
    results.forEach((result) => result.ok && result.permit.release());
    now += 250;
    expect((await gate.admit(1, limits)).ok).toBe(true);
    expect((await gate.admit(1, limits)).ok).toBe(false);
  });

  it('waits for a rate token when it comes within the bound', async () => {
    const gate = makeAdmissionGate({ waitMs: 300 });
    const limits = { maxInFlight: 10, ratePerSecond: 10 };
    for (let i = 0; i < 10; i += 1) {
      const burst = await gate.admit(1, limits);
      expect(burst.ok).toBe(true);
      if (burst.ok) {
        burst.permit.release();
      }
    }
    const started = performance.now();
    expect((await gate.admit(1, limits)).ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
  });
});
