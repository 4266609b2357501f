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

  it('refuses after the wait bound, and at once when its turn is not expected within it', async () => {
    const gate = makeAdmissionGate({ waitMs: 150 });
    const limits = { maxInFlight: 3, ratePerSecond: 0 };
    const measured = await gate.admit(1, limits);
    await sleep(900);
    if (measured.ok) {
      measured.permit.release();
    }
    // 0.8 × 10 + 0.2 × ≈900: slower than the bound, so the bound is not stretched for a burst.
    expect(gate.averageDurationMs(1)).toBeGreaterThanOrEqual(185);
    for (let slot = 0; slot < 3; slot += 1) {
      await gate.admit(1, limits); // hold every slot
    }
    const started = performance.now();
    const waiting = gate.admit(1, limits); // expected in ≈ 63 ms: waits
    const second = gate.admit(1, limits); // expected in ≈ 125 ms: waits
    const immediate = await gate.admit(1, limits); // expected in ≈ 188 ms: refused now
    expect(immediate).toMatchObject({ ok: false, refusal: { reason: 'concurrency' } });
    expect(performance.now() - started).toBeLessThan(50);
    const timedOut = await waiting;
    expect(timedOut).toMatchObject({ ok: false, refusal: { reason: 'concurrency', retryInS: 1 } });
    expect((await second).ok).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('lets a fast subscription queue a burst far beyond its cap', async () => {
    const gate = makeAdmissionGate({ waitMs: 250 });
    const limits = { maxInFlight: 4, ratePerSecond: 0 };
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const admitted = await gate.admit(1, limits);
        if (admitted.ok) {
          await sleep(2);
          admitted.permit.release();
        }
        return admitted.ok;
      }),
    );
    expect(results.every(Boolean)).toBe(true);
  });

  it('lets a subscription faster than the bound queue a burst for up to four bounds, a slower one for one', async () => {
    // The clock stands still (timers do not): delivery times are exact.
    const gate = makeAdmissionGate({ waitMs: 100, now: () => 0 });
    const limits = { maxInFlight: 1, ratePerSecond: 0 };
    const measuring = await gate.admit(1, limits);
    if (measuring.ok) {
      measuring.permit.release(); // 0.8 × 10 ms (the initial estimate) + 0.2 × 0 ms
    }
    // Fast (8 ms per delivery): the 50th waiter is 400 ms ahead, within 4 × 100 ms.
    expect(gate.averageDurationMs(1)).toBe(8);
    const holder = await gate.admit(1, limits);
    const queued = Array.from({ length: 50 }, () => gate.admit(1, limits));
    const beyond = await gate.admit(1, limits); // 408 ms ahead: refused at once
    expect(beyond).toMatchObject({ ok: false, refusal: { reason: 'concurrency' } });
    if (holder.ok) {
      holder.permit.release();
    }
    for (const waiting of queued) {
      const admitted = await waiting;
      expect(admitted.ok).toBe(true);
      await sleep(1);
      if (admitted.ok) {
        admitted.permit.release();
      }
    }
    // Slow (≈ 130 ms on average after a 600 ms delivery: over the bound): one bound only.
    const clocked = makeAdmissionGate({ waitMs: 100 });
    const slow = await clocked.admit(2, limits);
    await sleep(600);
    if (slow.ok) {
      slow.permit.release();
    }
    await clocked.admit(2, limits); // holds the slot
    const started = performance.now();
    expect((await clocked.admit(2, limits)).ok).toBe(false); // ≈ 130 ms ahead: refused at once
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('tells, without taking or queueing anything, when admit would refuse at once for want of a slot', async () => {
    let now = 0;
    const gate = makeAdmissionGate({ waitMs: 100, now: () => now });
    const limits = { maxInFlight: 2, ratePerSecond: 0 };
    expect(gate.refusalNow(1, limits)).toBeUndefined(); // nothing in flight
    const first = await gate.admit(1, limits);
    now = 500;
    if (first.ok) {
      first.permit.release(); // 0.8 × 10 + 0.2 × 500 = 108 ms on average: slower than the bound
    }
    await gate.admit(1, limits);
    expect(gate.refusalNow(1, limits)).toBeUndefined(); // a slot is free
    await gate.admit(1, limits);
    // Both slots taken: the next turn is ≈ 54 ms ahead, within the bound, so admit would queue it.
    expect(gate.refusalNow(1, limits)).toBeUndefined();
    const queued = gate.admit(1, limits);
    // One waiter ahead: ≈ 108 ms, beyond the bound.
    const refusal = gate.refusalNow(1, limits);
    expect(refusal).toMatchObject({ reason: 'concurrency', retryInS: 1 });
    expect(await gate.admit(1, limits)).toEqual({ ok: false, refusal });
    expect(gate.inFlight(1)).toBe(2); // the look took nothing
    expect(gate.refusalNow(1, { maxInFlight: 3, ratePerSecond: 0 })).toBeUndefined(); // a larger cap
    expect(gate.refusalNow(2, limits)).toBeUndefined(); // another subscription
    expect((await queued).ok).toBe(false); // no slot freed within the bound
  });

  it('lets a subscription it knows nothing of yet queue for one bound only', async () => {
    const gate = makeAdmissionGate({ waitMs: 100 });
    const limits = { maxInFlight: 1, ratePerSecond: 0 };
    await gate.admit(1, limits); // never answers
    const started = performance.now();
    // The initial estimate (10 ms) lets the first burst queue, but not for four bounds.
    const queued = await Promise.all(Array.from({ length: 5 }, () => gate.admit(1, limits)));
    expect(queued.every((admitted) => !admitted.ok)).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('takes a delivery still in flight past its average as the delivery time', async () => {
    const gate = makeAdmissionGate({ waitMs: 100 });
    const limits = { maxInFlight: 2, ratePerSecond: 0 };
    for (let measured = 0; measured < 3; measured += 1) {
      const fast = await gate.admit(1, limits);
      if (fast.ok) {
        fast.permit.release();
      }
    }
    expect(gate.averageDurationMs(1)).toBeLessThan(10);
    // The endpoint turns slow: both slots taken by deliveries that have not answered for 300 ms.
    await gate.admit(1, limits);
    await gate.admit(1, limits);
    await sleep(300);
    const started = performance.now();
    // By the average (≈ 5 ms) a burst would queue for four bounds; by the oldest delivery in
    // flight (≥ 300 ms, over the bound) even the first waiter is ≈ 150 ms ahead: refused at once.
    const refused = await Promise.all(Array.from({ length: 3 }, () => gate.admit(1, limits)));
    expect(refused.every((admitted) => !admitted.ok)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
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
