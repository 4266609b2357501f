import { createHmac } from 'node:crypto';

import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';

import {
  signMagento,
  signStandardWebhook,
  standardWebhookHeaders,
  standardWebhooksKey,
  verifyMagento,
  verifyStandardWebhook,
} from './signing.js';

describe('signMagento', () => {
  it('is the lower-case hex HMAC-SHA256 of the exact bytes (fixed vector)', () => {
    // Vector: PHP hash_hmac('sha256', '{"data":{"id":1}}', 'supersecret').
    expect(signMagento('supersecret', Buffer.from('{"data":{"id":1}}'))).toBe(
      createHmac('sha256', 'supersecret').update('{"data":{"id":1}}').digest('hex'),
    );
    expect(signMagento('key', Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });
});

describe('verifyMagento', () => {
  const body = Buffer.from('{"a":1}');
  const signature = signMagento('s3cret', body);

  it('accepts the right signature in either case', () => {
    expect(verifyMagento('s3cret', body, signature)).toBe(true);
    expect(verifyMagento('s3cret', body, signature.toUpperCase())).toBe(true);
  });

  it('refuses a wrong secret, a changed body, a missing or malformed header', () => {
    expect(verifyMagento('other', body, signature)).toBe(false);
    expect(verifyMagento('s3cret', Buffer.from('{"a":2}'), signature)).toBe(false);
    expect(verifyMagento('s3cret', body, undefined)).toBe(false);
    expect(verifyMagento('s3cret', body, 'abc')).toBe(false);
  });
});

// The Standard Webhooks / Svix published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1_614_265_330,
  body: Buffer.from('{"test": 2432232314}'),
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('standardWebhooksKey', () => {
  it('decodes whsec_ secrets to raw bytes and uses any other token as UTF-8', () => {
    expect(standardWebhooksKey('whsec_AAEC').equals(Buffer.from([0, 1, 2]))).toBe(true);
    expect(standardWebhooksKey('plain-token').toString('utf8')).toBe('plain-token');
    expect(standardWebhooksKey('clé').equals(Buffer.from('clé', 'utf8'))).toBe(true);
    // Not base64 after the prefix: the whole token is the key.
    expect(standardWebhooksKey('whsec_not base64!').toString('utf8')).toBe('whsec_not base64!');
    expect(standardWebhooksKey('whsec_').toString('utf8')).toBe('whsec_');
  });
});

describe('signStandardWebhook', () => {
  it('matches the published fixed vector', () => {
    expect(signStandardWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('agrees with the reference implementation for whsec_ and plain tokens', () => {
    const body = Buffer.from('{"specversion":"1.0","data":{"name":"Zo\\u00eb"}}');
    const date = new Date(1_700_000_000_000);
    expect(signStandardWebhook(VECTOR.secret, 'u-1', 1_700_000_000, body)).toBe(
      new Webhook(VECTOR.secret).sign('u-1', date, body),
    );
    expect(signStandardWebhook('a-shared-secret', 'u-2', 1_700_000_000, body)).toBe(
      new Webhook('a-shared-secret', { format: 'raw' }).sign('u-2', date, body),
    );
  });
});

describe('verifyStandardWebhook', () => {
  const headers = standardWebhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body);
  const verify = (
    changed: Record<string, string | undefined>,
    nowS = VECTOR.timestamp,
    body = VECTOR.body,
    toleranceS?: number,
  ) =>
    verifyStandardWebhook(VECTOR.secret, { ...headers, ...changed }, body, {
      nowS,
      ...(toleranceS === undefined ? {} : { toleranceS }),
    });

  it('accepts the vector, also among several signatures', () => {
    expect(headers['webhook-signature']).toBe(VECTOR.signature);
    expect(verify({})).toEqual({ ok: true });
    expect(verify({ 'webhook-signature': `v2,xyz v1,bm90IGl0 ${VECTOR.signature}` })).toEqual({ ok: true });
  });

  it('enforces the tolerance window both ways (5 minutes by default)', () => {
    expect(verify({}, VECTOR.timestamp + 300)).toEqual({ ok: true });
    expect(verify({}, VECTOR.timestamp + 301)).toEqual({ ok: false, reason: 'too_old' });
    expect(verify({}, VECTOR.timestamp - 301)).toEqual({ ok: false, reason: 'too_new' });
    expect(verify({}, VECTOR.timestamp + 10, VECTOR.body, 5)).toEqual({ ok: false, reason: 'too_old' });
  });

  it('refuses missing headers, a bad timestamp and any change', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expect(verify({ [name]: undefined })).toEqual({ ok: false, reason: 'missing_header' });
    }
    expect(verify({ 'webhook-timestamp': '16e8' })).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(verify({ 'webhook-id': 'msg_other' })).toEqual({ ok: false, reason: 'no_match' });
    expect(verify({}, VECTOR.timestamp, Buffer.from('{"test": 1}'))).toEqual({
      ok: false,
      reason: 'no_match',
    });
    expect(verify({ 'webhook-signature': VECTOR.signature.replace('v1,', 'v2,') })).toEqual({
      ok: false,
      reason: 'no_match',
    });
  });
});
