import { ApiError } from '../shared/index.js';

/** What POST /V1/async_event creates (validated further by the service: catalog, sinks, destination). */
export interface CreateSubscriptionInput {
  eventName: string;
  recipientUrl: string;
  verificationToken: string;
  metadata: string;
  storeId: number;
}

/** What PUT /V1/async_event/:id changes: the status always, the metadata when given. */
export interface UpdateSubscriptionInput {
  status: boolean;
  metadata: string | undefined;
}

type Problem = { message: string; parameters: Record<string, unknown> };

// The fields of upstream's AsyncEventInterface; anything else is refused rather than ignored.
const KNOWN_FIELDS = new Set([
  'subscription_id',
  'event_name',
  'recipient_url',
  'verification_token',
  'status',
  'subscribed_at',
  'modified',
  'metadata',
  'store_id',
]);

const snake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The `asyncEvent` object of the body with keys in snake_case (Magento accepts camelCase too). */
function asyncEventOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(
      'SC_ERR_INPUT',
      'The request body must be a JSON object with an "%fieldName" object.',
      {
        parameters: { fieldName: 'asyncEvent' },
      },
    );
  }
  const record = body as Record<string, unknown>;
  const unknownTop = Object.keys(record).filter((key) => key !== 'asyncEvent' && key !== 'async_event');
  const inner = record.asyncEvent ?? record.async_event;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new ApiError('SC_ERR_INPUT', '"%fieldName" is required. Enter and try again.', {
      parameters: { fieldName: 'asyncEvent' },
    });
  }
  if (unknownTop.length > 0) {
    throw new ApiError('SC_ERR_INPUT', 'Unknown field "%fieldName"; the body holds only "asyncEvent".', {
      parameters: { fieldName: unknownTop[0] },
    });
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner as Record<string, unknown>)) {
    fields[snake(key)] = value;
  }
  return fields;
}

function throwIfProblems(problems: Problem[]): void {
  const [first] = problems;
  if (first !== undefined) {
    throw new ApiError('SC_ERR_INPUT', first.message, {
      parameters: first.parameters,
      errors: problems.length > 1 ? problems : [],
    });
  }
}

function unknownFieldProblems(fields: Record<string, unknown>): Problem[] {
  return Object.keys(fields)
    .filter((key) => !KNOWN_FIELDS.has(key))
    .map((fieldName) => ({
      message: 'Unknown field "%fieldName" in asyncEvent.',
      parameters: { fieldName },
    }));
}

function requiredString(fields: Record<string, unknown>, name: string, problems: Problem[]): string {
  const value = fields[name];
  if (value === undefined || value === null || value === '') {
    problems.push({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: name },
    });
    return '';
  }
  if (typeof value !== 'string') {
    problems.push({ message: '"%fieldName" must be a string.', parameters: { fieldName: name } });
    return '';
  }
  return value.trim();
}

/** store_id as Magento's int cast accepts it from JSON: a whole number or a string of digits. */
function storeIdOf(value: unknown, problems: Problem[]): number {
  if (value === undefined || value === null) {
    return 0;
  }
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) {
    problems.push({
      message: '"%fieldName" must be a store id: a whole number from 0 to 65535.',
      parameters: { fieldName: 'store_id' },
    });
    return 0;
  }
  return Number(text);
}

/** Magento's boolean reading of JSON input: true/false, 1/0, "true"/"false", "1"/"0". */
function booleanOf(value: unknown): boolean | undefined {
  if (value === true || value === 1 || value === '1' || value === 'true') {
    return true;
  }
  if (value === false || value === 0 || value === '0' || value === 'false') {
    return false;
  }
  return undefined;
}

export function parseCreateBody(body: unknown): CreateSubscriptionInput {
  const fields = asyncEventOf(body);
  const problems = unknownFieldProblems(fields);
  if (fields.subscription_id !== undefined) {
    problems.push({
      message:
        '"%fieldName" cannot be set on creation; change a subscription with PUT /V1/async_event/:subscriptionId.',
      parameters: { fieldName: 'subscription_id' },
    });
  }
  const input: CreateSubscriptionInput = {
    eventName: requiredString(fields, 'event_name', problems),
    recipientUrl: requiredString(fields, 'recipient_url', problems),
    verificationToken: requiredString(fields, 'verification_token', problems),
    metadata: requiredString(fields, 'metadata', problems),
    storeId: storeIdOf(fields.store_id, problems),
  };
  throwIfProblems(problems);
  return input;
}

export function parseUpdateBody(body: unknown): UpdateSubscriptionInput {
  const fields = asyncEventOf(body);
  const problems = unknownFieldProblems(fields);
  const status = booleanOf(fields.status);
  if (fields.status === undefined || fields.status === null) {
    // **Deviation**: upstream's model default would silently disable the subscription.
    problems.push({ message: 'Status is required', parameters: { fieldName: 'status' } });
  } else if (status === undefined) {
    problems.push({ message: '"%fieldName" must be true or false.', parameters: { fieldName: 'status' } });
  }
  for (const readOnly of [
    'event_name',
    'recipient_url',
    'verification_token',
    'store_id',
    'subscribed_at',
  ] as const) {
    if (fields[readOnly] !== undefined) {
      problems.push({
        message: '"%fieldName" cannot be changed; create a new subscription instead.',
        parameters: { fieldName: readOnly },
      });
    }
  }
  const metadata = fields.metadata;
  if (
    metadata !== undefined &&
    metadata !== null &&
    (typeof metadata !== 'string' || metadata.trim() === '')
  ) {
    problems.push({
      message: '"%fieldName" must be a non-empty string.',
      parameters: { fieldName: 'metadata' },
    });
  }
  throwIfProblems(problems);
  return {
    status: status ?? false,
    metadata: typeof metadata === 'string' && metadata.trim() !== '' ? metadata.trim() : undefined,
  };
}

/** A path id: digits only (no traversal, no SQL, no scientific notation). */
export function parseSubscriptionId(raw: string): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 4_294_967_295) {
    throw new ApiError(
      'SC_ERR_INPUT',
      'The "%value" value\'s type is invalid. The "int" type was expected. Verify and try again.',
      {
        parameters: { value: raw.slice(0, 64) },
      },
    );
  }
  return Number(raw);
}
