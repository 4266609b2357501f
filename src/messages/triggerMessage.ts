import {
  describeJsonType,
  parseJson,
  parseJsonBody,
  type ParseResult,
  toNonNegativeInt,
} from './parseResult.js';

/**
 * The message Magento publishes to `event.trigger`: a JSON array `[eventName, argsJson, storeId?]`
 * written by PHP's json_encode. The store id is a JSON number (3.x), a string (4.0.x) or absent
 * (mageos-common-async-events publishes two elements); the arguments are a JSON-encoded string.
 */
export interface TriggerMessage {
  /** As published; lookups lower-case it like upstream's config reader does. */
  eventName: string;
  /** The service method's arguments, e.g. `{ "id": "5" }`. */
  arguments: Record<string, unknown>;
  /**
   * The same arguments as JSON text: the string as published (PHP's `[]` for none reads `{}`),
   * so the trigger record kept with every first delivery needs no JSON.stringify per event.
   */
  argumentsJson: string;
  storeId: number;
}

/** Far above any real trigger (an event name and a few ids); anything bigger is not one. */
export const MAX_TRIGGER_BYTES = 1_048_576;
/** store_id is a SMALLINT UNSIGNED in Magento. */
const MAX_STORE_ID = 65_535;

export function parseTriggerMessage(body: Buffer): ParseResult<TriggerMessage> {
  if (body.length > MAX_TRIGGER_BYTES) {
    return {
      ok: false,
      reason: `the message is ${body.length} bytes; a trigger is at most ${MAX_TRIGGER_BYTES}`,
    };
  }
  const parsed = parseJsonBody(body, 'the message body');
  if (!parsed.ok) {
    return parsed;
  }
  const message = parsed.value;
  if (!Array.isArray(message) || message.length < 2 || message.length > 3) {
    return {
      ok: false,
      reason: `expected a JSON array [eventName, argumentsJson, storeId?], got ${describeJsonType(message)}${Array.isArray(message) ? ` of ${message.length} element(s)` : ''}`,
    };
  }
  const [eventName, encodedArguments, rawStoreId] = message as [unknown, unknown, unknown];
  if (typeof eventName !== 'string' || eventName.trim() === '') {
    return {
      ok: false,
      reason: `the event name (element 0) must be a non-empty string, got ${describeJsonType(eventName)}`,
    };
  }
  const args = parseArguments(encodedArguments);
  if (!args.ok) {
    return args;
  }
  const storeId = parseStoreId(rawStoreId);
  if (storeId === undefined) {
    return {
      ok: false,
      reason: `the store id (element 2) must be a store id number or digits, got ${JSON.stringify(rawStoreId)}`,
    };
  }
  return {
    ok: true,
    value: { eventName, arguments: args.value.arguments, argumentsJson: args.value.json, storeId },
  };
}

function parseArguments(encoded: unknown): ParseResult<{ arguments: Record<string, unknown>; json: string }> {
  if (typeof encoded !== 'string') {
    return {
      ok: false,
      reason: `the arguments (element 1) must be a JSON-encoded string (PHP json_encode of the argument array), got ${describeJsonType(encoded)}`,
    };
  }
  const decoded = parseJson(encoded, 'the arguments string (element 1)');
  if (!decoded.ok) {
    return decoded;
  }
  const value = decoded.value;
  // PHP encodes an empty array as [] rather than {}.
  if (Array.isArray(value) && value.length === 0) {
    return { ok: true, value: { arguments: {}, json: '{}' } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      reason: `the arguments must encode an object of named arguments, got ${describeJsonType(value)}`,
    };
  }
  return { ok: true, value: { arguments: value as Record<string, unknown>, json: encoded } };
}

function parseStoreId(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) {
    return 0;
  }
  const storeId = toNonNegativeInt(raw);
  return storeId !== undefined && storeId <= MAX_STORE_ID ? storeId : undefined;
}
