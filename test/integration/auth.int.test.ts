import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeApiClient } from '../helpers/apiClient.js';
import {
  API_TOKEN,
  eventually,
  type Harness,
  MAGENTO_TOKEN,
  MODULE_ETC,
  startHarness,
} from '../helpers/harness.js';

const DELEGATED = 'delegated-manager-token-5e1d';
const CACHE_MS = 1500;
const FAILURES_PER_MINUTE = 4;
const UNAUTHORIZED = {
  message: "The consumer isn't authorized to access %resources.",
  parameters: { resources: 'MageOS_AsyncEvents::manage' },
};

/**
 * API authentication on the real stack: static API_TOKENS and tokens delegated to Magento (the
 * stand-in plays Magento's token check, and can stop accepting a token as an expiry or a
 * deactivated integration would), malformed Authorization headers, and the failed-auth limit.
 */
describe('API authentication', () => {
  let harness: Harness;
  let address = 0;
  /** A fresh client address per call (trusted X-Forwarded-For from loopback) keeps the limiter out. */
  const fresh = () => ({ 'x-forwarded-for': `198.51.100.${(address += 1) % 250}` });
  const as = (token: string | undefined) => makeApiClient(harness.sidecar.httpUrl, token);

  beforeAll(async () => {
    harness = await startHarness({
      env: {
        API_AUTH_MAGENTO: 'true',
        API_AUTH_CACHE_MS: String(CACHE_MS),
        API_AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
        // The thin module's webapi.xml: its resolve route is what the token check asks (mode B).
        ASYNC_EVENTS_PATHS: MODULE_ETC,
      },
      tokenResources: { [DELEGATED]: ['MageOS_AsyncEvents::manage'] },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('refuses missing, wrong and malformed credentials with a Magento-shaped 401', async () => {
    const headers: Array<string | undefined> = [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Bearer ${API_TOKEN}x`,
      `Bearer ${API_TOKEN.slice(0, -1)}`,
      `Bearer ${API_TOKEN.toUpperCase()}`,
      `Basic ${API_TOKEN}`,
      `Basic ${Buffer.from(`admin:${API_TOKEN}`).toString('base64')}`,
      `Token ${API_TOKEN}`,
      API_TOKEN,
      `Bearer ${API_TOKEN} ${API_TOKEN}`,
      `Bearer\t${API_TOKEN}x`,
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer %00',
      'Bearer null',
      'Bearer undefined',
      "Bearer ' OR '1'='1",
    ];
    for (const authorization of headers) {
      const answer = await as(undefined)('GET', '/V1/async_events', undefined, {
        ...fresh(),
        ...(authorization === undefined ? {} : { authorization }),
      });
      expect(answer, String(authorization).slice(0, 60)).toMatchObject({ status: 401, body: UNAUTHORIZED });
    }
    // Every route, every prefix.
    for (const [method, path] of [
      ['GET', '/V1/async_event/1'],
      ['PUT', '/rest/V1/async_event/1'],
      ['POST', '/rest/default/V1/async_event'],
      ['GET', '/V1/async_event/1/controls'],
      ['GET', '/V1/async_event_logs?q=*'],
      ['GET', '/V1/async_event_logs/abc'],
      ['POST', '/V1/async_event_logs/replay'],
      ['GET', '/V1/async_event_deadletters'],
      ['POST', '/V1/async_event_deadletters/redrive'],
      ['GET', '/V1/async_event_stats'],
    ] as const) {
      const answer = await as('wrong')(method, path, method === 'GET' ? undefined : {}, fresh());
      expect(answer, `${method} ${path}`).toMatchObject({ status: 401, body: UNAUTHORIZED });
    }
    // The right token, in the forms the header allows.
    for (const authorization of [`Bearer ${API_TOKEN}`, `bearer ${API_TOKEN}`, `Bearer   ${API_TOKEN}  `]) {
      const answer = await as(undefined)('GET', '/V1/async_events', undefined, { ...fresh(), authorization });
      expect(answer.status, authorization).toBe(200);
    }
  });

  it('stops accepting a delegated token once Magento does, after the cache window', async () => {
    const delegated = as(DELEGATED);
    expect((await delegated('GET', '/V1/async_events', undefined, fresh())).status).toBe(200);
    const revokedAt = Date.now();
    harness.standIn.revokeToken(DELEGATED);
    // Within API_AUTH_CACHE_MS the sidecar still trusts its cached answer (documented); after it, 401.
    const refused = await eventually(
      async () => {
        const answer = await delegated('GET', '/V1/async_events', undefined, fresh());
        return answer.status === 401 ? answer : undefined;
      },
      CACHE_MS + 5000,
      'the revoked token to be refused',
    );
    expect(refused.body).toMatchObject(UNAUTHORIZED);
    expect(Date.now() - revokedAt).toBeLessThan(CACHE_MS + 1000);
    // And it stays refused.
    expect((await delegated('GET', '/V1/async_events', undefined, fresh())).status).toBe(401);
    // The static token and Magento's own integration token are unaffected.
    expect((await as(API_TOKEN)('GET', '/V1/async_events', undefined, fresh())).status).toBe(200);
    expect((await as(MAGENTO_TOKEN)('GET', '/V1/async_events', undefined, fresh())).status).toBe(200);
  });

  it('answers 503, not 500 or a silent pass, when Magento cannot say whether a token is valid', async () => {
    harness.standIn.failNext(1, 500);
    const answer = await as('never-seen-before-token')('GET', '/V1/async_events', undefined, fresh());
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ message: expect.stringMatching(/Report ID/) as unknown });
    expect(answer.text).not.toContain('never-seen-before-token');
  });

  it('answers 429 with Retry-After after N failures from one address, for any token, per address', async () => {
    const from = { 'x-forwarded-for': '203.0.113.9' };
    for (let attempt = 0; attempt < FAILURES_PER_MINUTE; attempt += 1) {
      expect((await as(`guess-${attempt}`)('GET', '/V1/async_events', undefined, from)).status).toBe(401);
    }
    const limited = await as('guess-again')('GET', '/V1/async_events', undefined, from);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({
      message: 'Too many failed authentications; try again in %seconds seconds.',
      parameters: { seconds: retryAfter },
    });
    // While blocked, even the right token waits: a guesser cannot tell a hit from a miss.
    expect((await as(API_TOKEN)('GET', '/V1/async_events', undefined, from)).status).toBe(429);
    // Other addresses are not affected; successes never count as failures.
    for (let call = 0; call < FAILURES_PER_MINUTE + 2; call += 1) {
      expect(
        (await as(API_TOKEN)('GET', '/V1/async_events', undefined, { 'x-forwarded-for': '203.0.113.10' }))
          .status,
      ).toBe(200);
    }
    // Recovery after Retry-After is proven with a clock in src/security/apiAuth.test.ts (the window is a minute).
  });

  it('never writes the presented tokens to the logs', () => {
    const lines = harness.logs.lines.join('\n');
    for (const secret of [API_TOKEN, DELEGATED, MAGENTO_TOKEN, 'never-seen-before-token', 'guess-again']) {
      expect(lines).not.toContain(secret);
    }
  });
});
