import { describe, expect, it } from 'vitest';

import { type MagentoTokenChecker, makeApiAuthenticator } from './apiAuth.js';
import { makeFailureLimiter } from './failureLimiter.js';

describe('makeApiAuthenticator', () => {
  it('accepts the configured bearer tokens and nothing else', async () => {
    const auth = makeApiAuthenticator({
      tokens: ['alpha-token', 'beta-token'],
      cacheMs: 1000,
      insecureNoAuth: false,
    });
    expect(await auth.authenticate('Bearer alpha-token')).toEqual({ kind: 'static' });
    expect(await auth.authenticate('bearer beta-token')).toEqual({ kind: 'static' });
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer alpha',
      'Basic alpha-token',
      'Bearer alpha-token extra',
      'alpha-token',
    ]) {
      expect(await auth.authenticate(header), String(header)).toBeUndefined();
    }
  });

  it('asks Magento for other tokens and caches the answer by digest', async () => {
    const asked: string[] = [];
    const magento: MagentoTokenChecker = {
      allowsManage: (token) => {
        asked.push(token);
        return Promise.resolve(token === 'magento-ok');
      },
      allowsResource: (_token, resource) => Promise.resolve(resource === 'Magento_Sales::actions_view'),
    };
    const auth = makeApiAuthenticator({ tokens: [], magento, cacheMs: 60_000, insecureNoAuth: false });
    const principal = await auth.authenticate('Bearer magento-ok');
    expect(principal).toEqual({ kind: 'magento', token: 'magento-ok' });
    await auth.authenticate('Bearer magento-ok');
    expect(await auth.authenticate('Bearer nope')).toBeUndefined();
    expect(asked).toEqual(['magento-ok', 'nope']);
    expect(await auth.mayAccess(principal ?? { kind: 'static' }, ['Magento_Sales::actions_view'])).toEqual({
      ok: true,
    });
    expect(await auth.mayAccess(principal ?? { kind: 'static' }, ['Magento_Sales::sales'])).toEqual({
      ok: false,
      resource: 'Magento_Sales::sales',
    });
    expect(await auth.mayAccess({ kind: 'static' }, ['Magento_Sales::sales'])).toEqual({ ok: true });
  });

  it('lets everything through only when explicitly insecure', async () => {
    const auth = makeApiAuthenticator({ tokens: [], cacheMs: 0, insecureNoAuth: true });
    expect(await auth.authenticate(undefined)).toEqual({ kind: 'insecure' });
  });
});

describe('makeFailureLimiter', () => {
  it('blocks an address after the limit within a minute, and forgets after the window', () => {
    const limiter = makeFailureLimiter({ perMinute: 3 });
    const start = 1_000_000;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(limiter.blockedFor('a', start + attempt)).toBeUndefined();
      limiter.recordFailure('a', start + attempt);
    }
    expect(limiter.blockedFor('a', start + 10)).toBe(60);
    expect(limiter.blockedFor('b', start + 10)).toBeUndefined();
    expect(limiter.blockedFor('a', start + 60_001)).toBeUndefined();
  });

  it('lets the address in again exactly when Retry-After says', () => {
    const limiter = makeFailureLimiter({ perMinute: 2 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 20_000);
    const wait = limiter.blockedFor('a', 30_000);
    expect(wait).toBe(30); // the older failure leaves the minute at 60 s
    expect(limiter.blockedFor('a', 30_000 + (wait ?? 0) * 1000 - 1)).toBeGreaterThan(0);
    expect(limiter.blockedFor('a', 30_000 + (wait ?? 0) * 1000)).toBeUndefined();
  });

  it('keeps at most maxClients addresses', () => {
    const limiter = makeFailureLimiter({ perMinute: 1, maxClients: 2 });
    limiter.recordFailure('a', 1);
    limiter.recordFailure('b', 2);
    limiter.recordFailure('c', 3);
    expect(limiter.blockedFor('a', 4)).toBeUndefined();
    expect(limiter.blockedFor('c', 4)).toBeGreaterThan(0);
  });
});
