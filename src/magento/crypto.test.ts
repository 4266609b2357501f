import { describe, expect, it } from 'vitest';

import { decryptMagentoValue, encryptMagentoValue, parseCryptKeys } from './crypto.js';

// Vectors from design.md §6 (nonce 000102…0b, plaintext "supersecret"), computed with PHP sodium.
const NONCE = Buffer.from('000102030405060708090a0b', 'hex');
const LEGACY_KEY = '0123456789abcdef0123456789abcdef';
const LEGACY_VECTOR = '0:3:AAECAwQFBgcICQoLi0okXRUwmsjld40fcpolRmXY9WzgLS0Q6Uln';
const ENCODED_KEY = 'base64ERERERERERERERERERERERERERERERERERERERERERE=';
const ENCODED_VECTOR = '0:3:AAECAwQFBgcICQoLOb2CPOPvLmdUC6PdHlMJn/vw5KjsMVj5lMkv';

describe('decryptMagentoValue', () => {
  it('decrypts the vector of a 32-character legacy key', () => {
    expect(decryptMagentoValue(LEGACY_VECTOR, parseCryptKeys(LEGACY_KEY))).toBe('supersecret');
  });

  it('decrypts the vector of a base64-prefixed key', () => {
    expect(decryptMagentoValue(ENCODED_VECTOR, parseCryptKeys(ENCODED_KEY))).toBe('supersecret');
  });

  it('picks the key by its version among several keys', () => {
    const keys = parseCryptKeys(`${ENCODED_KEY}\n  ${LEGACY_KEY}`);
    const reKeyed = `1${LEGACY_VECTOR.slice(1)}`;
    expect(decryptMagentoValue(reKeyed, keys)).toBe('supersecret');
  });

  it('treats "3:data" as key 0', () => {
    expect(decryptMagentoValue(LEGACY_VECTOR.slice(2), parseCryptKeys(LEGACY_KEY))).toBe('supersecret');
  });

  it('refuses a wrong key instead of returning an empty secret', () => {
    expect(() => decryptMagentoValue(LEGACY_VECTOR, parseCryptKeys(ENCODED_KEY))).toThrow(
      /authentication failed with key 0/,
    );
  });

  it('refuses a missing key version', () => {
    expect(() => decryptMagentoValue(`4${LEGACY_VECTOR.slice(1)}`, parseCryptKeys(LEGACY_KEY))).toThrow(
      /encrypted with key 4, but MAGENTO_CRYPT_KEY holds 1 key/,
    );
  });

  it('refuses old cipher versions and malformed values with a reason', () => {
    const keys = parseCryptKeys(LEGACY_KEY);
    expect(() => decryptMagentoValue('0:2:abc', keys)).toThrow(/cipher version 2 is not supported/);
    expect(() => decryptMagentoValue('plaintext-token', keys)).toThrow(
      /not in Magento's "key:cipher:data" format/,
    );
    expect(() => decryptMagentoValue('0:3:AAEC', keys)).toThrow(/too short/);
    expect(() => decryptMagentoValue('x:3:AAEC', keys)).toThrow(/not a number/);
  });

  it('marks failures as non-retryable with code SC_ERR_DECRYPT', () => {
    try {
      decryptMagentoValue('0:3:AAEC', parseCryptKeys(LEGACY_KEY));
    } catch (error) {
      expect(error).toMatchObject({ name: 'NonRetryableError', code: 'SC_ERR_DECRYPT' });
      return;
    }
    throw new Error('expected a failure');
  });
});

describe('encryptMagentoValue', () => {
  it('reproduces the PHP vector with the same nonce', () => {
    expect(encryptMagentoValue('supersecret', parseCryptKeys(LEGACY_KEY), NONCE)).toBe(LEGACY_VECTOR);
    expect(encryptMagentoValue('supersecret', parseCryptKeys(ENCODED_KEY), NONCE)).toBe(ENCODED_VECTOR);
  });

  it('uses the newest key and round-trips', () => {
    const keys = parseCryptKeys(`${LEGACY_KEY} ${ENCODED_KEY}`);
    const sealed = encryptMagentoValue('tøken/with:colons', keys);
    expect(sealed.startsWith('1:3:')).toBe(true);
    expect(decryptMagentoValue(sealed, keys)).toBe('tøken/with:colons');
  });
});

describe('parseCryptKeys', () => {
  it('rejects keys of the wrong length and an empty value', () => {
    expect(() => parseCryptKeys('short')).toThrow(/entry 0 is 5 bytes/);
    expect(() => parseCryptKeys('   ')).toThrow(/holds no key/);
  });
});
