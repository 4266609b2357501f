import type { SubscriptionCount } from './statsQueries.js';

export interface EventCount {
  event_name: string | null;
  total: number;
  failed: number;
  /** Subscriptions of this event that had attempts in the window. */
  subscriptions: number;
}

/** Sums the per-subscription counts per event, busiest first (ties by name, for a stable order). */
export function eventTotals(rows: readonly SubscriptionCount[]): EventCount[] {
  const byEvent = new Map<string | null, EventCount>();
  for (const row of rows) {
    const entry = byEvent.get(row.event_name) ?? {
      event_name: row.event_name,
      total: 0,
      failed: 0,
      subscriptions: 0,
    };
    entry.total += row.total;
    entry.failed += row.failed;
    entry.subscriptions += 1;
    byEvent.set(row.event_name, entry);
  }
  return [...byEvent.values()].sort(
    (a, b) => b.total - a.total || String(a.event_name).localeCompare(String(b.event_name)),
  );
}
