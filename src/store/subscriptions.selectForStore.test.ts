import { describe, expect, it } from 'vitest';

import { selectForStore, type Subscription } from './subscriptions.js';

const subscriber = (subscriptionId: number, storeId: number): Subscription => ({
  subscriptionId,
  storeId,
  eventName: 'sales.order.created',
  recipientUrl: 'https://example.test/hook',
  verificationToken: '0:3:x',
  active: true,
  metadata: 'http',
});
const ALL = [subscriber(1, 0), subscriber(2, 1), subscriber(3, 2)];
const ids = (list: readonly Subscription[]) => list.map((s) => s.subscriptionId);

describe('selectForStore', () => {
  it('sends store-0 events to every store', () => {
    expect(ids(selectForStore(ALL, 0, 'inclusive'))).toEqual([1, 2, 3]);
    expect(ids(selectForStore(ALL, 0, 'upstream'))).toEqual([1, 2, 3]);
  });

  it('includes "All Stores" subscribers for a store event by default', () => {
    expect(ids(selectForStore(ALL, 1, 'inclusive'))).toEqual([1, 2]);
  });

  it('follows the exact upstream rule when asked', () => {
    expect(ids(selectForStore(ALL, 1, 'upstream'))).toEqual([2]);
    expect(ids(selectForStore(ALL, 9, 'upstream'))).toEqual([]);
  });
});
