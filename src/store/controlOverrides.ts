import type { RowDataPacket } from 'mysql2/promise';

import type { CloudEventsMode, DeliveryControls, RetrySchedule } from '../config/index.js';

/** The controls a subscription set for itself; an absent one follows the global default. */
export type ControlOverrides = Readonly<Partial<DeliveryControls>>;

/** Columns of async_event_sidecar_subscription_controls by control, in the API's snake_case. */
export const CONTROL_COLUMNS = {
  maxInFlight: 'max_in_flight',
  ratePerSecond: 'rate_limit_per_second',
  standardWebhooks: 'standard_webhooks',
  cloudEventsMode: 'cloudevents_mode',
  retrySchedule: 'retry_schedule',
  autoDisableAfterS: 'auto_disable_after_s',
} as const satisfies Record<keyof DeliveryControls, string>;

/** Reads the override columns of a row (joined or not); unknown enum values count as unset. */
export function overridesOf(row: RowDataPacket): ControlOverrides {
  const overrides: Partial<DeliveryControls> = {};
  const number = (value: unknown): number | undefined =>
    value === null || value === undefined ? undefined : Number(value);
  const maxInFlight = number(row.max_in_flight);
  const rate = number(row.rate_limit_per_second);
  const autoDisable = number(row.auto_disable_after_s);
  const standard = number(row.standard_webhooks);
  if (maxInFlight !== undefined) {
    overrides.maxInFlight = maxInFlight;
  }
  if (rate !== undefined) {
    overrides.ratePerSecond = rate;
  }
  if (autoDisable !== undefined) {
    overrides.autoDisableAfterS = autoDisable;
  }
  if (standard !== undefined) {
    overrides.standardWebhooks = standard === 1;
  }
  if (row.cloudevents_mode === 'structured' || row.cloudevents_mode === 'binary') {
    overrides.cloudEventsMode = row.cloudevents_mode as CloudEventsMode;
  }
  if (row.retry_schedule === 'upstream' || row.retry_schedule === 'extended') {
    overrides.retrySchedule = row.retry_schedule as RetrySchedule;
  }
  return Object.freeze(overrides);
}

/** The controls in effect: the subscription's own, else the defaults. */
export function effectiveControls(overrides: ControlOverrides, defaults: DeliveryControls): DeliveryControls {
  return { ...defaults, ...overrides };
}

/**
 * `effectiveControls` kept per overrides object, for the delivery path (one lookup per delivery
 * instead of a merged copy): a subscription's overrides are one frozen object until the
 * subscription cache reads them again, and then the old entry goes with the old object.
 */
export function makeControlsResolver(
  defaults: DeliveryControls,
): (overrides: ControlOverrides | undefined) => DeliveryControls {
  const byOverrides = new WeakMap<ControlOverrides, DeliveryControls>();
  const plain: DeliveryControls = Object.freeze({ ...defaults });
  return (overrides) => {
    if (overrides === undefined) {
      return plain;
    }
    let controls = byOverrides.get(overrides);
    if (controls === undefined) {
      controls = Object.freeze(effectiveControls(overrides, defaults));
      byOverrides.set(overrides, controls);
    }
    return controls;
  };
}
