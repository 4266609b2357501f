import type * as NodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { makeApiAuthenticator } from './apiAuth.js';

// Watch every constant-time comparison the authenticator makes, still doing the real one.
const comparisons = vi.hoisted(() => [] as Array<[Buffer, Buffer]>);
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  return {
    ...actual,
    timingSafeEqual: (left: NodeJS.ArrayBufferView, right: NodeJS.ArrayBufferView) => {
      comparisons.push([Buffer.from(left as Uint8Array), Buffer.from(right as Uint8Array)]);
      return actual.timingSafeEqual(left, right);
    },
  };
});

const TOKENS = ['first-configured-token', 'second', 'a-third-and-much-longer-configured-token-value'];
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Constant time by construction, not by measurement (timings on a shared machine prove nothing):
 * whatever is presented, the authenticator hashes it and compares the fixed-length digest with
 * every configured token's digest through crypto.timingSafeEqual, with no early exit. So the
 * work does not depend on which token matched, where the first differing byte is, or either length.
 */
describe('makeApiAuthenticator comparison', () => {
  const auth = makeApiAuthenticator({ tokens: TOKENS, cacheMs: 0, insecureNoAuth: false });
  beforeEach(() => {
    comparisons.length = 0;
  });

  it.each([
    ['the first token', TOKENS[0] ?? '', true],
    ['the last token', TOKENS[2] ?? '', true],
    ['a wrong token differing in the last byte', `${TOKENS[0]?.slice(0, -1)}X`, false],
    ['a one-byte token', 'x', false],
    ['a 10 kB token', 'y'.repeat(10_000), false],
  ])('compares %s against every configured digest', async (_label, presented, accepted) => {
    const principal = await auth.authenticate(`Bearer ${presented}`);
    expect(principal !== undefined).toBe(accepted);
    expect(comparisons).toHaveLength(TOKENS.length);
    expect(comparisons.map(([configured]) => configured)).toEqual(TOKENS.map(sha256));
    for (const [configured, compared] of comparisons) {
      expect(configured).toHaveLength(32);
      expect(compared).toEqual(sha256(presented));
    }
  });

  it('makes no comparison at all for a header that is not a bearer token', async () => {
    expect(await auth.authenticate('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(comparisons).toHaveLength(0);
  });
});
