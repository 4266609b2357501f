/**
 * `npm run bench:search`: the embedded search backend (Lucene → SQL) on the real MariaDB. Fills a
 * scratch database with N log rows shaped like real deliveries (4.x CloudEvent bodies of customers
 * and orders, 10 % failures, spread over 30 days), then times each query of the README several times
 * and prints the median and worst latency with the match count.
 */
import { parseArgs } from 'node:util';

import { createPool } from 'mysql2/promise';

import { createMagentoDatabase, dropDatabase } from '../fixtures/sql/magentoDatabase.js';
import { makeEmbeddedSearch } from '../src/search/index.js';
import { percentile } from './stats.js';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '200000' }, runs: { type: 'string', default: '7' } },
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const ADMIN_URL = 'mysql://root@127.0.0.1:3306/';
const NAME = 'async_events_bench_search';

const QUERIES = [
  'event_name: customer.*',
  '*.created',
  'customer.* AND success: false',
  'data.data.customer_email: customer_4242@example.com',
  'data.data.increment_id: 0000012* AND success: true',
  'created:[now-1d TO now]',
  '(event_name:sales.order.created OR store_id:2) AND NOT response_data:"HTTP 200"',
  'subscription_id:1 AND success:false AND created:[now-7d TO now]',
];

function body(index: number, uuid: string, order: boolean): string {
  const data = order
    ? `{"entity_id":${index},"increment_id":"${String(index).padStart(9, '0')}","customer_email":"customer_${index % 10_000}@example.com","grand_total":${(index % 997) + 0.5},"items":[{"sku":"24-MB0${index % 9}","qty_ordered":1}]}`
    : `{"id":${index},"email":"customer_${index % 10_000}@example.com","firstname":"Veronica","lastname":"Costello","customer_email":"customer_${index % 10_000}@example.com"}`;
  return `{"specversion":"1.0","id":"${uuid}","source":"${index % 3}","type":"${order ? 'sales.order.created' : 'customer.created'}","datacontenttype":"application\\/json","data":${data}}`;
}

async function main(): Promise<void> {
  await dropDatabase(ADMIN_URL, NAME).catch(() => undefined);
  const url = await createMagentoDatabase(ADMIN_URL, NAME);
  const pool = createPool({ uri: url, connectionLimit: 4, timezone: 'Z', dateStrings: true });
  try {
    const subscriptions: unknown[][] = [];
    for (let id = 1; id <= 20; id += 1) {
      const order = id % 2 === 0;
      subscriptions.push([
        id,
        order ? 'sales.order.created' : 'customer.created',
        `https://example.com/${id}`,
        'x',
        'http',
        1,
        id % 3,
      ]);
    }
    await pool.query(
      'INSERT INTO async_event_subscriber (subscription_id, event_name, recipient_url, verification_token, metadata, status, store_id) VALUES ?',
      [subscriptions],
    );
    const now = Date.now();
    const started = performance.now();
    for (let offset = 0; offset < ROWS; offset += 5000) {
      const rows: unknown[][] = [];
      for (let index = offset; index < Math.min(ROWS, offset + 5000); index += 1) {
        const subscription = (index % 20) + 1;
        const uuid = `${index.toString(16).padStart(8, '0')}-bench-uuid`;
        const success = index % 10 !== 0;
        const created = new Date(now - ((ROWS - index) / ROWS) * 30 * 86_400_000)
          .toISOString()
          .slice(0, 19)
          .replace('T', ' ');
        rows.push([
          uuid,
          subscription,
          success ? 1 : 0,
          success ? 'HTTP 200' : 'HTTP 503',
          Buffer.from(body(index, uuid, subscription % 2 === 0)),
          created,
        ]);
      }
      await pool.query(
        'INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data, serialized_data, created) VALUES ?',
        [rows],
      );
    }
    process.stdout.write(
      `Filled ${ROWS.toLocaleString('en')} log rows in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`,
    );

    const search = makeEmbeddedSearch({ pool, timeoutMs: 30_000 });
    process.stdout.write('| Query | Matches | p50 ms | max ms |\n| --- | ---: | ---: | ---: |\n');
    for (const q of QUERIES) {
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < RUNS; run += 1) {
        const begin = performance.now();
        const page = await search.search(q, { pageSize: 20, currentPage: 1, bodies: false });
        times.push(performance.now() - begin);
        total = page.total_count;
      }
      process.stdout.write(
        `| \`${q}\` | ${total.toLocaleString('en')} | ${percentile(times, 50).toFixed(0)} | ${Math.max(...times).toFixed(0)} |\n`,
      );
    }
  } finally {
    await pool.end();
    await dropDatabase(ADMIN_URL, NAME);
  }
}

await main();
