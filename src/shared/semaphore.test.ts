import { describe, expect, it } from 'vitest';

import { makeSemaphore } from './semaphore.js';

describe('makeSemaphore', () => {
  it('never runs more than the limit at once and serves waiters in order', async () => {
    const semaphore = makeSemaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((index) =>
        semaphore.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(index);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(semaphore.active()).toBe(0);
  });

  it('releases the slot when the work throws', async () => {
    const semaphore = makeSemaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it('rejects a limit below 1', () => {
    expect(() => makeSemaphore(0)).toThrow(RangeError);
  });
});
