import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { NonRetryableError } from '../shared/index.js';

/**
 * Magento's encryption of config secrets such as `verification_token` (Encryptor, cipher version 3):
 * `K:3:base64(nonce12 ‖ ciphertext ‖ tag16)`, ChaCha20-Poly1305 IETF with the nonce as additional
 * data, key = the K-th whitespace-separated entry of env.php `crypt/key`. `3:…` (no key version)
 * means key 0. Older cipher versions (Blowfish, mcrypt Rijndael) are refused with a clear reason.
 */
const CIPHER_CHACHA20_POLY1305 = 3;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const ENCODED_KEY_PREFIX = 'base64';

/** The keys of env.php `crypt/key` in order; index = Magento key version. */
export type MagentoKeyring = readonly Buffer[];

/**
 * Parses env.php `crypt/key`: entries separated by whitespace; `base64…` entries are base64 of 32 raw
 * bytes (Magento >= 2.4.7), other entries are used as their ASCII bytes (the classic 32 characters).
 */
export function parseCryptKeys(raw: string): MagentoKeyring {
  const entries = raw
    .trim()
    .split(/\s+/)
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    throw new NonRetryableError('SC_ERR_CONFIG', 'MAGENTO_CRYPT_KEY holds no key.');
  }
  return entries.map((entry, version) => {
    const key = entry.startsWith(ENCODED_KEY_PREFIX)
      ? Buffer.from(entry.slice(ENCODED_KEY_PREFIX.length), 'base64')
      : Buffer.from(entry, 'latin1');
    if (key.length !== KEY_BYTES) {
      throw new NonRetryableError(
        'SC_ERR_CONFIG',
        `MAGENTO_CRYPT_KEY entry ${version} is ${key.length} bytes; Magento keys are 32 characters or "base64" + base64 of 32 bytes.`,
      );
    }
    return key;
  });
}

/** Decrypts a Magento-encrypted value; throws `SC_ERR_DECRYPT` (non-retryable) saying why it cannot. */
export function decryptMagentoValue(value: string, keys: MagentoKeyring): string {
  const parts = value.split(':');
  let keyVersion: number;
  let cipherVersion: number;
  let encoded: string;
  if (parts.length === 3) {
    keyVersion = Number(parts[0]);
    cipherVersion = Number(parts[1]);
    encoded = parts[2] ?? '';
  } else if (parts.length === 2) {
    keyVersion = 0;
    cipherVersion = Number(parts[0]);
    encoded = parts[1] ?? '';
  } else {
    throw decryptError(
      `the stored value is not in Magento's "key:cipher:data" format (it has ${parts.length} part${parts.length === 1 ? '' : 's'})`,
    );
  }
  if (!Number.isInteger(keyVersion) || !Number.isInteger(cipherVersion)) {
    throw decryptError("the stored value's key or cipher version is not a number");
  }
  if (cipherVersion !== CIPHER_CHACHA20_POLY1305) {
    throw decryptError(
      `cipher version ${cipherVersion} is not supported (only 3, ChaCha20-Poly1305); save the token again in Magento to re-encrypt it`,
    );
  }
  const key = keys[keyVersion];
  if (key === undefined) {
    throw decryptError(
      `it was encrypted with key ${keyVersion}, but MAGENTO_CRYPT_KEY holds ${keys.length} key(s)`,
    );
  }
  const sealed = Buffer.from(encoded, 'base64');
  if (sealed.length < NONCE_BYTES + TAG_BYTES) {
    throw decryptError('the stored value is too short to hold a nonce and a tag');
  }
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const ciphertext = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(nonce, { plaintextLength: ciphertext.length });
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()])
      .toString('utf8')
      .trim();
    if (plaintext === '') {
      throw decryptError('it decrypts to an empty string, and a signature needs a secret');
    }
    return plaintext;
  } catch (error: unknown) {
    if (error instanceof NonRetryableError) {
      throw error;
    }
    throw decryptError(
      `authentication failed with key ${keyVersion} (wrong MAGENTO_CRYPT_KEY, or the value was altered)`,
    );
  }
}

/** Encrypts like Magento does for new values: with the newest key (the last entry). */
export function encryptMagentoValue(
  plaintext: string,
  keys: MagentoKeyring,
  nonce: Buffer = randomBytes(NONCE_BYTES),
): string {
  const keyVersion = keys.length - 1;
  const key = keys[keyVersion];
  if (key === undefined) {
    throw new NonRetryableError('SC_ERR_CONFIG', 'MAGENTO_CRYPT_KEY holds no key.');
  }
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
  const data = Buffer.from(plaintext, 'utf8');
  cipher.setAAD(nonce, { plaintextLength: data.length });
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return `${keyVersion}:${CIPHER_CHACHA20_POLY1305}:${Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64')}`;
}

function decryptError(reason: string): NonRetryableError {
  return new NonRetryableError('SC_ERR_DECRYPT', `The verification token cannot be decrypted: ${reason}.`);
}
