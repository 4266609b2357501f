import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signatures of deliveries. Pure functions: no clock, no I/O (the caller passes `now`).
 *
 * - `x-magento-signature`: lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the
 *   subscription's decrypted verification token (upstream HttpNotifier). Always sent.
 * - Standard Webhooks (standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256>` over
 *   `${webhook-id}.${webhook-timestamp}.${body}`, switched on per subscription.
 */
export function signMagento(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time check of a received `x-magento-signature` against the body. */
export function verifyMagento(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (signature === undefined || !/^[0-9a-f]{64}$/i.test(signature)) {
    return false;
  }
  const expected = Buffer.from(signMagento(secret, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

const WHSEC_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The HMAC key of a Standard Webhooks signature, from a verification token:
 * - a token of the spec's form `whsec_<base64>` is that base64 decoded to raw bytes (what the
 *   reference libraries do with such a secret);
 * - any other token is used as its UTF-8 bytes (receivers pass it to the reference libraries as a
 *   raw key, e.g. `new Webhook(bytes, { format: 'raw' })`).
 */
export function standardWebhooksKey(secret: string): Buffer {
  if (secret.startsWith(WHSEC_PREFIX)) {
    const encoded = secret.slice(WHSEC_PREFIX.length);
    if (encoded !== '' && BASE64.test(encoded)) {
      return Buffer.from(encoded, 'base64');
    }
  }
  return Buffer.from(secret, 'utf8');
}

/** `v1,<base64>`: the signature of one message id, timestamp (unix seconds) and body. */
export function signStandardWebhook(secret: string, id: string, timestamp: number, body: Buffer): string {
  const mac = createHmac('sha256', standardWebhooksKey(secret))
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(body)
    .digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of one delivery. */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  timestamp: number,
  body: Buffer,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signStandardWebhook(secret, id, timestamp, body),
  };
}

export type StandardWebhookVerification =
  | { ok: true }
  | { ok: false; reason: 'missing_header' | 'bad_timestamp' | 'too_old' | 'too_new' | 'no_match' };

export interface VerifyStandardWebhookOptions {
  /** Current unix time, in seconds. */
  nowS: number;
  /** Accepted clock difference either way, in seconds. @default 300 (the spec's 5 minutes) */
  toleranceS?: number;
}

/**
 * Checks a delivery as a receiver would: all three headers present, the timestamp within the
 * tolerance window (replay protection), and any of the space-separated `v1,` signatures matching,
 * compared in constant time.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: Buffer,
  options: VerifyStandardWebhookOptions,
): StandardWebhookVerification {
  const id = single(headers['webhook-id']);
  const timestampText = single(headers['webhook-timestamp']);
  const signatures = single(headers['webhook-signature']);
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    return { ok: false, reason: 'missing_header' };
  }
  if (!/^\d{1,15}$/.test(timestampText)) {
    return { ok: false, reason: 'bad_timestamp' };
  }
  const timestamp = Number(timestampText);
  const tolerance = options.toleranceS ?? 300;
  if (options.nowS - timestamp > tolerance) {
    return { ok: false, reason: 'too_old' };
  }
  if (timestamp - options.nowS > tolerance) {
    return { ok: false, reason: 'too_new' };
  }
  const expected = Buffer.from(signStandardWebhook(secret, id, timestamp, body).slice(3), 'base64');
  for (const versioned of signatures.split(' ')) {
    const [version, signature = ''] = versioned.split(',', 2);
    const given = Buffer.from(signature, 'base64');
    if (version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)) {
      return { ok: true };
    }
  }
  return { ok: false, reason: 'no_match' };
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}
