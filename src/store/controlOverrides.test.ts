import { describe, expect, it } from 'vitest';

import type { DeliveryControls } from '../config/index.js';
import { effectiveControls, makeControlsResolver } from './controlOverrides.js';

const DEFAULTS: DeliveryControls = {
  maxInFlight: 16,
  ratePerSecond: 0,
  standardWebhooks: false,
  cloudEventsMode: 'structured',
  retrySchedule: 'upstream',
  autoDisableAfterS: 0,
};

describe('makeControlsResolver', () => {
  it('gives what effectiveControls gives: the overrides over the defaults', () => {
    const controlsOf = makeControlsResolver(DEFAULTS);
    const overrides = Object.freeze({ maxInFlight: 2, standardWebhooks: true });
    expect(controlsOf(overrides)).toEqual(effectiveControls(overrides, DEFAULTS));
    expect(controlsOf(overrides)).toEqual({ ...DEFAULTS, maxInFlight: 2, standardWebhooks: true });
    expect(controlsOf(undefined)).toEqual(DEFAULTS);
  });

  it('keeps one merged object per overrides object, and a new one for new overrides', () => {
    const controlsOf = makeControlsResolver(DEFAULTS);
    const first = Object.freeze({ ratePerSecond: 5 });
    expect(controlsOf(first)).toBe(controlsOf(first));
    const reloaded = Object.freeze({ ratePerSecond: 7 });
    expect(controlsOf(reloaded)).not.toBe(controlsOf(first));
    expect(controlsOf(reloaded).ratePerSecond).toBe(7);
  });

  it('hands out frozen controls, so no caller can change another delivery’s', () => {
    const controlsOf = makeControlsResolver(DEFAULTS);
    expect(Object.isFrozen(controlsOf(undefined))).toBe(true);
    expect(Object.isFrozen(controlsOf(Object.freeze({ maxInFlight: 1 })))).toBe(true);
  });
});
