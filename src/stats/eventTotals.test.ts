import { describe, expect, it } from 'vitest';

import { eventTotals } from './eventTotals.js';
import type { SubscriptionCount } from './statsQueries.js';

const row = (
  subscriptionId: number,
  eventName: string | null,
  total: number,
  failed: number,
): SubscriptionCount => ({
  subscription_id: subscriptionId,
  event_name: eventName,
  store_id: 0,
  total,
  failed,
  last_created: '2026-11-23 10:00:00',
});

describe('eventTotals', () => {
  it('sums subscriptions of the same event, busiest event first', () => {
    expect(
      eventTotals([
        row(1, 'sales.order.created', 3, 1),
        row(2, 'customer.login', 10, 0),
        row(3, 'sales.order.created', 4, 4),
      ]),
    ).toEqual([
      { event_name: 'customer.login', total: 10, failed: 0, subscriptions: 1 },
      { event_name: 'sales.order.created', total: 7, failed: 5, subscriptions: 2 },
    ]);
  });

  it('keeps rows of vanished subscriptions under a null event, and orders ties by name', () => {
    expect(eventTotals([row(1, 'b.event', 2, 0), row(2, null, 1, 1), row(3, 'a.event', 2, 1)])).toEqual([
      { event_name: 'a.event', total: 2, failed: 1, subscriptions: 1 },
      { event_name: 'b.event', total: 2, failed: 0, subscriptions: 1 },
      { event_name: null, total: 1, failed: 1, subscriptions: 1 },
    ]);
  });

  it('is empty without rows', () => {
    expect(eventTotals([])).toEqual([]);
  });
});
