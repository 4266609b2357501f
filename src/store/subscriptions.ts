import type { RowDataPacket } from 'mysql2/promise';

import type { StoreScope } from '../config/index.js';
import { coerceError, type Logger } from '../shared/index.js';
import { type ControlOverrides, overridesOf } from './controlOverrides.js';
import type { Pool } from './db.js';

export interface Subscription {
  subscriptionId: number;
  /** As stored. Matching is case-insensitive, like MySQL's utf8mb4_unicode_ci comparison upstream relies on. */
  eventName: string;
  recipientUrl: string;
  /** Encrypted, in Magento's format; decrypted only when signing. */
  verificationToken: string;
  active: boolean;
  /** The sink name (`http`, …). */
  metadata: string;
  storeId: number;
  /** Delivery controls the subscription set for itself (our table); absent ones follow the defaults. */
  controls?: ControlOverrides;
}

export type { StoreScope };

/**
 * An in-memory copy of async_event_subscriber, re-read every `refreshMs` so a busy store does not
 * query per event, and a change in the table shows within one window. When a refresh fails, the
 * last good copy keeps serving (and `isFresh()` says so) until the database is back.
 *
 * States: empty → loaded (refreshing on a timer) → closed.
 */
export interface SubscriptionCache {
  /** First load; retried by the caller until the database answers. */
  load(): Promise<void>;
  /** Active subscribers of an event published for a store, by the store rule of design.md §4. */
  forEvent(eventName: string, storeId: number): readonly Subscription[];
  /** Every subscription, active or not. */
  all(): Iterable<Subscription>;
  /** Any subscription by id, active or not (the retry path checks `active` itself). */
  byId(subscriptionId: number): Subscription | undefined;
  /**
   * `byId`, and when the id is unknown, once more after a refresh (it may have been created a
   * moment ago); a failed refresh counts as not found.
   */
  byIdRefreshing(subscriptionId: number): Promise<Subscription | undefined>;
  refresh(): Promise<void>;
  /**
   * This process disabled the subscription (410 Gone, failing too long): stop delivering to it now,
   * without waiting for the next refresh. A refresh that started before this call cannot undo it.
   */
  markDisabled(subscriptionId: number): void;
  /** False when the last refresh failed. */
  isFresh(): boolean;
  close(): void;
}

export interface SubscriptionCacheOptions {
  pool: Pool;
  logger: Logger;
  refreshMs: number;
  storeScope: StoreScope;
}

interface Snapshot {
  byEvent: Map<string, Subscription[]>;
  byId: Map<number, Subscription>;
}

const EMPTY: readonly Subscription[] = Object.freeze([]);

export function makeSubscriptionCache(options: SubscriptionCacheOptions): SubscriptionCache {
  const logger = options.logger.child({ component: 'subscriptions' });
  let snapshot: Snapshot = { byEvent: new Map(), byId: new Map() };
  let fresh = false;
  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;
  // Disabled here, by when (performance.now()): applied over reads that started before that moment.
  const disabledHere = new Map<number, number>();

  const read = async (): Promise<void> => {
    const startedAt = performance.now();
    const [rows] = await options.pool.query<RowDataPacket[]>(
      `SELECT s.subscription_id, s.event_name, s.recipient_url, s.verification_token, s.status, s.metadata,
              s.store_id, c.max_in_flight, c.rate_limit_per_second, c.standard_webhooks, c.cloudevents_mode,
              c.retry_schedule, c.auto_disable_after_s
         FROM async_event_subscriber s
         LEFT JOIN async_event_sidecar_subscription_controls c ON c.subscription_id = s.subscription_id`,
    );
    for (const [subscriptionId, at] of disabledHere) {
      if (at < startedAt) {
        disabledHere.delete(subscriptionId); // the database has it now
      }
    }
    snapshot = indexSubscriptions(
      rows.map(toSubscription).map((s) => (disabledHere.has(s.subscriptionId) ? { ...s, active: false } : s)),
    );
    fresh = true;
  };

  const refresh = (): Promise<void> => {
    refreshing ??= read()
      .catch((error: unknown) => {
        if (fresh) {
          logger.warn({ err: coerceError(error) }, 'Subscription refresh failed; serving the last copy');
        }
        fresh = false;
        throw error;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  const schedule = (): void => {
    timer = setTimeout(() => {
      refresh()
        .catch(() => undefined) // logged above; the next tick tries again
        .finally(schedule);
    }, options.refreshMs);
    timer.unref();
  };

  return {
    async load() {
      await refresh();
      if (timer === undefined) {
        schedule();
      }
    },
    forEvent(eventName, storeId) {
      return selectForStore(
        snapshot.byEvent.get(eventName.toLowerCase()) ?? EMPTY,
        storeId,
        options.storeScope,
      );
    },
    all: () => snapshot.byId.values(),
    byId: (subscriptionId) => snapshot.byId.get(subscriptionId),
    async byIdRefreshing(subscriptionId) {
      const known = snapshot.byId.get(subscriptionId);
      if (known !== undefined) {
        return known;
      }
      await refresh().catch(() => undefined);
      return snapshot.byId.get(subscriptionId);
    },
    refresh,
    markDisabled(subscriptionId) {
      disabledHere.set(subscriptionId, performance.now());
      const current = snapshot.byId.get(subscriptionId);
      if (current?.active === true) {
        snapshot = indexSubscriptions(
          [...snapshot.byId.values()].map((s) => (s === current ? { ...s, active: false } : s)),
        );
      }
    },
    isFresh: () => fresh,
    close() {
      clearTimeout(timer);
    },
  };
}

/**
 * The store rule of design.md §4: an event of store 0 goes to every subscriber of the event; an
 * event of store N goes to store N's subscribers and, with the `inclusive` scope (our default,
 * **deviation**), also to "All Stores" (store 0) subscribers, which upstream skips.
 */
export function selectForStore(
  subscribers: readonly Subscription[],
  storeId: number,
  scope: StoreScope,
): readonly Subscription[] {
  if (storeId === 0) {
    return subscribers;
  }
  return subscribers.filter(
    (subscription) =>
      subscription.storeId === storeId || (scope === 'inclusive' && subscription.storeId === 0),
  );
}

function toSubscription(row: RowDataPacket): Subscription {
  return {
    subscriptionId: Number(row.subscription_id),
    eventName: String(row.event_name),
    recipientUrl: String(row.recipient_url),
    verificationToken: String(row.verification_token),
    active: Number(row.status) === 1,
    metadata: String(row.metadata ?? '').trim(),
    storeId: Number(row.store_id),
    controls: overridesOf(row),
  };
}

function indexSubscriptions(subscriptions: Subscription[]): Snapshot {
  const byEvent = new Map<string, Subscription[]>();
  const byId = new Map<number, Subscription>();
  for (const subscription of subscriptions) {
    byId.set(subscription.subscriptionId, subscription);
    if (subscription.active) {
      const key = subscription.eventName.toLowerCase();
      const list = byEvent.get(key) ?? [];
      list.push(subscription);
      byEvent.set(key, list);
    }
  }
  return { byEvent, byId };
}
