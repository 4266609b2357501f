import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

import { createPool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser } from '../helpers/browser.js';
import { cli } from '../helpers/cli.js';
import { API_TOKEN, eventually, type Harness, MAGENTO_TOKEN, startHarness } from '../helpers/harness.js';
import { TEST_CRYPT_KEY } from '../helpers/testDatabase.js';

const run = promisify(execFile);

/**
 * A full run with known secrets, then every output grepped for every one of them: the sidecar's
 * log at debug level, every API answer (successes, validation errors, auth failures, 429), the
 * dashboard's files and the JSON it reads (and the page as Chromium renders it), /metrics,
 * /readyz, /healthz, the CLI's output (also when its credentials are wrong), and the delivery log
 * rows. Secrets: API tokens, the Magento token, the crypt key, the AMQP and MySQL passwords of
 * dedicated users, subscription verification tokens (plain and as stored encrypted), and the
 * signatures computed for delivered events; each also base64- and URL-encoded.
 */

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const SECOND_API_TOKEN = `secrets-api-token-${hex(8)}`;
const AMQP_USER = `sidecar_secrets_${hex(4)}`;
const AMQP_PASSWORD = `amqp-pw-${hex(8)}`;
const MYSQL_USER = `secrets_${hex(4)}`;
const MYSQL_PASSWORD = `mysql-pw-${hex(8)}`;
const WRONG_PASSWORD = `wrong-pw-${hex(8)}`;
const VERIFICATION_TOKENS = {
  ok: `vt-ok-${hex(8)}`,
  flaky: `vt-flaky-${hex(8)}`,
  refused: `vt-refused-${hex(8)}`,
};

/** The forms a leaked secret would plausibly take in an output. */
function formsOf(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      base64,
      base64.replace(/=+$/, ''),
      Buffer.from(secret).toString('base64url'),
    ]),
  ];
}

/** Named outputs collected during the run, checked at the end. */
const outputs = new Map<string, string>();
const record = (name: string, text: string) => {
  outputs.set(`${name} #${outputs.size}`, text);
};

describe('secrets never leave', () => {
  let harness: Harness;
  const secrets = new Map<string, string>();

  const api = async (
    method: string,
    path: string,
    options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
  ) => {
    const token = options.token === undefined ? SECOND_API_TOKEN : options.token;
    const response = await fetch(`${harness.sidecar.httpUrl}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    record(`API ${method} ${path} → ${response.status}`, `${JSON.stringify([...response.headers])}\n${text}`);
    return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };

  beforeAll(async () => {
    harness = await startHarness({
      logLevel: 'debug',
      env: {
        API_TOKENS: `${API_TOKEN},${SECOND_API_TOKEN}`,
        API_AUTH_FAILURES_PER_MINUTE: '3',
        SUBSCRIPTION_STANDARD_WEBHOOKS: 'true',
      },
    });
    // Dedicated users with passwords, so the connection URLs carry secrets worth leaking.
    await run('rabbitmqctl', ['--quiet', 'add_user', AMQP_USER, AMQP_PASSWORD]);
    await run('rabbitmqctl', [
      '--quiet',
      'set_permissions',
      '-p',
      harness.vhost.name,
      AMQP_USER,
      '.*',
      '.*',
      '.*',
    ]);
    await harness.db.pool.query(`CREATE USER '${MYSQL_USER}'@'%' IDENTIFIED BY '${MYSQL_PASSWORD}'`);
    await harness.db.pool.query(`GRANT ALL PRIVILEGES ON \`${harness.db.name}\`.* TO '${MYSQL_USER}'@'%'`);
    const amqpUrl = new URL(harness.vhost.url);
    amqpUrl.username = AMQP_USER;
    amqpUrl.password = AMQP_PASSWORD;
    const mysqlUrl = new URL(harness.db.url);
    mysqlUrl.username = MYSQL_USER;
    mysqlUrl.password = MYSQL_PASSWORD;
    harness.env.AMQP_URL = amqpUrl.href;
    harness.env.MYSQL_URL = mysqlUrl.href;
    await harness.restartSidecar({ AMQP_URL: amqpUrl.href, MYSQL_URL: mysqlUrl.href });

    for (const [name, value] of Object.entries({
      'API token': API_TOKEN,
      'second API token': SECOND_API_TOKEN,
      'Magento token': MAGENTO_TOKEN,
      'crypt key': TEST_CRYPT_KEY,
      'crypt key material': TEST_CRYPT_KEY.slice('base64'.length),
      'AMQP password': AMQP_PASSWORD,
      'MySQL password': MYSQL_PASSWORD,
      'wrong password': WRONG_PASSWORD,
      ...Object.fromEntries(
        Object.entries(VERIFICATION_TOKENS).map(([key, token]) => [`token ${key}`, token]),
      ),
    })) {
      secrets.set(name, value);
    }
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await run('rabbitmqctl', ['--quiet', 'delete_user', AMQP_USER]).catch(() => undefined);
    const admin = createPool({ uri: 'mysql://root@127.0.0.1:3306/', connectionLimit: 1 });
    // The test database's pool is closed by now; the user outlives the database unless dropped.
    await admin.query(`DROP USER IF EXISTS '${MYSQL_USER}'@'%'`).catch(() => undefined);
    await admin.end();
  });

  it('runs deliveries with successes, retries and final failures', async () => {
    const { receiver } = harness;
    // The first attempt of every event fails, its retry succeeds.
    const seen = new Set<string>();
    receiver.respond('/flaky', ({ rawBody }) => {
      const { id } = JSON.parse(rawBody.toString('utf8')) as { id: string };
      const first = !seen.has(id);
      seen.add(id);
      return first ? { status: 503, body: 'try later' } : { status: 200 };
    });
    receiver.respond('/refused', { status: 400, body: 'no thanks' });
    const ids: Record<string, number> = {};
    for (const [name, token] of Object.entries(VERIFICATION_TOKENS)) {
      const created = await api('POST', '/rest/V1/async_event', {
        body: {
          asyncEvent: {
            event_name: 'sales.order.created',
            recipient_url: `${receiver.url}/${name}`,
            verification_token: token,
            metadata: 'http',
          },
        },
      });
      expect(created.status).toBe(200);
      ids[name] = created.json().subscription_id as number;
    }
    // An amqp sink's destination carries the subscriber's broker password in its URL.
    await harness.channel.assertQueue('secrets-amqp-sink', { durable: false, autoDelete: true });
    await harness.channel.bindQueue('secrets-amqp-sink', 'amq.topic', '#');
    const brokerUrl = new URL(harness.env.AMQP_URL ?? '');
    const amqpRecipient = `amqp://${AMQP_USER}:${AMQP_PASSWORD}@${brokerUrl.host}${brokerUrl.pathname}?exchange=amq.topic`;
    const amqpCreated = await api('POST', '/rest/V1/async_event', {
      body: {
        asyncEvent: {
          event_name: 'sales.order.created',
          recipient_url: amqpRecipient,
          verification_token: VERIFICATION_TOKENS.ok,
          metadata: 'amqp',
        },
      },
    });
    expect(amqpCreated.status, amqpCreated.text).toBe(200);
    expect(amqpCreated.json().recipient_url).toBe(
      `amqp://[credentials]@${brokerUrl.host}${brokerUrl.pathname}?exchange=amq.topic`,
    );
    const [stored] = (await harness.db.pool.query(
      'SELECT subscription_id, verification_token FROM async_event_subscriber',
    )) as unknown as [Array<{ subscription_id: number; verification_token: string }>];
    for (const row of stored) {
      secrets.set(`encrypted token of ${row.subscription_id}`, row.verification_token);
    }

    for (const id of ['5', '5', '5']) {
      harness.publish('sales.order.created', { id });
    }
    await receiver.waitFor(3, { path: '/ok', timeoutMs: 20_000 });
    await receiver.waitFor(6, { path: '/flaky', timeoutMs: 20_000 }); // 3 failures, 3 retries
    await receiver.waitFor(3, { path: '/refused', timeoutMs: 20_000 });
    const published = await harness.takeMessages('secrets-amqp-sink', 3, 20_000);
    expect(published).toHaveLength(3);
    for (const message of published) {
      const signature = String((message.properties.headers ?? {})['x-magento-signature'] ?? '');
      expect(signature).toMatch(/^[0-9a-f]{64}$/);
      secrets.set(`signature amqp ${signature.slice(0, 8)}`, signature);
    }
    for (const request of receiver.requests) {
      for (const header of ['x-magento-signature', 'webhook-signature']) {
        const value = request.headers[header];
        for (const signature of String(value ?? '').split(/[ ,]/)) {
          if (signature.length >= 16) {
            secrets.set(`signature ${header} ${signature.slice(0, 8)}`, signature);
          }
        }
      }
    }
    // 12 requests, 9 distinct bodies: a retry resends the same bytes, so the same x-magento-signature.
    expect([...secrets.keys()].filter((name) => name.startsWith('signature x-magento')).length).toBe(9);
    expect(
      [...secrets.keys()].filter((name) => name.startsWith('signature webhook')).length,
    ).toBeGreaterThanOrEqual(9);
    await eventually(
      async () => {
        const [[row]] = (await harness.db.pool.query(
          'SELECT COUNT(*) AS count FROM async_event_subscriber_log',
        )) as unknown as [[{ count: number }]];
        return Number(row.count) >= 15 ? true : undefined;
      },
      10_000,
      '15 log rows',
    );
    const [rows] = (await harness.db.pool.query(
      'SELECT uuid, success, response_data, serialized_data FROM async_event_subscriber_log',
    )) as unknown as [Array<Record<string, unknown>>];
    record('delivery log rows', JSON.stringify(rows));
  });

  it('answers the API, including its errors, without a secret', async () => {
    const [[row]] = (await harness.db.pool.query(
      'SELECT uuid, log_id FROM async_event_subscriber_log LIMIT 1',
    )) as unknown as [[{ uuid: string; log_id: number }]];
    await api('GET', '/V1/async_events');
    await api('GET', '/V1/async_event/1');
    await api('PUT', '/V1/async_event/1', { body: { asyncEvent: { status: true } } });
    await api('GET', '/V1/async_event/1/controls');
    await api('PUT', '/V1/async_event/1/controls', { body: { controls: { max_in_flight: 8 } } });
    await api('GET', '/V1/async_event_logs?q=*&bodies=true');
    expect((await api('GET', `/V1/async_event_logs/${row.uuid}`)).status).toBe(200);
    await api('POST', '/V1/async_event_logs/replay', { body: { q: 'success:false', dryRun: true } });
    await api('GET', '/V1/async_event_deadletters');
    await api('GET', '/V1/async_event_stats?minutes=60');
    // Errors: validation, not found, conflicts, unknown fields that look like secrets.
    await api('POST', '/V1/async_event', {
      body: { asyncEvent: { verification_token: VERIFICATION_TOKENS.ok, event_name: 'nope' } },
    });
    await api('POST', '/V1/async_event', {
      body: {
        asyncEvent: {
          event_name: 'sales.order.created',
          recipient_url: `http://user:${VERIFICATION_TOKENS.ok}@example.com/`,
          verification_token: VERIFICATION_TOKENS.ok,
          metadata: 'http',
        },
      },
    });
    await api('POST', '/V1/async_event', {
      body: {
        asyncEvent: { verification_token: `${VERIFICATION_TOKENS.flaky}${'x'.repeat(500)}`, color: 1 },
      },
    });
    await api('GET', '/V1/async_event/999999');
    await api('GET', `/V1/async_event_logs?q=${encodeURIComponent('verification_token:*')}`);
    // Authentication failures, up to the rate limit.
    for (const token of [null, 'wrong-token', `${SECOND_API_TOKEN}x`, MAGENTO_TOKEN.slice(1)]) {
      await api('GET', '/V1/async_events', { token, headers: { 'x-forwarded-for': '203.0.113.50' } });
    }
    const limited = await api('GET', '/V1/async_events', { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(limited.status).toBe(429);
  });

  it('serves metrics, health and the dashboard without a secret', async () => {
    for (const path of ['/metrics', '/readyz', '/healthz', '/', '/dashboard/auth.json']) {
      const response = await fetch(`${harness.sidecar.httpUrl}${path}`);
      expect(response.status, path).toBe(200);
      const text = await response.text();
      record(`GET ${path}`, text);
      if (path === '/') {
        const assets = [...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
        expect(assets.length).toBeGreaterThan(0);
        for (const asset of assets) {
          const file = await fetch(new URL(asset, `${harness.sidecar.httpUrl}/`));
          record(`dashboard asset ${asset}`, await file.text());
        }
      }
    }
  });

  it('renders the dashboard in Chromium without a secret on the page', async () => {
    const browser = await openBrowser();
    try {
      const { page } = browser;
      const bodies: Promise<void>[] = [];
      page.on('response', (response) => {
        bodies.push(
          response
            .text()
            .then((text) => record(`browser ${response.url()}`, text))
            .catch(() => undefined),
        );
      });
      await page.goto(`${harness.sidecar.httpUrl}/`);
      await page.getByLabel('API token').fill(SECOND_API_TOKEN);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      for (const view of ['#/overview', '#/subscriptions', '#/deliveries', '#/deadletters']) {
        await page.goto(`${harness.sidecar.httpUrl}/${view}`);
        await page.waitForLoadState('networkidle');
        record(`dashboard page ${view}`, await page.content());
        record(`dashboard text ${view}`, await page.evaluate<string>('document.body.innerText'));
      }
      await Promise.all(bodies);
      expect(browser.consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('prints CLI output without a secret, also when its credentials are wrong', async () => {
    const env: Record<string, string> = { ...harness.env, LOG_LEVEL: 'debug' };
    const [[row]] = (await harness.db.pool.query(
      'SELECT uuid FROM async_event_subscriber_log LIMIT 1',
    )) as unknown as [[{ uuid: string }]];
    for (const args of [
      ['config:check'],
      ['config:check', '--json'],
      ['subscriptions:list'],
      ['subscriptions:list', '--json'],
      ['search', 'event_name:*', '--bodies'],
      ['trace', row.uuid],
      ['deadletter:list'],
      ['topology:check'],
    ]) {
      const result = await cli(args, env);
      // 0, or 3 for "found problems" (the fixture store has events without a route).
      expect([0, 3], `${args.join(' ')}: ${result.stderr}`).toContain(result.code);
      record(`cli ${args.join(' ')}`, `${result.stdout}\n${result.stderr}`);
    }
    const wrongMysql = new URL(env.MYSQL_URL ?? '');
    wrongMysql.password = WRONG_PASSWORD;
    const wrongAmqp = new URL(env.AMQP_URL ?? '');
    wrongAmqp.password = WRONG_PASSWORD;
    for (const [args, overrides] of [
      [['subscriptions:list'], { MYSQL_URL: wrongMysql.href }],
      [['search', 'event_name:*'], { MYSQL_URL: wrongMysql.href }],
      [['topology:check'], { AMQP_URL: wrongAmqp.href }],
    ] as const) {
      const result = await cli([...args], { ...env, ...overrides });
      expect(result.code, `${args.join(' ')} with a wrong password`).not.toBe(0);
      // The refusal itself is reported (so the error path ran), without the password.
      expect(`${result.stdout}${result.stderr}`).toMatch(/Access denied|ACCESS_REFUSED|ACCESS-REFUSED/);
      record(`cli ${args.join(' ')} (wrong password)`, `${result.stdout}\n${result.stderr}`);
    }
    // A password that breaks the URL (an unencoded `/` or `#`) is a configuration error, which
    // echoes the URL: without its credentials.
    for (const [command, overrides] of [
      ['subscriptions:list', { MYSQL_URL: `mysql://${MYSQL_USER}:x/${WRONG_PASSWORD}@127.0.0.1:3306/db` }],
      ['topology:check', { AMQP_URL: `amqp://${AMQP_USER}:x#${WRONG_PASSWORD}@127.0.0.1:5672/x` }],
    ] as const) {
      const result = await cli([command], { ...env, ...overrides });
      expect(result.code, command).toBe(2);
      expect(`${result.stdout}${result.stderr}`, command).toMatch(/\[credentials\]@127\.0\.0\.1/);
      record(`cli ${command} (broken URL)`, `${result.stdout}\n${result.stderr}`);
    }
  });

  /** Every place a secret, in any of its forms, appears in the given outputs. */
  const findLeaks = (texts: ReadonlyMap<string, string>): string[] => {
    const leaks: string[] = [];
    for (const [output, text] of texts) {
      for (const [name, secret] of secrets) {
        for (const form of formsOf(secret)) {
          if (text.includes(form)) {
            const at = text.indexOf(form);
            leaks.push(`${name} in ${output}: …${text.slice(Math.max(0, at - 80), at + form.length + 20)}…`);
          }
        }
      }
    }
    return leaks;
  };

  it('never shows any secret in any output, in any encoding', () => {
    record('sidecar log (debug)', harness.logs.lines.join('\n'));
    expect(harness.logs.lines.some((line) => line.includes('"level":"debug"'))).toBe(true);
    expect(outputs.size).toBeGreaterThan(40);
    // The search finds secrets where they rightly are: the receiver saw signatures, the
    // environment holds the passwords. (Otherwise an empty result would prove nothing.)
    const controls = new Map([
      ['receiver headers', JSON.stringify(harness.receiver.requests.map((request) => request.headers))],
      ['environment', JSON.stringify(harness.env)],
    ]);
    const found = findLeaks(controls).join('\n');
    expect(found).toMatch(/signature x-magento-signature .* in receiver headers/);
    expect(found).toMatch(/MySQL password in environment/);
    expect(found).toMatch(/AMQP password in environment/);
    expect(findLeaks(outputs)).toEqual([]);
  });
});
