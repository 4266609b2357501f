import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `x-magento-signature`: lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the
 * subscription's decrypted verification token (upstream HttpNotifier). Pure functions.
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
