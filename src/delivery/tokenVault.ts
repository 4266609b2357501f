import { decryptMagentoValue, type MagentoKeyring } from '../magento/index.js';
import { coerceError } from '../shared/index.js';

/**
 * Decrypts verification tokens once per stored value and keeps the result in memory, so signing
 * costs an HMAC and not a ChaCha20 open per delivery. A token that cannot be decrypted is remembered
 * as such (with the reason), never turned into an empty key.
 */
export interface TokenVault {
  secretFor(encrypted: string): { ok: true; secret: string } | { ok: false; reason: string };
}

// Far above the number of subscriptions of any store; only guards against unbounded growth.
const MAX_ENTRIES = 10_000;

export function makeTokenVault(keys: MagentoKeyring): TokenVault {
  const cache = new Map<string, { ok: true; secret: string } | { ok: false; reason: string }>();
  return {
    secretFor(encrypted) {
      const known = cache.get(encrypted);
      if (known !== undefined) {
        return known;
      }
      let result: { ok: true; secret: string } | { ok: false; reason: string };
      try {
        result = { ok: true, secret: decryptMagentoValue(encrypted, keys) };
      } catch (error: unknown) {
        result = { ok: false, reason: coerceError(error).message };
      }
      if (cache.size >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.set(encrypted, result);
      return result;
    },
  };
}
