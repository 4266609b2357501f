import { describe, expect, it } from 'vitest';

import { controlsBody, formValueOf } from './controlsForm.js';
import type { SubscriptionControls } from './wire.js';

const CONTROLS: SubscriptionControls = {
  subscription_id: 7,
  status: true,
  max_in_flight: 4,
  rate_limit_per_second: 0,
  standard_webhooks: false,
  cloudevents_mode: 'structured',
  retry_schedule: 'extended',
  auto_disable_after_s: 432000,
  overridden: ['max_in_flight', 'retry_schedule'],
  failing_since: null,
  disabled_at: null,
  disabled_reason: null,
  circuit: 'closed',
};

describe('controls form', () => {
  it('shows only the subscription’s own values; defaults stay blank', () => {
    expect(formValueOf(CONTROLS, 'max_in_flight')).toBe('4');
    expect(formValueOf(CONTROLS, 'retry_schedule')).toBe('extended');
    expect(formValueOf(CONTROLS, 'rate_limit_per_second')).toBe('');
  });

  it('sends blanks as null, numbers and booleans typed, and anything unreadable as typed for the API to judge', () => {
    expect(
      controlsBody({
        max_in_flight: ' 8 ',
        rate_limit_per_second: '2.5',
        standard_webhooks: 'true',
        cloudevents_mode: '',
        retry_schedule: 'upstream',
        auto_disable_after_s: 'soon',
      }),
    ).toEqual({
      controls: {
        max_in_flight: 8,
        rate_limit_per_second: 2.5,
        standard_webhooks: true,
        cloudevents_mode: null,
        retry_schedule: 'upstream',
        auto_disable_after_s: 'soon',
      },
    });
  });
});
