/**
 * Bounds how many async operations run at once. Waiters are served first-in, first-out.
 * `run` releases even when the work throws.
 */
export interface Semaphore {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Operations running now. */
  active(): number;
  /** Operations waiting for a slot. */
  waiting(): number;
}

export function makeSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`A semaphore needs a limit of at least 1, got ${limit}`);
  }
  let active = 0;
  const waiters: Array<() => void> = [];

  const acquire = (): Promise<void> => {
    if (active < limit) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiters.push(resolve));
  };

  const release = (): void => {
    const next = waiters.shift();
    if (next === undefined) {
      active -= 1;
    } else {
      // The slot passes straight to the next waiter; `active` stays the same.
      next();
    }
  };

  return {
    async run(work) {
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    active: () => active,
    waiting: () => waiters.length,
  };
}
