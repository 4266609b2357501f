import type { DeliveryControls } from '../config/index.js';
import { coerceError, type Logger } from '../shared/index.js';
import {
  clearFailing,
  disableSubscription,
  markFailing,
  type Pool,
  type Subscription,
  type SubscriptionCache,
} from '../store/index.js';

/**
 * Disables subscriptions that cannot be delivered to:
 * - at once when the receiver answers `410 Gone` (it says the endpoint is gone for good);
 * - when every attempt has failed for `autoDisableAfterS` (5 days by default, like Stripe and Svix).
 * Disabling sets Magento's `status` = 0 and records the reason and time in our table; this
 * process's subscription cache drops the subscription at once.
 *
 * State: the start of each subscription's current run of failures, as stored (so a restart or
 * another replica continues the same run). The database is written on transitions only: the first
 * failure of a run, and the first success after one.
 */
export interface AttemptResult {
  ok: boolean;
  status?: number;
}

export interface HealthTracker {
  /** Records an attempt's result; answers the reason when it disabled the subscription. */
  observe(
    subscription: Subscription,
    controls: DeliveryControls,
    result: AttemptResult,
  ): Promise<string | undefined>;
}

export interface HealthTrackerOptions {
  pool: Pool;
  subscriptions: SubscriptionCache;
  logger: Logger;
  onDisabled?: (reason: 'gone' | 'failing') => void;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
}

export function makeHealthTracker(options: HealthTrackerOptions): HealthTracker {
  const logger = options.logger.child({ component: 'health' });
  const now = options.now ?? Date.now;
  const failingSince = new Map<number, number>();

  const disable = async (
    subscription: Subscription,
    kind: 'gone' | 'failing',
    reason: string,
    condition?: { failingForS: number },
  ): Promise<string | undefined> => {
    const { subscriptionId } = subscription;
    failingSince.delete(subscriptionId);
    if (!(await disableSubscription(options.pool, subscriptionId, reason, condition))) {
      return undefined; // another replica saw a success meanwhile: the run is re-read next time
    }
    options.subscriptions.markDisabled(subscriptionId);
    options.onDisabled?.(kind);
    logger.warn({ subscriptionId, reason }, 'Subscription disabled');
    return reason;
  };

  const observeInternal = async (
    subscription: Subscription,
    controls: DeliveryControls,
    result: AttemptResult,
  ): Promise<string | undefined> => {
    const { subscriptionId } = subscription;
    if (result.ok) {
      if (failingSince.delete(subscriptionId)) {
        await clearFailing(options.pool, subscriptionId);
      }
      return undefined;
    }
    if (result.status === 410) {
      return disable(
        subscription,
        'gone',
        `The receiver answered 410 Gone on ${utcNow()}: the endpoint no longer exists`,
      );
    }
    let since = failingSince.get(subscriptionId);
    if (since === undefined) {
      since = Date.parse(`${(await markFailing(options.pool, subscriptionId)).replace(' ', 'T')}Z`);
      failingSince.set(subscriptionId, since);
    }
    const period = controls.autoDisableAfterS;
    if (period > 0 && now() - since >= period * 1000) {
      return disable(
        subscription,
        'failing',
        `Every delivery failed from ${new Date(since).toISOString()} to ${utcNow()} (auto_disable_after_s = ${period})`,
        { failingForS: period },
      );
    }
    return undefined;
  };

  return {
    async observe(subscription, controls, result) {
      try {
        return await observeInternal(subscription, controls, result);
      } catch (error: unknown) {
        // Never fails the delivery: the next attempt records the run again.
        failingSince.delete(subscription.subscriptionId);
        logger.warn(
          { err: coerceError(error), subscriptionId: subscription.subscriptionId },
          'Cannot record the health of a subscription',
        );
        return undefined;
      }
    },
  };
}

function utcNow(): string {
  return new Date().toISOString();
}
