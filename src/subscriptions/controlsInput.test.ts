import { describe, expect, it } from 'vitest';

import { ApiError } from '../shared/index.js';
import { parseControlsBody } from './controlsInput.js';

function problemsOf(body: unknown): Array<{ message: string; parameters: Record<string, unknown> }> {
  try {
    parseControlsBody(body);
  } catch (error: unknown) {
    if (error instanceof ApiError) {
      return error.errors.length > 0
        ? (error.errors as Array<{ message: string; parameters: Record<string, unknown> }>)
        : [{ message: error.message, parameters: error.parameters as Record<string, unknown> }];
    }
    throw error;
  }
  return [];
}

describe('parseControlsBody', () => {
  it('reads snake_case and camelCase controls, and null as "back to the default"', () => {
    expect(
      parseControlsBody({
        controls: {
          max_in_flight: 4,
          rateLimitPerSecond: 0.25,
          standard_webhooks: true,
          cloudEventsMode: 'binary',
          retry_schedule: 'extended',
          auto_disable_after_s: null,
        },
      }),
    ).toEqual({
      maxInFlight: 4,
      ratePerSecond: 0.25,
      standardWebhooks: true,
      cloudEventsMode: 'binary',
      retrySchedule: 'extended',
      autoDisableAfterS: null,
    });
  });

  it('reports every problem at once, in Magento shape', () => {
    expect(
      problemsOf({
        controls: {
          max_in_flight: 1.5,
          rate_limit_per_second: -1,
          standard_webhooks: 'yes',
          retry_schedule: 'forever',
          auto_disable_after_s: 40_000_000,
          circuit: 'open',
          colour: 'blue',
        },
      }).map((problem) => problem.parameters.fieldName),
    ).toEqual([
      'max_in_flight',
      'rate_limit_per_second',
      'standard_webhooks',
      'retry_schedule',
      'auto_disable_after_s',
      'circuit',
      'colour',
    ]);
  });

  it('refuses a body without a controls object, extra top-level fields and an empty change', () => {
    expect(problemsOf(null)[0]?.parameters).toEqual({ fieldName: 'controls' });
    expect(problemsOf({ controls: [] })[0]?.parameters).toEqual({ fieldName: 'controls' });
    expect(problemsOf({ controls: { max_in_flight: 2 }, asyncEvent: {} })[0]?.parameters).toEqual({
      fieldName: 'asyncEvent',
    });
    expect(problemsOf({ controls: {} })[0]?.message).toMatch(/at least one control/);
  });

  it('treats names of Object.prototype members as unknown fields, not as controls', () => {
    const body = JSON.parse(
      '{"controls": {"constructor": {}, "__proto__": 1, "toString": "x", "hasOwnProperty": 2}}',
    ) as unknown;
    expect(problemsOf(body).map((problem) => problem.parameters.fieldName)).toEqual([
      'constructor',
      '__proto__',
      'to_string',
      'has_own_property',
    ]);
  });
});
