import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { coerceError, ERROR_CODES, isNonRetryableError, NonRetryableError, SidecarError } from './errors.js';

describe('ERROR_CODES', () => {
  it('holds unique SC_ERR_ codes, each with a description and status', () => {
    const codes = Object.keys(ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^SC_ERR_[A-Z_]+$/);
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.statusCode).toBeGreaterThanOrEqual(400);
    }
  });

  it('are all documented in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) {
      expect(readme, `README.md should document ${code}`).toContain(code);
    }
  });
});

describe('errors', () => {
  it('carry code, status, name and cause', () => {
    const cause = new Error('root');
    const error = new NonRetryableError('SC_ERR_DECRYPT', 'nope', { cause });
    expect(error).toBeInstanceOf(SidecarError);
    expect(error).toMatchObject({
      name: 'NonRetryableError',
      code: 'SC_ERR_DECRYPT',
      statusCode: 500,
      cause,
    });
    expect(isNonRetryableError(error)).toBe(true);
    expect(isNonRetryableError(new SidecarError('SC_ERR_CONFIG', 'x'))).toBe(false);
  });

  it('coerceError turns anything into an Error', () => {
    expect(coerceError('text').message).toBe('text');
    expect(coerceError({ message: 'obj' }).message).toBe('obj');
    expect(coerceError(42).message).toMatch(/Non-error thrown: 42/);
    const error = new Error('same');
    expect(coerceError(error)).toBe(error);
  });
});
