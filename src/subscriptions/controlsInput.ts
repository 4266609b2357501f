import type { DeliveryControls } from '../config/index.js';
import { ApiError } from '../shared/index.js';

/** What PUT /V1/async_event/:id/controls changes: given controls only; `null` returns one to the default. */
export type ControlsChange = { [K in keyof DeliveryControls]?: DeliveryControls[K] | null };

type Problem = { message: string; parameters: Record<string, unknown> };
type Reader = (value: unknown, fieldName: string) => unknown;

const integerIn =
  (min: number, max: number): Reader =>
  (value, fieldName) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? value
      : problem('"%fieldName" must be a whole number from %min to %max.', { fieldName, min, max });

const FIELDS: Record<string, { control: keyof DeliveryControls; read: Reader }> = {
  max_in_flight: { control: 'maxInFlight', read: integerIn(1, 10_000) },
  rate_limit_per_second: {
    control: 'ratePerSecond',
    read: (value, fieldName) =>
      typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100_000
        ? Math.round(value * 1000) / 1000
        : problem(
            '"%fieldName" must be a number of deliveries per second from %min to %max (0 = unlimited).',
            {
              fieldName,
              min: 0,
              max: 100_000,
            },
          ),
  },
  standard_webhooks: {
    control: 'standardWebhooks',
    read: (value, fieldName) =>
      typeof value === 'boolean' ? value : problem('"%fieldName" must be true or false.', { fieldName }),
  },
  cloudevents_mode: { control: 'cloudEventsMode', read: oneOf(['structured', 'binary']) },
  retry_schedule: { control: 'retrySchedule', read: oneOf(['upstream', 'extended']) },
  auto_disable_after_s: { control: 'autoDisableAfterS', read: integerIn(0, 31_536_000) },
};

/** Fields of the answer that the API computes or the sidecar sets itself. */
const READ_ONLY = new Set([
  'subscription_id',
  'status',
  'overridden',
  'failing_since',
  'disabled_at',
  'disabled_reason',
  'circuit',
]);

// camelCase → snake_case; "cloudEventsMode" is the one name whose snake form is spelled as a single word.
const snake = (key: string) =>
  key
    .replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
    .replace(/^cloud_events_mode$/, 'cloudevents_mode');

/** Parses `{"controls": {...}}` (snake_case or camelCase keys), reporting every problem at once. */
export function parseControlsBody(body: unknown): ControlsChange {
  const inner =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).controls : undefined;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new ApiError('SC_ERR_INPUT', 'The request body must be a JSON object with a "%fieldName" object.', {
      parameters: { fieldName: 'controls' },
    });
  }
  const extra = Object.keys(body as Record<string, unknown>).filter((key) => key !== 'controls');
  const problems: Problem[] = extra.map((fieldName) => ({
    message: 'Unknown field "%fieldName"; the body holds only "controls".',
    parameters: { fieldName },
  }));
  const change: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner as Record<string, unknown>)) {
    const fieldName = snake(key);
    // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
    const field = Object.hasOwn(FIELDS, fieldName) ? FIELDS[fieldName] : undefined;
    if (field === undefined) {
      problems.push({
        message: READ_ONLY.has(fieldName)
          ? '"%fieldName" cannot be changed here.'
          : 'Unknown field "%fieldName" in controls; known: %known.',
        parameters: {
          fieldName,
          ...(READ_ONLY.has(fieldName) ? {} : { known: Object.keys(FIELDS).join(', ') }),
        },
      });
      continue;
    }
    const read = value === null ? null : field.read(value, fieldName);
    if (isProblem(read)) {
      problems.push(read);
    } else {
      change[field.control] = read;
    }
  }
  if (problems.length === 0 && Object.keys(change).length === 0) {
    problems.push({
      message: 'Give at least one control to change: %known.',
      parameters: { known: Object.keys(FIELDS).join(', ') },
    });
  }
  const [first] = problems;
  if (first !== undefined) {
    throw new ApiError('SC_ERR_INPUT', first.message, {
      parameters: first.parameters,
      errors: problems.length > 1 ? problems : [],
    });
  }
  return change;
}

/** The API name of a control. */
export function controlFieldName(control: keyof DeliveryControls): string {
  return Object.entries(FIELDS).find(([, field]) => field.control === control)?.[0] ?? control;
}

function oneOf(values: readonly string[]): Reader {
  return (value, fieldName) =>
    typeof value === 'string' && values.includes(value)
      ? value
      : problem('"%fieldName" must be one of %values.', { fieldName, values: values.join(', ') });
}

const PROBLEM = Symbol('problem');

function problem(message: string, parameters: Record<string, unknown>): Problem & { [PROBLEM]: true } {
  return { message, parameters, [PROBLEM]: true };
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && PROBLEM in value;
}
