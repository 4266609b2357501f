/**
 * Counts failed authentications per client address in a sliding minute, so a client guessing
 * tokens is slowed down to `perMinute` attempts. Memory is bounded: old entries are pruned and the
 * table never holds more than `maxClients` addresses.
 */
export interface FailureLimiter {
  /** Seconds to wait when `client` is over the limit, else undefined. */
  blockedFor(client: string, now?: number): number | undefined;
  recordFailure(client: string, now?: number): void;
}

const WINDOW_MS = 60_000;

export function makeFailureLimiter(options: { perMinute: number; maxClients?: number }): FailureLimiter {
  const failures = new Map<string, number[]>();
  const maxClients = options.maxClients ?? 10_000;

  const recent = (client: string, now: number): number[] => {
    const kept = (failures.get(client) ?? []).filter((at) => now - at < WINDOW_MS);
    if (kept.length === 0) {
      failures.delete(client);
    } else {
      failures.set(client, kept);
    }
    return kept;
  };

  return {
    blockedFor(client, now = Date.now()) {
      const times = recent(client, now);
      if (times.length < options.perMinute) {
        return undefined;
      }
      const oldest = times[times.length - options.perMinute] ?? now;
      return Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    },
    recordFailure(client, now = Date.now()) {
      if (!failures.has(client) && failures.size >= maxClients) {
        // Drop the stalest address rather than grow without bound.
        const stalest = failures.keys().next().value;
        if (stalest !== undefined) {
          failures.delete(stalest);
        }
      }
      const times = recent(client, now);
      times.push(now);
      failures.set(client, times);
    },
  };
}
