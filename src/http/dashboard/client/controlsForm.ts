import type { SubscriptionControls } from './wire.js';

/** The controls a subscription can set, in the order the form shows them. */
export const CONTROL_FIELDS = [
  { name: 'max_in_flight', label: 'Max in flight', kind: 'number', hint: 'deliveries at once' },
  {
    name: 'rate_limit_per_second',
    label: 'Rate limit',
    kind: 'number',
    hint: 'deliveries per second, 0 = unlimited',
  },
  {
    name: 'standard_webhooks',
    label: 'Standard Webhooks headers',
    kind: 'boolean',
    hint: 'webhook-id, -timestamp, -signature',
  },
  {
    name: 'cloudevents_mode',
    label: 'CloudEvents mode',
    kind: ['structured', 'binary'],
    hint: 'binary: ce-* headers, raw data',
  },
  {
    name: 'retry_schedule',
    label: 'Retry schedule',
    kind: ['upstream', 'extended'],
    hint: 'extended: up to 24 h',
  },
  {
    name: 'auto_disable_after_s',
    label: 'Auto-disable after',
    kind: 'number',
    hint: 'seconds of failures, 0 = never',
  },
] as const satisfies ReadonlyArray<{
  name: keyof SubscriptionControls;
  label: string;
  kind: unknown;
  hint: string;
}>;

export type ControlName = (typeof CONTROL_FIELDS)[number]['name'];

/** What a field shows: the subscription's own value, or '' when it follows the global default. */
export function formValueOf(controls: SubscriptionControls, name: ControlName): string {
  return controls.overridden.includes(name) ? String(controls[name]) : '';
}

/**
 * The PUT body for what the form holds: '' returns a control to its default (null); anything else
 * is sent typed when it reads as its type and as typed otherwise, so the API's validation speaks.
 */
export function controlsBody(values: Readonly<Record<ControlName, string>>): {
  controls: Record<string, unknown>;
} {
  const controls: Record<string, unknown> = {};
  for (const field of CONTROL_FIELDS) {
    const raw = values[field.name].trim();
    if (raw === '') {
      controls[field.name] = null;
    } else if (field.kind === 'number') {
      controls[field.name] = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    } else if (field.kind === 'boolean') {
      controls[field.name] = raw === 'true' ? true : raw === 'false' ? false : raw;
    } else {
      controls[field.name] = raw;
    }
  }
  return { controls };
}
