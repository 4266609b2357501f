import { createHash, randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { deliveryUuidOf } from './deliveryUuid.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deliveryUuidOf', () => {
  const messageId = '0123456789abcdef0123456789abcdef';

  it('gives a redelivered trigger the same uuid per subscription', () => {
    expect(deliveryUuidOf(messageId, 7)).toBe(deliveryUuidOf(messageId, 7));
    expect(deliveryUuidOf(messageId, 7)).toMatch(UUID_V5);
  });

  it('differs between subscriptions and between messages', () => {
    const uuids = new Set([
      deliveryUuidOf(messageId, 7),
      deliveryUuidOf(messageId, 8),
      deliveryUuidOf('ffffffffffffffffffffffffffffffff', 7),
    ]);
    expect(uuids.size).toBe(3);
  });

  it('is a standard v5 uuid, stable across releases (vector checked with the uuid package)', () => {
    // uuid.v5(`${messageId}\u0000${subscriptionId}`, '6f1c5b52-3e0a-4c1e-9a57-2d4f8e0b7c31')
    expect(deliveryUuidOf(messageId, 1)).toBe('e9979785-9f6c-5058-b06e-fe42f3a52fa5');
  });

  it('is the RFC 9562 v5 construction for any id: short, long, non-ASCII', () => {
    const namespace = Buffer.from('6f1c5b523e0a4c1e9a572d4f8e0b7c31', 'hex');
    const reference = (name: string): string => {
      const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
      const hex = bytes.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    const ids = [messageId, 'x', 'é€😀'.repeat(40), 'a'.repeat(85), 'a'.repeat(86), 'b'.repeat(5000)];
    for (let n = 0; n < 200; n += 1) {
      ids.push(randomBytes(16).toString('hex'));
    }
    for (const id of ids) {
      for (const subscriptionId of [1, 42, 2_147_483_647]) {
        expect(deliveryUuidOf(id, subscriptionId)).toBe(reference(`${id}\u0000${subscriptionId}`));
      }
    }
  });

  it('falls back to a random uuid without a message id', () => {
    expect(deliveryUuidOf(undefined, 7)).toMatch(UUID_V4);
    expect(deliveryUuidOf('', 7)).not.toBe(deliveryUuidOf('', 7));
  });
});
