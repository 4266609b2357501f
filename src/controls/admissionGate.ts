/**
 * Per-subscription admission: at most `maxInFlight` deliveries at once and at most
 * `ratePerSecond` starts per second (a GCRA token bucket holding one second of burst), honoured
 * across every consumer of this process because both consumers share one gate.
 *
 * Waiting is bounded, so a slow or limited subscription never holds trigger messages for long
 * (that would fill the prefetch window and stall every other subscription):
 * - a delivery waits at most `waitMs` for a slot and a rate token together;
 * - it does not wait at all when its turn is not expected within `waitMs`: (waiters ahead + 1) ×
 *   the subscription's delivery time / maxInFlight for a slot, the bucket's schedule for a token.
 *   The delivery time is the moving average of finished deliveries, or the age of the oldest one
 *   still in flight when that is longer: a subscription that turns slow (or is slow from the
 *   start) is known as such after `waitMs`, not only once its first slow delivery ends, which can
 *   take the whole delivery timeout while every message behind it waits. A slow one (deliveries
 *   longer than `waitMs`) has fewer than maxInFlight waiting (the trigger consumer hands its
 *   deliveries in flight to the backlog drainer, so they hold no message);
 * - a subscription measured faster than `waitMs` absorbs a burst in its queue for up to
 *   4 × `waitMs` (BURST_FACTOR), since its queue keeps moving. One not measured yet waits
 *   `waitMs` at most: the first burst after a start arrives before anything is known of it.
 * A refusal goes to the retry path.
 *
 * State per subscription: in-flight count, the grant times of the deliveries in flight, FIFO
 * waiters, the theoretical arrival time of the bucket (dropped when idle), and a moving average
 * of its delivery time (kept).
 */
export interface AdmissionLimits {
  maxInFlight: number;
  /** 0 = unlimited. */
  ratePerSecond: number;
}

export type AdmissionRefusal = { reason: 'concurrency' | 'rate'; message: string; retryInS: number };

export interface Permit {
  /** Frees the slot; idempotent. */
  release(): void;
}

export interface AdmissionGate {
  admit(
    subscriptionId: number,
    limits: AdmissionLimits,
  ): Promise<{ ok: true; permit: Permit } | { ok: false; refusal: AdmissionRefusal }>;
  /**
   * The refusal `admit` would answer at once for want of a slot (all taken, and the queue's
   * expected wait beyond its bound), without taking or queueing anything; undefined otherwise. The
   * rate limit is left to `admit`.
   */
  refusalNow(subscriptionId: number, limits: AdmissionLimits): AdmissionRefusal | undefined;
  /** Deliveries in flight for a subscription (for tests and metrics). */
  inFlight(subscriptionId: number): number;
  /** Moving average of the subscription's delivery time (admission to release), in ms. */
  averageDurationMs(subscriptionId: number): number;
  /** The average, or the age of its oldest delivery in flight when that is already longer, in ms. */
  deliveryTimeMs(subscriptionId: number): number;
}

/**
 * Assumed delivery time before one was measured: optimistic, so a first burst queues (each waiter
 * is still bounded by `waitMs`); the first answers correct it quickly.
 */
const INITIAL_DURATION_MS = 10;

/**
 * A subscription whose deliveries take less than the wait bound may queue a burst for up to this
 * many wait bounds: its queue moves several times within one bound, and deferring a burst costs
 * far more than waiting it out (each deferred delivery is a log row, a retry message and a second
 * pass later). Measured in `npm run bench` (scenario 4 with TRIGGER_PREFETCH=600, bursts of 50
 * events per batched resolution): 646 of 10,000 deliveries deferred at one bound, 106 at four.
 */
const BURST_FACTOR = 4;

interface Entry {
  active: number;
  /** Grant time (now()) of each delivery in flight, oldest first (Map keeps insertion order). */
  grants: Map<Permit, number>;
  waiters: Array<(granted: boolean) => void>;
  /** GCRA theoretical arrival time, performance.now() milliseconds. */
  tat: number;
}

export function makeAdmissionGate(options: {
  /** The "promptly" bound: longest wait for a slot and a rate token. @default 250 ms */
  waitMs: number;
  now?: () => number;
}): AdmissionGate {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<number, Entry>();
  const durations = new Map<number, number>();
  const averageDurationMs = (id: number): number => durations.get(id) ?? INITIAL_DURATION_MS;
  const entryOf = (id: number): Entry => {
    let entry = entries.get(id);
    if (entry === undefined) {
      entry = { active: 0, grants: new Map(), waiters: [], tat: 0 };
      entries.set(id, entry);
    }
    return entry;
  };
  const prune = (id: number, entry: Entry): void => {
    if (entry.active === 0 && entry.waiters.length === 0 && entry.tat <= now()) {
      entries.delete(id);
    }
  };

  const release = (id: number, entry: Entry): void => {
    const next = entry.waiters.shift();
    if (next === undefined) {
      entry.active -= 1;
      prune(id, entry);
    } else {
      next(true); // the slot passes straight to the next waiter
    }
  };

  const deliveryTimeMs = (id: number, entry: Entry | undefined): number => {
    const average = averageDurationMs(id);
    const oldest = entry?.grants.values().next();
    return oldest === undefined || oldest.done === true ? average : Math.max(average, now() - oldest.value);
  };

  /**
   * How long one more delivery may queue for a slot of a subscription whose slots are all taken;
   * undefined when its turn is not expected within that bound (it is refused at once).
   */
  const queueBoundMs = (id: number, entry: Entry, limits: AdmissionLimits): number | undefined => {
    const deliveryMs = deliveryTimeMs(id, entry);
    const movesFast = durations.has(id) && deliveryMs <= options.waitMs;
    const boundMs = movesFast ? options.waitMs * BURST_FACTOR : options.waitMs;
    const expectedWaitMs = ((entry.waiters.length + 1) * deliveryMs) / limits.maxInFlight;
    return expectedWaitMs > boundMs ? undefined : boundMs;
  };

  const noSlot = (id: number, limits: AdmissionLimits): AdmissionRefusal => ({
    reason: 'concurrency',
    message: `subscription ${id} already has ${limits.maxInFlight} deliveries in flight (max_in_flight) and no slot frees within ${options.waitMs} ms`,
    retryInS: 1,
  });

  const acquireSlot = (id: number, entry: Entry, limits: AdmissionLimits): Promise<boolean> => {
    if (entry.active < limits.maxInFlight) {
      entry.active += 1;
      return Promise.resolve(true);
    }
    const boundMs = queueBoundMs(id, entry, limits);
    if (boundMs === undefined) {
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const waiter = (granted: boolean): void => {
        clearTimeout(timer);
        resolve(granted);
      };
      const timer = setTimeout(() => {
        entry.waiters.splice(entry.waiters.indexOf(waiter), 1);
        resolve(false);
      }, boundMs);
      entry.waiters.push(waiter);
    });
  };

  return {
    async admit(subscriptionId, limits) {
      const entry = entryOf(subscriptionId);
      const started = now();
      if (!(await acquireSlot(subscriptionId, entry, limits))) {
        prune(subscriptionId, entry);
        return { ok: false, refusal: noSlot(subscriptionId, limits) };
      }
      if (limits.ratePerSecond > 0) {
        const interval = 1000 / limits.ratePerSecond;
        const tolerance = interval * (Math.max(1, limits.ratePerSecond) - 1);
        const at = now();
        const wait = Math.max(0, entry.tat - tolerance - at);
        if (wait > options.waitMs - (at - started)) {
          release(subscriptionId, entry);
          return {
            ok: false,
            refusal: {
              reason: 'rate',
              message: `subscription ${subscriptionId} is over its rate limit of ${limits.ratePerSecond} per second`,
              retryInS: Math.max(1, Math.ceil(wait / 1000)),
            },
          };
        }
        entry.tat = Math.max(entry.tat, at) + interval;
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      const grantedAt = now();
      let released = false;
      const permit: Permit = {
        release() {
          if (!released) {
            released = true;
            // The delivery time feeds the expected wait of later arrivals (and the deferral pace).
            const took = now() - grantedAt;
            durations.set(subscriptionId, averageDurationMs(subscriptionId) * 0.8 + took * 0.2);
            entry.grants.delete(permit);
            release(subscriptionId, entry);
          }
        },
      };
      entry.grants.set(permit, grantedAt);
      return { ok: true, permit };
    },
    refusalNow(subscriptionId, limits) {
      const entry = entries.get(subscriptionId);
      return entry === undefined ||
        entry.active < limits.maxInFlight ||
        queueBoundMs(subscriptionId, entry, limits) !== undefined
        ? undefined
        : noSlot(subscriptionId, limits);
    },
    inFlight: (subscriptionId) => entries.get(subscriptionId)?.active ?? 0,
    averageDurationMs,
    deliveryTimeMs: (subscriptionId) => deliveryTimeMs(subscriptionId, entries.get(subscriptionId)),
  };
}
