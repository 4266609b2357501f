import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { signMagento, verifyMagento } from './signing.js';

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
