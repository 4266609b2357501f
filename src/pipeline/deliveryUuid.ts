import { hash, randomUUID } from 'node:crypto';

/**
 * The namespace of delivery uuids derived from trigger messages (RFC 9562 §5.5, name-based v5).
 * Fixed for good: changing it would give a redelivered trigger another uuid than its first delivery.
 */
const DELIVERY_NAMESPACE = Buffer.from('6f1c5b52-3e0a-4c1e-9a57-2d4f8e0b7c31'.replaceAll('-', ''), 'hex');

/**
 * The uuid of the delivery of one trigger message to one subscription: the CloudEvent `id`, the
 * log rows' uuid and the receivers' idempotency key. Derived from the message id Magento gives
 * every trigger (32 hex characters, unique per publish), so a trigger the broker redelivers
 * after a crash or a lost connection is delivered again under the SAME uuid, and a receiver (or
 * an operator counting duplicates) can recognise the repetition. Without a message id nothing
 * tells two identical publishes from one redelivered one, so each delivery gets a random uuid.
 */
export function deliveryUuidOf(messageId: unknown, subscriptionId: number): string {
  if (typeof messageId !== 'string' || messageId === '') {
    return randomUUID();
  }
  // One-shot hash: a Hash object per delivery costs more than the digest itself on this hot path.
  const digest = hash(
    'sha1',
    Buffer.concat([DELIVERY_NAMESPACE, Buffer.from(`${messageId}\u0000${subscriptionId}`, 'utf8')]),
    'buffer',
  );
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
