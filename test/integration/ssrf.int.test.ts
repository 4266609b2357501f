import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startWebhookReceiver, type WebhookReceiver } from '../../fixtures/webhook-receiver/index.js';
import { makeApiClient } from '../helpers/apiClient.js';
import { API_TOKEN, eventually, type Harness, startHarness } from '../helpers/harness.js';

/**
 * Server-side request forgery: webhook destinations in private, loopback, link-local, CGNAT,
 * metadata and other special ranges, in every spelling, are refused when a subscription is
 * created (400, nothing written) and again when a delivery connects (one failed, non-retryable
 * attempt naming the rule; the internal server never sees a byte), redirects included.
 *
 * Only 127.0.0.2 is allowed (DESTINATION_ALLOW_CIDRS), so a receiver there stands for a public
 * host, and a second one on 127.0.0.3 for an internal service the attacker wants to reach.
 */
describe('SSRF protection', () => {
  let harness: Harness;
  let outside: WebhookReceiver;
  let internal: WebhookReceiver;
  let internalPort: string;
  const api = (...args: Parameters<ReturnType<typeof makeApiClient>>) =>
    makeApiClient(harness.sidecar.httpUrl, API_TOKEN)(...args);

  const subscriberCount = async (): Promise<number> => {
    const [[row]] = (await harness.db.pool.query(
      'SELECT COUNT(*) AS count FROM async_event_subscriber',
    )) as unknown as [[{ count: number }]];
    return Number(row.count);
  };

  const create = (recipientUrl: string) =>
    api('POST', '/V1/async_event', {
      asyncEvent: {
        event_name: 'sales.order.created',
        recipient_url: recipientUrl,
        verification_token: 'ssrf-secret',
        metadata: 'http',
      },
    });

  beforeAll(async () => {
    harness = await startHarness({ env: { DESTINATION_ALLOW_CIDRS: '127.0.0.2/32' } });
    outside = await startWebhookReceiver({ host: '127.0.0.2' });
    internal = await startWebhookReceiver({ host: '127.0.0.3' });
    internalPort = new URL(internal.url).port;
  });
  afterAll(async () => {
    await Promise.all([outside?.close(), internal?.close()]);
    await harness?.stop();
  });

  // Every one of these reaches 127.0.0.3 or another special address when connected to.
  const refusedAtCreation = (): Array<[string, RegExp]> => [
    [`http://127.0.0.3:${internalPort}/literal`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://2130706435:${internalPort}/decimal`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://0177.0.0.3:${internalPort}/octal`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://0x7f.3:${internalPort}/hex-short`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://0x7f000003:${internalPort}/hex`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://127.3:${internalPort}/short`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://127.0.0.3.:${internalPort}/trailing-dot`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://localhost:${internalPort}/dns`, /localhost resolves to .*loopback/],
    [`http://[::1]:${internalPort}/v6`, /::1\/128 \(loopback\)/],
    [`http://[::]:${internalPort}/unspecified`, /::\/128 \(unspecified\)/],
    [`http://[::ffff:127.0.0.3]:${internalPort}/mapped`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://[::ffff:7f00:3]:${internalPort}/mapped-hex`, /127\.0\.0\.0\/8 \(loopback\)/],
    [`http://[::127.0.0.3]:${internalPort}/compatible`, /IPv4-compatible/],
    [`http://[64:ff9b::127.0.0.3]:${internalPort}/nat64`, /NAT64/],
    [`http://[2002:7f00:3::]:${internalPort}/6to4`, /6to4/],
    ['http://169.254.169.254/latest/meta-data/iam/', /link-local \(cloud metadata\)/],
    ['http://[::ffff:169.254.169.254]/latest/meta-data/', /link-local \(cloud metadata\)/],
    ['http://[fd00:ec2::254]/latest/meta-data/', /AWS metadata/],
    ['http://100.100.100.200/latest/meta-data/', /carrier-grade NAT/],
    ['http://10.0.0.1/hook', /10\.0\.0\.0\/8 \(private\)/],
    ['http://172.16.5.4/hook', /172\.16\.0\.0\/12 \(private\)/],
    ['http://192.168.1.1/hook', /192\.168\.0\.0\/16 \(private\)/],
    ['http://0.0.0.0/hook', /"this network"/],
    ['http://0/hook', /"this network"/],
    ['http://[fe80::1]/hook', /fe80::\/10 \(link-local\)/],
    ['http://[fc00::1]/hook', /unique local/],
    ['http://224.0.0.1/hook', /multicast/],
  ];

  it('refuses every blocked target at creation with a 400 naming the rule, and writes nothing', async () => {
    const before = await subscriberCount();
    for (const [url, rule] of refusedAtCreation()) {
      const answer = await create(url);
      expect(answer.status, url).toBe(400);
      const body = answer.body as { message: string; parameters: { reason?: string } };
      expect(body.message, url).toBe('Destination refused: %reason');
      expect(body.parameters.reason, url).toMatch(rule);
    }
    // A zone id is not a URL the WHATWG parser accepts: refused as not an http(s) URL.
    const zone = await create(`http://[fe80::1%25eth0]:${internalPort}/zone`);
    expect(zone.status).toBe(400);
    expect(await subscriberCount()).toBe(before);
    // The same request to an allowed destination passes: the refusals above are about the target.
    expect((await create(`${outside.url}/allowed`)).status).toBe(200);
    expect(internal.count()).toBe(0);
  });

  it('refuses at delivery time too: names, literals and redirects, as one failed final attempt', async () => {
    outside.respond('/redirect-302', { status: 302, headers: { location: `${internal.url}/stolen` } });
    outside.respond('/redirect-307', { status: 307, headers: { location: `${internal.url}/stolen` } });
    const targets: Record<string, { url: string; reason: RegExp }> = {
      dns: { url: `http://localhost:${internalPort}/dns`, reason: /localhost blocked: .*loopback/ },
      literal: { url: `http://127.0.0.3:${internalPort}/literal`, reason: /127\.0\.0\.0\/8 \(loopback\)/ },
      decimal: { url: `http://2130706435:${internalPort}/decimal`, reason: /127\.0\.0\.0\/8 \(loopback\)/ },
      mapped: { url: `http://[::ffff:127.0.0.3]:${internalPort}/mapped`, reason: /127\.0\.0\.0\/8/ },
      redirect302: { url: `${outside.url}/redirect-302`, reason: /HTTP 302 redirect to .* not followed/ },
      redirect307: { url: `${outside.url}/redirect-307`, reason: /HTTP 307 redirect to .* not followed/ },
    };
    // The amqp sink's broker host is guarded the same way (the shared broker listens on 127.0.0.1).
    const broker = new URL(harness.vhost.url);
    const amqpTargets: Record<string, { url: string; reason: RegExp }> = {
      amqpName: {
        url: `amqp://guest:guest@localhost:${broker.port}${broker.pathname}?exchange=amq.topic`,
        reason: /localhost blocked: .*loopback/,
      },
      amqpLiteral: {
        url: `amqp://guest:guest@127.0.0.1:${broker.port}${broker.pathname}?exchange=amq.topic`,
        reason: /127\.0\.0\.0\/8 \(loopback\)/,
      },
    };
    // Created while allowed (as if the name resolved publicly then), then pointed inside, as DNS
    // rebinding or a row written by the upstream admin would do; a restart reloads them.
    const ids: Record<string, number> = {};
    for (const [name, target] of Object.entries(targets)) {
      const created = await create(`${outside.url}/placeholder-${name}`);
      expect(created.status).toBe(200);
      ids[name] = (created.body as { subscription_id: number }).subscription_id;
      await harness.db.pool.query(
        'UPDATE async_event_subscriber SET recipient_url = ? WHERE subscription_id = ?',
        [target.url, ids[name]],
      );
    }
    for (const [name, target] of Object.entries(amqpTargets)) {
      ids[name] = await harness.db.addSubscription({
        eventName: 'sales.order.created',
        recipientUrl: target.url,
        token: 'ssrf-secret',
        metadata: 'amqp',
      });
      targets[name] = target;
    }
    await harness.restartSidecar();
    harness.publish('sales.order.created', { id: '5' });

    const rowsOf = async () => {
      const [rows] = (await harness.db.pool.query(
        'SELECT subscription_id, success, response_data FROM async_event_subscriber_log',
      )) as unknown as [Array<{ subscription_id: number; success: number; response_data: string }>];
      return rows;
    };
    const wanted = Object.values(ids);
    await eventually(
      async () => {
        const rows = await rowsOf();
        return wanted.every((id) => rows.some((row) => row.subscription_id === id)) ? true : undefined;
      },
      15_000,
      'an attempt for every blocked subscription',
    );
    // Longer than the first retry's delay (event.retry.init, 1 s): a retryable outcome would show.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const rows = await rowsOf();
    for (const [name, target] of Object.entries(targets)) {
      const attempts = rows.filter((row) => row.subscription_id === ids[name]);
      expect(attempts, name).toHaveLength(1);
      expect(attempts[0]?.success, name).toBe(0);
      expect(attempts[0]?.response_data, name).toMatch(target.reason);
    }
    expect(internal.count()).toBe(0);
    expect(outside.count('/redirect-302')).toBe(1);
    expect(outside.count('/redirect-307')).toBe(1);
  });
});
