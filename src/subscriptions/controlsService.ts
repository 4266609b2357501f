import type { DeliveryControls } from '../config/index.js';
import { ApiError } from '../shared/index.js';
import {
  effectiveControls,
  findControls,
  findSubscriptionView,
  type Pool,
  saveControls,
} from '../store/index.js';
import { controlFieldName, type ControlsChange } from './controlsInput.js';

/** GET/PUT /V1/async_event/:id/controls without HTTP. */
export interface ControlsService {
  get(subscriptionId: number): Promise<ControlsView>;
  update(subscriptionId: number, change: ControlsChange): Promise<ControlsView>;
}

/** The controls in effect, which of them the subscription set itself, and what the sidecar did to it. */
export interface ControlsView {
  subscription_id: number;
  status: boolean;
  max_in_flight: number;
  rate_limit_per_second: number;
  standard_webhooks: boolean;
  cloudevents_mode: string;
  retry_schedule: string;
  auto_disable_after_s: number;
  /** Controls set on this subscription; the others follow the global defaults. */
  overridden: string[];
  /** UTC start of the current run of failed deliveries, or null. */
  failing_since: string | null;
  /** When and why the sidecar disabled the subscription (410 Gone, failing too long), or null. */
  disabled_at: string | null;
  disabled_reason: string | null;
  /** This process's circuit for the subscription's destination. */
  circuit: string;
}

export interface ControlsServiceOptions {
  pool: Pool;
  defaults: DeliveryControls;
  /** State of the circuit of a subscription's destination in this process. */
  circuitOf: (subscriptionId: number) => string;
  /** Called after a change, so this process's deliveries follow at once. */
  onChange: () => Promise<void>;
}

export function makeControlsService(options: ControlsServiceOptions): ControlsService {
  const get = async (subscriptionId: number): Promise<ControlsView> => {
    const view = await findSubscriptionView(options.pool, subscriptionId);
    if (view === undefined) {
      throw new ApiError('SC_ERR_NOT_FOUND', 'Async event with subscription ID %1 does not exist', {
        parameters: [subscriptionId],
      });
    }
    const record = await findControls(options.pool, subscriptionId);
    const controls = effectiveControls(record.overrides, options.defaults);
    return {
      subscription_id: subscriptionId,
      status: view.status,
      max_in_flight: controls.maxInFlight,
      rate_limit_per_second: controls.ratePerSecond,
      standard_webhooks: controls.standardWebhooks,
      cloudevents_mode: controls.cloudEventsMode,
      retry_schedule: controls.retrySchedule,
      auto_disable_after_s: controls.autoDisableAfterS,
      overridden: (Object.keys(record.overrides) as Array<keyof DeliveryControls>).map(controlFieldName),
      failing_since: record.failingSince,
      disabled_at: record.disabledAt,
      disabled_reason: record.disabledReason,
      circuit: options.circuitOf(subscriptionId),
    };
  };

  return {
    get,
    async update(subscriptionId, change) {
      await get(subscriptionId); // 404 before writing
      await saveControls(options.pool, subscriptionId, change);
      await options.onChange();
      return get(subscriptionId);
    },
  };
}
