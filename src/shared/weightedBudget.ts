/**
 * A budget of units shared by weighted claims, granted first come, first served: a claim of
 * `weight` units waits until that many are free (a claim larger than the whole budget is cut to
 * it, so it can still run alone). Units are handed back one at a time as the work they stand for
 * finishes.
 *
 * The trigger consumer claims one unit per delivery of an event it attempts, so its prefetch
 * counts messages but the budget bounds deliveries: an event with 100 subscribers takes
 * 100 units, and 200 prefetched events of that kind no longer put 20,000 deliveries in front of
 * the subscription limits at once (where most would wait out the admission bound and be deferred).
 *
 * State: `free` units and a FIFO of waiting claims; the head waits until it fits, and claims
 * behind it wait too (no overtaking, so a large claim cannot starve).
 */
export interface WeightedBudget {
  /** Resolves with the units granted (`min(weight, capacity)`) once they are free. */
  claim(weight: number): Promise<number>;
  /** Hands `units` back. */
  release(units: number): void;
  /** Units free now. */
  free(): number;
}

export function makeWeightedBudget(capacity: number): WeightedBudget {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`A budget needs a capacity of at least 1, got ${capacity}`);
  }
  let free = capacity;
  const waiting: Array<{ units: number; grant: () => void }> = [];

  const grantWaiting = (): void => {
    for (let head = waiting[0]; head !== undefined && head.units <= free; head = waiting[0]) {
      waiting.shift();
      free -= head.units;
      head.grant();
    }
  };

  return {
    claim(weight) {
      const units = Math.max(1, Math.min(Math.ceil(weight), capacity));
      if (waiting.length === 0 && units <= free) {
        free -= units;
        return Promise.resolve(units);
      }
      return new Promise((resolve) => waiting.push({ units, grant: () => resolve(units) }));
    },
    release(units) {
      free = Math.min(capacity, free + units);
      grantWaiting();
    },
    free: () => free,
  };
}
