import { hash, randomUUID } from 'node:crypto';

/**
 * The namespace of delivery uuids derived from trigger messages (RFC 9562 §5.5, name-based v5).
 * Fixed for good: changing it would give a redelivered trigger another uuid than its first delivery.
 */
const DELIVERY_NAMESPACE = Buffer.from('6f1c5b52-3e0a-4c1e-9a57-2d4f8e0b7c31'.replaceAll('-', ''), 'hex');

/**
 * The namespace followed by room for the name, reused by every call (the hash reads it before
 * returning, and nothing awaits in between): a Magento message id and a subscription id take ~45
 * bytes; a longer name takes the allocating path.
 */
const NAME_BUFFER = Buffer.alloc(DELIVERY_NAMESPACE.length + 256);
DELIVERY_NAMESPACE.copy(NAME_BUFFER);

/** Hex digits of the RFC 9562 variant (0b10xx) by the hex digit it replaces. */
const VARIANT_DIGITS = '89ab89ab89ab89ab';

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
  const name = `${messageId}\u0000${subscriptionId}`;
  const start = DELIVERY_NAMESPACE.length;
  // A UTF-16 unit takes at most 3 bytes of UTF-8, so a name that passes this check fits whole.
  const input =
    name.length * 3 <= NAME_BUFFER.length - start
      ? NAME_BUFFER.subarray(0, start + NAME_BUFFER.write(name, start))
      : Buffer.concat([DELIVERY_NAMESPACE, Buffer.from(name, 'utf8')]);
  // One-shot hash with a hex answer: a Hash object, or a digest Buffer made in native code, costs
  // more than the SHA-1 itself on this hot path (one call per delivery).
  const hex = hash('sha1', input, 'hex');
  // The first 16 bytes, with the version (5) in byte 6's high nibble and the variant in byte 8's.
  const variant = VARIANT_DIGITS[Number.parseInt(hex[16] ?? '0', 16)] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
