import { encodeDeliveryBody } from './deliveryBody.js';

/**
 * A delivery body read back as a CloudEvent, for the sinks that do not send the body as is:
 * CloudEvents binary mode (attributes in `ce-*` headers, `data` as the body) and the sinks that
 * always carry a structured CloudEvent (amqp, sqs, eventbridge). Immutable once built.
 */
export interface CloudEventParts {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly datacontenttype: string;
  /** The exact bytes of `data` (for our own bodies: Magento's REST answer as received). */
  readonly data: Buffer;
  /** The structured CloudEvent bytes: the body itself when it is one, else built in upstream's layout. */
  readonly structured: Buffer;
}

/** Attributes to use when the body does not carry them (a 3.x `{"data": …}` body). */
export interface CloudEventFallback {
  id: string;
  type: string;
  source: string;
}

const JSON_STRING = '"((?:[^"\\\\]|\\\\.)*)"';
// Upstream's (and our) layout: attributes in a fixed order, then `data`, then the closing brace.
const UPSTREAM_LAYOUT = new RegExp(
  `^\\{"specversion":"1\\.0","id":${JSON_STRING},"source":${JSON_STRING},"type":${JSON_STRING},"datacontenttype":${JSON_STRING},"data":`,
);
const LEGACY_PREFIX = '{"data":';
const HEAD_BYTES = 2048;

/**
 * Reads a body without parsing `data`: our bodies (and upstream's) have a fixed layout, so `data`
 * is the byte range between `"data":` and the final brace and keeps its exact bytes (and thus its
 * PHP escaping). A body laid out differently is parsed as JSON; its `data` is then re-encoded.
 * Throws a `SyntaxError` for a body that is not JSON at all.
 */
export function readCloudEvent(body: Buffer, fallback: CloudEventFallback): CloudEventParts {
  const head = body.subarray(0, HEAD_BYTES).toString('utf8');
  const closes = body.length > 0 && body[body.length - 1] === 0x7d;
  const upstream = UPSTREAM_LAYOUT.exec(head);
  if (upstream !== null && closes) {
    const [prefix, id = '', source = '', type = '', contentType = ''] = upstream;
    return Object.freeze({
      id: unescapeJson(id),
      source: unescapeJson(source),
      type: unescapeJson(type),
      datacontenttype: unescapeJson(contentType),
      data: body.subarray(Buffer.byteLength(prefix, 'utf8'), body.length - 1),
      structured: body,
    });
  }
  if (head.startsWith(LEGACY_PREFIX) && closes) {
    return fromData(body.subarray(LEGACY_PREFIX.length, body.length - 1), fallback);
  }
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const data = Buffer.from(JSON.stringify(record.data ?? null), 'utf8');
  if (typeof record.specversion !== 'string') {
    return fromData(data, fallback);
  }
  return Object.freeze({
    id: textOr(record.id, fallback.id),
    source: textOr(record.source, fallback.source),
    type: textOr(record.type, fallback.type),
    datacontenttype: textOr(record.datacontenttype, 'application/json'),
    data,
    structured: body,
  });
}

function fromData(data: Buffer, fallback: CloudEventFallback): CloudEventParts {
  return Object.freeze({
    ...fallback,
    datacontenttype: 'application/json',
    data,
    structured: encodeDeliveryBody({
      format: 'cloudevents',
      uuid: fallback.id,
      storeId: fallback.source,
      eventName: fallback.type,
      payload: data,
    }),
  });
}

function unescapeJson(raw: string): string {
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

function textOr(value: unknown, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}
