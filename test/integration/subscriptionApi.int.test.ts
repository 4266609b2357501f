import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyMagentoSignature } from '../../fixtures/webhook-receiver/index.js';
import { loadConfig } from '../../src/config/index.js';
import { startSidecar } from '../../src/main.js';
import { makeApiClient } from '../helpers/apiClient.js';
import { API_TOKEN, eventually, type Harness, MAGENTO_TOKEN, startHarness } from '../helpers/harness.js';
import { captureLogs } from '../helpers/logCapture.js';
import { TEST_CRYPT_KEY } from '../helpers/testDatabase.js';

const VIEW_KEYS = ['event_name', 'recipient_url', 'status', 'store_id', 'subscribed_at', 'subscription_id'];
const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** The `/V1/async_event` contract (design.md §7) served by the sidecar, on the real MariaDB. */
describe('subscription REST API', () => {
  let harness: Harness;
  // Follows the sidecar across restarts (each one listens on a new port).
  const api: ReturnType<typeof makeApiClient> = (...args) =>
    makeApiClient(harness.sidecar.httpUrl, API_TOKEN)(...args);

  beforeAll(async () => {
    harness = await startHarness({ env: { API_AUTH_FAILURES_PER_MINUTE: '5' } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const create = (asyncEvent: Record<string, unknown>, path = '/rest/V1/async_event') =>
    api('POST', path, { asyncEvent });

  describe('routes', () => {
    it('creates a subscription and answers exactly the public fields', async () => {
      const answer = await create({
        event_name: 'sales.order.created',
        recipient_url: `${harness.receiver.url}/api-created`,
        verification_token: 'created-secret',
        metadata: 'http',
      });
      expect(answer.status).toBe(200);
      const view = answer.body as Record<string, unknown>;
      expect(Object.keys(view).sort()).toEqual(VIEW_KEYS);
      expect(view).toMatchObject({ event_name: 'sales.order.created', status: true, store_id: 0 });
      expect(typeof view.subscription_id).toBe('number');
      expect(view.subscribed_at).toMatch(DATETIME);
      expect(answer.text).not.toContain('created-secret');

      // Stored encrypted in Magento's format, which PHP with the same key decrypts.
      const [[row]] = (await harness.db.pool.query(
        'SELECT verification_token, metadata FROM async_event_subscriber WHERE subscription_id = ?',
        [view.subscription_id],
      )) as unknown as [[{ verification_token: string; metadata: string }]];
      expect(row.verification_token).toMatch(/^0:3:[A-Za-z0-9+/]+=*$/);
      expect(row.metadata).toBe('http');
      const php = `$k = base64_decode(substr($argv[1], 6)); [$v, $c, $d] = explode(':', $argv[2]); $raw = base64_decode($d); $n = substr($raw, 0, 12); echo trim(sodium_crypto_aead_chacha20poly1305_ietf_decrypt(substr($raw, 12), $n, $n, $k));`;
      const { stdout } = await promisify(execFile)('php', [
        '-r',
        php,
        TEST_CRYPT_KEY,
        row.verification_token,
      ]);
      expect(stdout).toBe('created-secret');

      // The dispatcher sees it at once, and deliveries are signed with the token.
      harness.publish('sales.order.created', { id: '5' });
      const [delivery] = await harness.receiver.waitFor(1, { path: '/api-created' });
      expect(
        verifyMagentoSignature(
          delivery?.rawBody ?? Buffer.alloc(0),
          String(delivery?.headers['x-magento-signature']),
          'created-secret',
        ),
      ).toBe(true);
    });

    it('accepts camelCase keys and every path prefix', async () => {
      const camel = await create(
        {
          eventName: 'customer.created',
          recipientUrl: `${harness.receiver.url}/camel`,
          verificationToken: 't',
          metadata: 'http',
          storeId: '2',
        },
        '/V1/async_event',
      );
      expect(camel.status).toBe(200);
      expect(camel.body).toMatchObject({ event_name: 'customer.created', store_id: 2 });
      const id = (camel.body as { subscription_id: number }).subscription_id;
      for (const prefix of ['/V1', '/rest/V1', '/rest/default/V1', '/rest/all/V1']) {
        const answer = await api('GET', `${prefix}/async_event/${id}`);
        expect(answer.status, prefix).toBe(200);
        expect(answer.body).toEqual(camel.body);
      }
    });

    it('changes status and metadata with PUT, and the dispatcher follows at once', async () => {
      const created = await create({
        event_name: 'cms.block.updated',
        recipient_url: `${harness.receiver.url}/toggled`,
        verification_token: 't',
        metadata: 'http',
      });
      const id = (created.body as { subscription_id: number }).subscription_id;
      const disabled = await api('PUT', `/rest/V1/async_event/${id}`, { asyncEvent: { status: false } });
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ subscription_id: id, status: false });
      harness.publish('cms.block.updated', { blockId: 1 });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(harness.receiver.count('/toggled')).toBe(0);

      const enabled = await api('PUT', `/V1/async_event/${id}`, {
        asyncEvent: { status: 1, metadata: 'http' },
      });
      expect(enabled.body).toMatchObject({ status: true });
      harness.publish('cms.block.updated', { blockId: 1 });
      await harness.receiver.waitFor(1, { path: '/toggled' });
    });

    it('answers Magento-shaped errors for missing, malformed and read-only input', async () => {
      expect(await api('GET', '/V1/async_event/999999')).toMatchObject({
        status: 404,
        body: { message: 'Async event with subscription ID %1 does not exist', parameters: [999999] },
      });
      expect(await api('PUT', '/V1/async_event/999999', { asyncEvent: { status: true } })).toMatchObject({
        status: 404,
      });
      expect(await api('PUT', '/V1/async_event/1', { asyncEvent: { metadata: 'http' } })).toMatchObject({
        status: 400,
        body: { message: 'Status is required' },
      });
      expect(
        await api('PUT', '/V1/async_event/1', {
          asyncEvent: { status: true, recipient_url: 'http://x.test' },
        }),
      ).toMatchObject({
        status: 400,
        body: {
          message: '"%fieldName" cannot be changed; create a new subscription instead.',
          parameters: { fieldName: 'recipient_url' },
        },
      });
      for (const path of [
        '/V1/async_event/abc',
        '/V1/async_event/1e3',
        '/V1/async_event/..%2F..%2Fetc%2Fpasswd',
        '/V1/async_event/-1',
        "/V1/async_event/1'%20OR%20'1'='1",
      ]) {
        const answer = await api('GET', path);
        expect(answer.status, path).toBe(400);
        expect(answer.body).toMatchObject({ message: expect.stringMatching(/type is invalid/) as unknown });
      }
      expect(await api('POST', '/V1/async_event', '{"asyncEvent": {')).toMatchObject({
        status: 400,
        body: { message: 'The request body is not valid JSON.' },
      });
      expect(await api('POST', '/V1/async_event', '[1,2]')).toMatchObject({ status: 400 });
      expect(await api('POST', '/V1/async_event', { asyncEvent: 'x' })).toMatchObject({ status: 400 });
      expect(await api('POST', '/V1/async_event', { asyncEvent: {}, extra: 1 })).toMatchObject({
        status: 400,
      });
      expect(await api('POST', '/V1/async_event', 'x'.repeat(2_000_000))).toMatchObject({ status: 413 });
      await harness.db.pool.query('RENAME TABLE async_event_subscriber TO async_event_subscriber_hidden');
      try {
        const broken = await api('GET', '/V1/async_event/1');
        expect(broken.status).toBe(500);
        const reportId = /Report ID: (sidecar-[0-9a-f]{12})$/.exec(
          (broken.body as { message: string }).message,
        )?.[1];
        expect(reportId).toBeDefined();
        expect(broken.text).not.toMatch(/async_event_subscriber|SELECT|ER_|stack|at /);
        expect(harness.logs.find('Request failed').some((entry) => entry.reportId === reportId)).toBe(true);
      } finally {
        await harness.db.pool.query('RENAME TABLE async_event_subscriber_hidden TO async_event_subscriber');
      }
      expect(await api('DELETE', '/V1/async_event/1')).toMatchObject({
        status: 404,
        body: { message: 'Request does not match any route.' },
      });
    });
  });

  describe('validation beyond upstream (400, nothing written)', () => {
    const valid = () => ({
      event_name: 'sales.order.created',
      recipient_url: `${harness.receiver.url}/v`,
      verification_token: 'secret',
      metadata: 'http',
    });

    it.each([
      [
        { event_name: 'sales.order.creatd' },
        /Unknown async event "%eventName"; did you mean %suggestions\?/,
        {
          eventName: 'sales.order.creatd',
          suggestions: expect.stringContaining('sales.order.created') as unknown,
        },
      ],
      [
        { metadata: 'carrier-pigeon' },
        /Unknown metadata "%metadata"/,
        { metadata: 'carrier-pigeon', sinks: 'http, amqp, eventbridge, sqs' },
      ],
      [{ recipient_url: 'ftp://example.com/x' }, /absolute http\(s\) URL/, { fieldName: 'recipient_url' }],
      [{ recipient_url: '/relative/path' }, /absolute http\(s\) URL/, { fieldName: 'recipient_url' }],
      [
        { recipient_url: `http://user:pw@127.0.0.1:1/x` },
        /must not carry credentials/,
        { fieldName: 'recipient_url' },
      ],
      [
        { recipient_url: `http://127.0.0.1/${'a'.repeat(1100)}` },
        /longer than %max characters/,
        { max: 1024 },
      ],
      [
        { verification_token: 'x'.repeat(159) },
        /too long: encrypted it must fit %max characters/,
        { max: 255, maxBytes: 158 },
      ],
      [{ verification_token: '' }, /"%fieldName" is required/, { fieldName: 'verification_token' }],
      [{ store_id: -1 }, /store id/, { fieldName: 'store_id' }],
      [{ store_id: 'default' }, /store id/, { fieldName: 'store_id' }],
      [{ store_id: 70000 }, /store id/, { fieldName: 'store_id' }],
      [{ event_name: 42 }, /must be a string/, { fieldName: 'event_name' }],
      [{ subscription_id: 5 }, /cannot be set on creation/, { fieldName: 'subscription_id' }],
      [{ shoe_size: 44 }, /Unknown field "%fieldName"/, { fieldName: 'shoe_size' }],
    ])('refuses %j', async (change, message, parameters) => {
      const before = await harness.db.pool.query('SELECT COUNT(*) AS n FROM async_event_subscriber');
      const answer = await create({ ...valid(), ...change });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ message: expect.stringMatching(message) as unknown, parameters });
      const after = await harness.db.pool.query('SELECT COUNT(*) AS n FROM async_event_subscriber');
      expect(after[0]).toEqual(before[0]);
    });

    it('reports every missing field at once', async () => {
      const answer = await create({});
      expect(answer.status).toBe(400);
      const errors = (answer.body as { errors: Array<{ parameters: { fieldName: string } }> }).errors;
      expect(errors.map((error) => error.parameters.fieldName)).toEqual([
        'event_name',
        'recipient_url',
        'verification_token',
        'metadata',
      ]);
    });
  });

  describe('searchCriteria', () => {
    const ids: number[] = [];
    beforeAll(async () => {
      for (const [event_name, store_id] of [
        ['cms.page.created', 0],
        ['cms.page.updated', 1],
        ['cms.block.created', 1],
        ['customer.login', 2],
      ] as const) {
        const answer = await create({
          event_name,
          recipient_url: `${harness.receiver.url}/search`,
          verification_token: 't',
          metadata: 'http',
          store_id,
        });
        ids.push((answer.body as { subscription_id: number }).subscription_id);
      }
    });

    const search = (query: string) => api('GET', `/rest/V1/async_events?${query}`);
    const idsOf = (answer: { body: unknown }) =>
      (answer.body as { items: Array<{ subscription_id: number }> }).items.map(
        (item) => item.subscription_id,
      );
    const inRange = (groups = 'filter_groups') =>
      `searchCriteria[${groups}][9][filters][0][field]=subscription_id&searchCriteria[${groups}][9][filters][0][value]=${ids[0]}&searchCriteria[${groups}][9][filters][0][condition_type]=gteq`;

    it('filters with eq, like, in, nin, neq, gt/gteq/lt/lteq, null and notnull', async () => {
      const eq = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=event_name&searchCriteria[filter_groups][0][filters][0][value]=cms.page.updated`,
      );
      expect(idsOf(eq)).toEqual([ids[1]]);
      expect(eq.body).toMatchObject({
        total_count: 1,
        search_criteria: {
          filter_groups: [
            { filters: [{ field: 'event_name', value: 'cms.page.updated', condition_type: 'eq' }] },
          ],
          current_page: 1,
        },
      });
      expect(Object.keys((eq.body as { items: object[] }).items[0] ?? {}).sort()).toEqual(VIEW_KEYS);

      const like = await search(
        `searchCriteria[filterGroups][0][filters][0][field]=event_name&searchCriteria[filterGroups][0][filters][0][value]=cms.%25&searchCriteria[filterGroups][0][filters][0][conditionType]=like&${inRange('filterGroups')}`,
      );
      expect(idsOf(like)).toEqual(ids.slice(0, 3));
      const inList = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=store_id&searchCriteria[filter_groups][0][filters][0][value]=1,2&searchCriteria[filter_groups][0][filters][0][condition_type]=in&${inRange()}`,
      );
      expect(idsOf(inList)).toEqual(ids.slice(1));
      const notIn = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=store_id&searchCriteria[filter_groups][0][filters][0][value]=1,2&searchCriteria[filter_groups][0][filters][0][condition_type]=nin&${inRange()}`,
      );
      expect(idsOf(notIn)).toEqual([ids[0]]);
      const neq = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=store_id&searchCriteria[filter_groups][0][filters][0][value]=1&searchCriteria[filter_groups][0][filters][0][condition_type]=neq&${inRange()}`,
      );
      expect(idsOf(neq)).toEqual([ids[0], ids[3]]);
      const between = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=subscription_id&searchCriteria[filter_groups][0][filters][0][value]=${ids[0]}&searchCriteria[filter_groups][0][filters][0][condition_type]=gt&searchCriteria[filter_groups][1][filters][0][field]=subscription_id&searchCriteria[filter_groups][1][filters][0][value]=${ids[3]}&searchCriteria[filter_groups][1][filters][0][condition_type]=lt`,
      );
      expect(idsOf(between)).toEqual([ids[1], ids[2]]);
      const lteq = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=subscription_id&searchCriteria[filter_groups][0][filters][0][value]=${ids[1]}&searchCriteria[filter_groups][0][filters][0][condition_type]=lteq&${inRange()}`,
      );
      expect(idsOf(lteq)).toEqual(ids.slice(0, 2));
      const notNull = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=subscribed_at&searchCriteria[filter_groups][0][filters][0][condition_type]=notnull&${inRange()}`,
      );
      expect(idsOf(notNull)).toEqual(ids);
      const isNull = await search(
        `searchCriteria[filter_groups][0][filters][0][field]=subscribed_at&searchCriteria[filter_groups][0][filters][0][condition_type]=null`,
      );
      expect(idsOf(isNull)).toEqual([]);
    });

    it('ORs filters within a group and ANDs groups', async () => {
      const answer = await search(
        [
          'searchCriteria[filter_groups][0][filters][0][field]=event_name',
          'searchCriteria[filter_groups][0][filters][0][value]=cms.page.created',
          'searchCriteria[filter_groups][0][filters][1][field]=event_name',
          'searchCriteria[filter_groups][0][filters][1][value]=customer.login',
          'searchCriteria[filter_groups][1][filters][0][field]=store_id',
          'searchCriteria[filter_groups][1][filters][0][value]=2',
        ].join('&'),
      );
      expect(idsOf(answer)).toEqual([ids[3]]);
    });

    it('sorts and pages like Magento, with the total of all matches', async () => {
      const base = `${inRange()}&searchCriteria[sortOrders][0][field]=subscription_id&searchCriteria[sortOrders][0][direction]=DESC&searchCriteria[pageSize]=2`;
      const first = await search(`${base}&searchCriteria[currentPage]=1`);
      const second = await search(`${base}&searchCriteria[currentPage]=2`);
      expect(idsOf(first)).toEqual([ids[3], ids[2]]);
      expect(idsOf(second)).toEqual([ids[1], ids[0]]);
      expect(first.body).toMatchObject({
        total_count: 4,
        search_criteria: {
          page_size: 2,
          current_page: 1,
          sort_orders: [{ field: 'subscription_id', direction: 'DESC' }],
        },
      });
      const all = await api('GET', '/V1/async_events');
      expect((all.body as { total_count: number }).total_count).toBeGreaterThanOrEqual(4);
    });

    it('refuses unknown fields and conditions, and treats injection attempts as plain values', async () => {
      const badField = await search(
        'searchCriteria[filter_groups][0][filters][0][field]=verification_token&searchCriteria[filter_groups][0][filters][0][value]=x',
      );
      expect(badField).toMatchObject({
        status: 400,
        body: {
          message: expect.stringMatching(/cannot be searched/) as unknown,
          parameters: { field: 'verification_token' },
        },
      });
      const injectedField = await search(
        'searchCriteria[filter_groups][0][filters][0][field]=event_name%3B%20DROP%20TABLE%20async_event_subscriber&searchCriteria[filter_groups][0][filters][0][value]=x',
      );
      expect(injectedField.status).toBe(400);
      const badCondition = await search(
        'searchCriteria[filter_groups][0][filters][0][field]=event_name&searchCriteria[filter_groups][0][filters][0][value]=x&searchCriteria[filter_groups][0][filters][0][condition_type]=regexp',
      );
      expect(badCondition).toMatchObject({ status: 400, body: { parameters: { conditionType: 'regexp' } } });
      const injectedValue = await search(
        "searchCriteria[filter_groups][0][filters][0][field]=event_name&searchCriteria[filter_groups][0][filters][0][value]=x'%20OR%20'1'='1",
      );
      expect(injectedValue).toMatchObject({ status: 200, body: { items: [], total_count: 0 } });
      const badSort = await search(
        'searchCriteria[sort_orders][0][field]=subscription_id&searchCriteria[sort_orders][0][direction]=SIDEWAYS',
      );
      expect(badSort.status).toBe(400);
      const badPage = await search('searchCriteria[pageSize]=0');
      expect(badPage.status).toBe(400);
      const nested = await search(
        'searchCriteria[filter_groups][0][filters][0][value][a]=1&searchCriteria[filter_groups][0][filters][0][field]=event_name',
      );
      expect(nested.status).toBe(400);
      expect((await api('GET', '/V1/async_events?searchCriteria=1')).status).toBe(400);
    });
  });

  describe('destinations', () => {
    it('refuses private, loopback, link-local and metadata targets unless allowed', async () => {
      const strict = await startSidecar(loadConfig({ ...harness.env, DESTINATION_ALLOW_CIDRS: '' }, 'run'), {
        logger: captureLogs('fatal').logger,
      });
      try {
        const strictApi = makeApiClient(strict.httpUrl, API_TOKEN);
        for (const target of [
          'http://127.0.0.1:8080/hook',
          'http://localhost/hook',
          'http://[::1]/hook',
          'http://169.254.169.254/latest/meta-data/',
          'http://10.1.2.3/hook',
          'http://192.168.0.10/hook',
          'http://172.16.5.5/hook',
          'http://2130706433/hook',
          'http://0177.0.0.1/hook',
          'http://[::ffff:127.0.0.1]/hook',
          'http://[fd00:ec2::254]/hook',
        ]) {
          const answer = await strictApi('POST', '/V1/async_event', {
            asyncEvent: {
              event_name: 'sales.order.created',
              recipient_url: target,
              verification_token: 't',
              metadata: 'http',
            },
          });
          expect(answer.status, target).toBe(400);
          expect(answer.body, target).toMatchObject({
            message: 'Destination refused: %reason',
            parameters: { reason: expect.stringMatching(/is in|resolves to/) as unknown },
          });
        }
      } finally {
        await strict.close();
      }
    });

    it('fails a delivery to a blocked address at delivery time, without retrying', async () => {
      await harness.restartSidecar({ DESTINATION_ALLOW_CIDRS: '' });
      try {
        const subscriptionId = await harness.db.addSubscription({
          eventName: 'sales.shipment.created',
          recipientUrl: `${harness.receiver.url}/sneaky`,
        });
        await new Promise((resolve) => setTimeout(resolve, 400));
        harness.publish('sales.shipment.created', { id: 2 });
        const [row] = await eventually(async () => {
          const rows = await harness.db.logRows({ subscriptionId });
          return rows.length > 0 ? rows : undefined;
        });
        expect(row).toMatchObject({
          success: 0,
          response_data: expect.stringMatching(
            /^Destination blocked: 127\.0\.0\.1 is in 127\.0\.0\.0\/8 \(loopback\)/,
          ) as unknown,
        });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(await harness.db.logRows({ subscriptionId })).toHaveLength(1);
        expect(harness.receiver.count('/sneaky')).toBe(0);
      } finally {
        await harness.restartSidecar();
      }
    });
  });

  describe('authentication', () => {
    it('requires a known bearer token on every route', async () => {
      let client = 0;
      for (const token of [undefined, 'wrong-token']) {
        for (const [method, path] of [
          ['GET', '/V1/async_events'],
          ['GET', '/V1/async_event/1'],
          ['POST', '/V1/async_event'],
          ['PUT', '/rest/V1/async_event/1'],
        ] as const) {
          const answer = await makeApiClient(harness.sidecar.httpUrl, token)(
            method,
            path,
            method === 'GET' ? undefined : { asyncEvent: {} },
            {
              // A fresh client address per request keeps the failure limiter out of this test.
              'x-forwarded-for': `198.51.100.${(client += 1)}`,
            },
          );
          expect(answer).toMatchObject({
            status: 401,
            body: {
              message: "The consumer isn't authorized to access %resources.",
              parameters: { resources: 'MageOS_AsyncEvents::manage' },
            },
          });
        }
      }
      const basic = await makeApiClient(harness.sidecar.httpUrl, undefined)(
        'GET',
        '/V1/async_events',
        undefined,
        { authorization: `Basic ${API_TOKEN}`, 'x-forwarded-for': '198.51.100.200' },
      );
      expect(basic.status).toBe(401);
    });

    it('slows down repeated failures per client address with 429', async () => {
      const client = makeApiClient(harness.sidecar.httpUrl, 'guess');
      const from = { 'x-forwarded-for': '203.0.113.77' };
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expect((await client('GET', '/V1/async_events', undefined, from)).status).toBe(401);
      }
      const limited = await client('GET', '/V1/async_events', undefined, from);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({
        message: expect.stringMatching(/Too many failed authentications/) as unknown,
      });
      // Another address is not affected.
      expect(
        (await api('GET', '/V1/async_events', undefined, { 'x-forwarded-for': '203.0.113.78' })).status,
      ).toBe(200);
    });

    it('accepts tokens Magento accepts for MageOS_AsyncEvents::manage, and checks event resources the same way', async () => {
      const delegated = await startHarness({
        env: {
          API_TOKENS: '',
          API_AUTH_MAGENTO: 'true',
          ASYNC_EVENTS_PATHS: new URL('../../magento-module/etc/', import.meta.url).pathname,
        },
        tokenResources: {
          'manager-only': ['MageOS_AsyncEvents::manage'],
          'manager-and-orders': ['MageOS_AsyncEvents::manage', 'Magento_Sales::actions_view'],
        },
      });
      try {
        const as = (token: string) => makeApiClient(delegated.sidecar.httpUrl, token);
        expect((await as(MAGENTO_TOKEN)('GET', '/V1/async_events')).status).toBe(200);
        expect((await as('manager-only')('GET', '/V1/async_events')).status).toBe(200);
        expect(
          (
            await as('not-a-magento-token')('GET', '/V1/async_events', undefined, {
              'x-forwarded-for': '198.51.100.9',
            })
          ).status,
        ).toBe(401);
        const subscribe = (token: string, event_name: string) =>
          as(token)('POST', '/V1/async_event', {
            asyncEvent: {
              event_name,
              recipient_url: `${delegated.receiver.url}/d`,
              verification_token: 't',
              metadata: 'http',
            },
          });
        // sales.order.created requires Magento_Sales::actions_view (fixture app/code/Acme/Erp).
        expect(await subscribe('manager-only', 'sales.order.created')).toMatchObject({
          status: 401,
          body: { parameters: { resources: 'Magento_Sales::actions_view' } },
        });
        expect((await subscribe('manager-and-orders', 'sales.order.created')).status).toBe(200);
        expect((await subscribe('manager-only', 'cms.page.created')).status).toBe(200);
        // No Magento route is guarded by Magento_Sales::sales alone: it cannot be verified, so it is refused.
        expect((await subscribe('manager-and-orders', 'acme.erp.order.exported')).status).toBe(401);
        expect(delegated.logs.lines.join('\n')).not.toContain('manager-and-orders');
      } finally {
        await delegated.stop();
      }
    });

    it('never writes tokens to the logs', () => {
      const lines = harness.logs.lines.join('\n');
      for (const secret of [API_TOKEN, 'created-secret', 'wrong-token', 'guess', MAGENTO_TOKEN]) {
        expect(lines).not.toContain(secret);
      }
    });
  });
});
