import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeApiClient } from '../helpers/apiClient.js';
import { API_TOKEN, type Harness, startHarness } from '../helpers/harness.js';

/** A 4.x CloudEvent body as the sidecar (and upstream) writes it, PHP escaping included. */
function cloudEvent(uuid: string, type: string, data: Record<string, unknown>, source = '0'): string {
  const encoded = JSON.stringify(data)
    .replaceAll('/', '\\/')
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `{"specversion":"1.0","id":"${uuid}","source":"${source}","type":"${type}","datacontenttype":"application\\/json","data":${encoded}}`;
}

/**
 * The query suite on the embedded backend (Lucene → SQL over Magento's tables), on the real
 * MariaDB, through the API: the upstream README's examples, ranges, phrases, NOT/OR, grouping,
 * arrays inside `data`, paging, and hostile input.
 */
describe('delivery search (embedded backend)', () => {
  let harness: Harness;
  const api = (path: string) => makeApiClient(harness.sidecar.httpUrl, API_TOKEN)('GET', path);
  const ids: Record<string, number> = {};

  const search = async (q: string, extra = '') => {
    const answer = await api(`/rest/V1/async_event_logs?q=${encodeURIComponent(q)}&pageSize=100${extra}`);
    expect(answer.status, `${q}: ${answer.text}`).toBe(200);
    return answer.body as { items: Array<{ log_id: number; body?: string | null }>; total_count: number };
  };
  const found = async (q: string) => (await search(q)).items.map((item) => item.log_id).sort((a, b) => a - b);
  const named = (...names: string[]) => names.map((name) => ids[name] ?? -1).sort((a, b) => a - b);

  beforeAll(async () => {
    harness = await startHarness();
    const { db } = harness;
    const customers = await db.addSubscription({
      eventName: 'customer.created',
      recipientUrl: 'http://127.0.0.1:9/c',
      storeId: 1,
    });
    const addresses = await db.addSubscription({
      eventName: 'customer.address.created',
      recipientUrl: 'http://127.0.0.1:9/a',
    });
    const orders = await db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: 'http://127.0.0.1:9/o',
      storeId: 2,
    });
    const invoices = await db.addSubscription({
      eventName: 'sales.invoice.paid',
      recipientUrl: 'http://127.0.0.1:9/i',
    });
    const roni = { id: 1, email: 'roni_cost@example.com', firstname: 'Veronica', lastname: 'Costello' };
    const zoe = { id: 2, email: 'zoe@example.com', firstname: 'Zoë', lastname: 'Müller' };
    const rows: Array<[string, number, string, boolean, string, string | null, string]> = [
      [
        'roni',
        customers,
        'u-roni',
        true,
        '{"ok":true}',
        cloudEvent('u-roni', 'customer.created', { ...roni, customer_email: roni.email }),
        '2026-01-15 10:00:00',
      ],
      [
        'zoe',
        customers,
        'u-zoe',
        false,
        'Service Unavailable',
        cloudEvent('u-zoe', 'customer.created', { ...zoe, customer_email: zoe.email }, '1'),
        '2026-02-01 12:00:00',
      ],
      [
        'address',
        addresses,
        'u-addr',
        false,
        'HTTP 500',
        cloudEvent('u-addr', 'customer.address.created', { id: 9, city: 'Berlin' }),
        '2025-12-31 23:59:59',
      ],
      [
        'ck1',
        orders,
        'u-ck1',
        true,
        'accepted',
        cloudEvent('u-ck1', 'sales.order.created', {
          entity_id: 5,
          increment_id: 'CK00001',
          grand_total: 36.39,
          customer_email: roni.email,
          items: [
            { sku: '24-MB01', qty: 1 },
            { sku: '24-WB04', qty: 2 },
          ],
        }),
        '2026-03-01 08:00:00',
      ],
      [
        'ck2',
        orders,
        'u-ck2',
        false,
        'Gateway Timeout from upstream',
        cloudEvent('u-ck2', 'sales.order.created', {
          entity_id: 6,
          increment_id: 'CK00002',
          grand_total: 150,
          items: [{ sku: '24-MB02', qty: 1 }],
        }),
        '2026-03-02 08:00:00',
      ],
      [
        'plain',
        orders,
        'u-plain',
        true,
        'ok',
        cloudEvent('u-plain', 'sales.order.created', {
          entity_id: 7,
          increment_id: '000000007',
          grand_total: 99.5,
        }),
        '2026-03-03 08:00:00',
      ],
      [
        'legacy',
        invoices,
        'u-legacy',
        true,
        'ok',
        '{"data":{"entity_id":3,"increment_id":"CK00003","order_id":5}}',
        '2026-03-04 08:00:00',
      ],
      [
        'nobody',
        invoices,
        'u-nobody',
        false,
        'The payload could not be resolved: Magento answered 404',
        null,
        '2026-03-05 08:00:00',
      ],
    ];
    for (const [name, subscriptionId, uuid, success, responseData, body, created] of rows) {
      ids[name] = await db.insertLog({ subscriptionId, uuid, success, responseData, body, created });
    }
    // A second attempt of the zoe chain, later and successful.
    ids.zoe2 = await db.insertLog({
      subscriptionId: customers,
      uuid: 'u-zoe',
      success: true,
      responseData: 'ok',
      body: cloudEvent('u-zoe', 'customer.created', { ...zoe, customer_email: zoe.email }, '1'),
      created: '2026-02-01 12:00:05',
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('answers the upstream README examples', async () => {
    expect(await found('event_name: customer.*')).toEqual(named('roni', 'zoe', 'zoe2', 'address'));
    expect(await found('*.created')).toEqual(named('roni', 'zoe', 'zoe2', 'address', 'ck1', 'ck2', 'plain'));
    expect(await found('customer.* AND success: false')).toEqual(named('zoe', 'address'));
    expect(await found('data.data.customer_email: roni_cost@example.com')).toEqual(named('roni', 'ck1'));
    // Case-insensitive like the rest of the body search, raw-text prefilter included.
    expect(await found('data.data.customer_email: RONI_COST@Example.com')).toEqual(named('roni', 'ck1'));
    expect(await found('data.data.increment_id: CK* AND success: true')).toEqual(named('ck1', 'legacy'));
  });

  it('handles ranges on dates (with date math), ids and values inside data', async () => {
    expect(await found('created:[2026-01-01 TO now]')).toEqual(
      named('roni', 'zoe', 'zoe2', 'ck1', 'ck2', 'plain', 'legacy', 'nobody'),
    );
    expect(await found('created:[2026-02-01 TO 2026-03-01]')).toEqual(named('zoe', 'zoe2', 'ck1'));
    expect(await found('created:{2026-02-01 TO 2026-03-01}')).toEqual([]);
    expect(await found('created:2025-12-31')).toEqual(named('address'));
    expect(await found('created:[* TO 2026-01-01}')).toEqual(named('address'));
    expect(await found(`log_id:[${ids.ck1} TO ${ids.plain}]`)).toEqual(named('ck1', 'ck2', 'plain'));
    expect(await found('data.data.grand_total:[100 TO *]')).toEqual(named('ck2'));
    expect(await found('data.data.grand_total:{36.39 TO 100]')).toEqual(named('plain'));
  });

  it('handles phrases, NOT, OR and grouping', async () => {
    expect(await found('response_data:"Service Unavailable"')).toEqual(named('zoe'));
    expect(await found('response_data:timeout')).toEqual(named('ck2'));
    expect(await found('event_name:sales.order.created AND NOT success:true')).toEqual(named('ck2'));
    expect(
      await found('(event_name:customer.created OR event_name:sales.invoice.paid) AND success:false'),
    ).toEqual(named('zoe', 'nobody'));
    expect(await found('event_name:sales.order.created -data.data.increment_id:CK*')).toEqual(named('plain'));
    expect(await found('+event_name:sales.order.created data.data.entity_id:6')).toEqual(
      named('ck1', 'ck2', 'plain'),
    );
    expect(
      await found('event_name:sales.order.created OR event_name:customer.created AND success:false'),
    ).toEqual(named('zoe'));
    expect(await found('NOT event_name:customer.*')).toEqual(
      named('ck1', 'ck2', 'plain', 'legacy', 'nobody'),
    );
  });

  it('reaches into arrays, numbers, unicode and legacy 3.x bodies', async () => {
    expect(await found('data.data.items.sku: 24-WB04')).toEqual(named('ck1'));
    expect(await found('data.data.items.sku: 24-MB*')).toEqual(named('ck1', 'ck2'));
    expect(await found('data.data.entity_id: 6')).toEqual(named('ck2'));
    expect(await found('data.data.firstname: Zoë')).toEqual(named('zoe', 'zoe2'));
    expect(await found('data.data.order_id: 5')).toEqual(named('legacy'));
    expect(await found('data.type: sales.order.created')).toEqual(named('ck1', 'ck2', 'plain'));
  });

  it('searches every field for a term without one', async () => {
    expect(await found('roni_cost@example.com')).toEqual(named('roni', 'ck1'));
    expect(await found('u-ck2')).toEqual(named('ck2'));
    expect(await found('Berlin')).toEqual(named('address'));
  });

  it('filters by subscription, store, uuid and success', async () => {
    const [roni] = (
      await harness.db.pool.query<RowDataPacket[]>(
        'SELECT subscription_id FROM async_event_subscriber_log WHERE log_id = ?',
        [ids.roni],
      )
    )[0];
    expect(await found(`subscription_id:${String(roni?.subscription_id)}`)).toEqual(
      named('roni', 'zoe', 'zoe2'),
    );
    expect(await found('store_id:2')).toEqual(named('ck1', 'ck2', 'plain'));
    expect(await found('uuid:u-zoe')).toEqual(named('zoe', 'zoe2'));
    expect(await found('success:0 AND store_id:0')).toEqual(named('address', 'nobody'));
  });

  it('pages newest first with the total, and returns bodies on request only', async () => {
    const first = await api('/V1/async_event_logs?q=*.created&pageSize=3&currentPage=1');
    const second = await api('/V1/async_event_logs?q=*.created&pageSize=3&currentPage=2');
    const page1 = first.body as { items: Array<Record<string, unknown>>; total_count: number };
    expect(page1.total_count).toBe(7);
    expect(page1.items.map((item) => item.log_id)).toEqual([ids.zoe2, ids.plain, ids.ck2]);
    expect((second.body as { items: Array<{ log_id: number }> }).items.map((item) => item.log_id)).toEqual([
      ids.ck1,
      ids.address,
      ids.zoe,
    ]);
    expect(Object.keys(page1.items[0] ?? {}).sort()).toEqual([
      'created',
      'event_name',
      'log_id',
      'response_data',
      'store_id',
      'subscription_id',
      'success',
      'uuid',
    ]);
    const withBodies = await search('uuid:u-ck1', '&bodies=true');
    expect(withBodies.items[0]?.body).toContain('"increment_id":"CK00001"');
    expect((await search('')).total_count).toBe(9);
  });

  it('traces a chain in order with its bodies', async () => {
    const trace = await api('/V1/async_event_logs/u-zoe');
    expect(trace.status).toBe(200);
    const body = trace.body as {
      uuid: string;
      items: Array<{ log_id: number; success: boolean; body: string }>;
    };
    expect(body.items.map((item) => [item.log_id, item.success])).toEqual([
      [ids.zoe, false],
      [ids.zoe2, true],
    ]);
    expect(body.items[0]?.body).toContain('"source":"1"');
    expect((await api('/V1/async_event_logs/unknown-uuid')).status).toBe(404);
    expect((await api('/V1/async_event_logs/bad%20uuid%3B')).status).toBe(400);
  });

  it.each([
    ['regex', 'event_name:/cust.*/', /Regular expressions/],
    ['fuzzy', 'event_name:custmer~', /Fuzzy terms/],
    ['unknown field', 'verification_token:x', /Unknown field/],
    ['bad JSON path', 'data.a.b-c:x', /may only use letters/],
    ['bad number', 'log_id:abc', /whole numbers/],
    ['bad date', 'created:[yesterday TO now]', /is not a date/],
    ['deep nesting', `${'('.repeat(20)}success:true${')'.repeat(20)}`, /deeper than/],
    [
      'too many clauses',
      Array.from({ length: 70 }, (_, i) => `log_id:${i}`).join(' OR '),
      /more than %max clauses/,
    ],
    ['too long', `event_name:${'x'.repeat(3000)}`, /longer than/],
    ['broken syntax', 'event_name:(a OR', /not valid Lucene syntax/],
  ])('refuses %s with a 400', async (_name, q, message) => {
    const answer = await api(`/V1/async_event_logs?q=${encodeURIComponent(q)}`);
    expect(answer.status).toBe(400);
    expect((answer.body as { message: string }).message).toMatch(message);
  });

  it('treats SQL metacharacters and huge wildcards as plain query text', async () => {
    for (const q of [
      "event_name:\"x' OR '1'='1\"",
      "'; DROP TABLE async_event_subscriber_log; --",
      'response_data:%',
      'response_data:_',
      `event_name:${'*'.repeat(200)}a${'*'.repeat(50)}`,
      'data.data.increment_id:"CK%"',
      '\\) OR 1=1 -- ',
    ]) {
      const answer = await api(`/V1/async_event_logs?q=${encodeURIComponent(q)}`);
      expect(answer.status, `${q}: ${answer.text}`).toBe(200);
    }
    expect(await found("event_name:\"x' OR '1'='1\"")).toEqual([]);
    expect(await found('response_data:%')).toEqual([]);
    expect((await search('')).total_count).toBe(9);
    for (const path of ['?pageSize=0', '?pageSize=501', '?currentPage=x', '?q=a&q=b']) {
      expect((await api(`/V1/async_event_logs${path}`)).status, path).toBe(400);
    }
  });
});
