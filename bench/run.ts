/**
 * `npm run bench`: the real pipeline end to end on this machine. The sidecar runs as its own process
 * (`dist/cli.js run`, default settings, info logging to /dev/null); this process plays Magento (REST
 * stand-in at 0 ms, publishing triggers the way PHP does) and the receivers.
 *
 * 1. raw limit: plain undici POSTs against the same receiver (64 in flight), for the ratio;
 * 2. throughput: N triggers queued first, then the sidecar drains them: deliveries/s;
 * 3. latency: a steady rate of triggers: publish-to-delivery p50/p95/p99 measured here, and the
 *    sidecar's own consume-to-delivery histogram from /metrics.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

import { connect } from 'amqplib';
import { createPool, type RowDataPacket } from 'mysql2/promise';
import { Agent, request } from 'undici';

import { startMagentoStandIn } from '../fixtures/magento-stand-in/index.js';
import { encodeTrigger, publishLikeMagento } from '../fixtures/magentoPublisher.js';
import { createMagentoDatabase, dropDatabase } from '../fixtures/sql/magentoDatabase.js';
import { startWebhookReceiver } from '../fixtures/webhook-receiver/index.js';
import { encryptMagentoValue, parseCryptKeys } from '../src/magento/index.js';
import { histogramQuantile, percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
  },
});
const EVENTS = Number(args.events);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const NAME = 'async_events_bench';
const CRYPT_KEY = 'base64ERERERERERERERERERERERERERERERERERERERERERE=';
const TOKEN = 'bench-token';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MAGENTO_ROOT = fileURLToPath(new URL('../fixtures/magento-root/', import.meta.url));
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function rawPostRate(url: string, seconds: number): Promise<number> {
  const agent = new Agent({ connections: 64 });
  const body = Buffer.alloc(9000, 0x61);
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < until) {
        const response = await request(`${url}/raw`, {
          method: 'POST',
          body,
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
        });
        await response.body.dump();
        done += 1;
      }
    }),
  );
  await agent.close();
  return done / seconds;
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(5);
  }
}

async function main(): Promise<void> {
  await run('rabbitmqctl', ['--quiet', 'delete_vhost', NAME]).catch(() => undefined);
  await run('rabbitmqctl', ['--quiet', 'add_vhost', NAME]);
  await run('rabbitmqctl', ['--quiet', 'set_permissions', '-p', NAME, 'guest', '.*', '.*', '.*']);
  const amqpUrl = `amqp://guest:guest@127.0.0.1:5672/${NAME}`;
  const mysqlUrl = await createMagentoDatabase('mysql://root@127.0.0.1:3306/', NAME);
  const pool = createPool({ uri: mysqlUrl, connectionLimit: 2 });
  const standIn = await startMagentoStandIn({ token: TOKEN, synthesize: true });
  const counting = await startWebhookReceiver({ record: 'count' });
  const parsing = await startWebhookReceiver();
  const keys = parseCryptKeys(CRYPT_KEY);
  for (const [eventName, url] of [
    ['sales.order.created', `${counting.url}/throughput`],
    ['sales.order.updated', `${parsing.url}/latency`],
  ]) {
    await pool.execute(
      "INSERT INTO async_event_subscriber (event_name, recipient_url, verification_token, status, metadata, store_id) VALUES (?, ?, ?, 1, 'http', 0)",
      [eventName ?? '', url ?? '', encryptMagentoValue('bench-secret', keys)],
    );
  }

  log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  const rawRate = await rawPostRate(counting.url, 5);
  counting.reset();
  log(`raw undici POST rate against the receiver (64 in flight, 9 KB body): ${rawRate.toFixed(0)} req/s`);

  const connection = await connect(amqpUrl);
  const channel = await connection.createChannel();
  // The topology must exist before the sidecar first starts, as Magento's setup:upgrade creates it.
  await channel.assertExchange('magento', 'topic', { durable: true });
  await channel.assertQueue('event.trigger', { durable: true });
  await channel.bindQueue('event.trigger', 'magento', 'event.trigger');
  for (let id = 1; id <= EVENTS; id += 1) {
    if (!publishLikeMagento(channel, encodeTrigger('sales.order.created', { id: String(id) }, 0))) {
      await new Promise((resolve) => channel.once('drain', resolve));
    }
  }
  await channel.checkQueue('event.trigger');
  log(`queued ${EVENTS} triggers (sales.order.created, PHP encoding)`);

  const port = 18080 + Math.floor(Math.random() * 1000);
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of the sidecar there (open it in Chrome DevTools).
  const profile =
    process.env.BENCH_PROFILE === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`];
  const child = spawn(process.execPath, [...profile, CLI, 'run'], {
    env: {
      ...process.env,
      AMQP_URL: amqpUrl,
      MYSQL_URL: mysqlUrl,
      MAGENTO_BASE_URL: standIn.url,
      MAGENTO_TOKEN: TOKEN,
      MAGENTO_CRYPT_KEY: CRYPT_KEY,
      MAGENTO_ROOT,
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      API_TOKENS: 'bench-api-token',
      DESTINATION_ALLOW_CIDRS: '127.0.0.0/8',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = performance.now();
  await waitUntil(() => counting.count('/throughput') >= 1, 30_000, 'the first delivery');
  const first = performance.now();
  await waitUntil(() => counting.count('/throughput') >= EVENTS, 600_000, `${EVENTS} deliveries`);
  const last = performance.now();
  const throughput = EVENTS / ((last - first) / 1000);
  log(
    `throughput: ${EVENTS} deliveries in ${((last - first) / 1000).toFixed(2)} s = ${throughput.toFixed(0)} deliveries/s (${((throughput / rawRate) * 100).toFixed(0)} % of the raw POST rate); first delivery ${(first - started).toFixed(0)} ms after start`,
  );

  // Latency at a steady rate, measured from the publish to the receiver.
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const metricsBefore = await (await fetch(metricsUrl)).text();
  const publishedAt = new Map<number, number>();
  const total = RATE * SECONDS;
  const startAt = performance.now();
  for (let index = 0; index < total; index += 1) {
    const due = startAt + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) {
      await sleep(wait);
    }
    const id = 1_000_000 + index;
    publishedAt.set(id, performance.timeOrigin + performance.now());
    publishLikeMagento(channel, encodeTrigger('sales.order.updated', { id: String(id) }, 0));
  }
  await waitUntil(() => parsing.count('/latency') >= total, 60_000, 'the latency deliveries');
  const latencies = parsing.requests.map((entry) => {
    const id = (entry.event?.data as { entity_id: number }).entity_id;
    return entry.receivedAt - (publishedAt.get(id) ?? Number.NaN);
  });
  const metrics = await (await fetch(metricsUrl)).text();
  const c2d = (q: number) =>
    histogramQuantile(metrics, 'sidecar_consume_to_delivery_seconds', q, metricsBefore) * 1000;
  log(
    `latency at ${RATE} events/s for ${SECONDS} s: publish-to-delivery p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; consume-to-delivery (sidecar histogram bucket bounds) p50 ≤ ${c2d(0.5).toFixed(1)} ms, p99 ≤ ${c2d(0.99).toFixed(1)} ms`,
  );

  const rssKb = Number((await run('ps', ['-o', 'rss=', '-p', String(child.pid)])).stdout.trim());
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const [[rows]] = await pool.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM async_event_subscriber_log WHERE success = 1',
  );
  log(
    `log rows written: ${String(rows?.n)} (expected ${EVENTS + total}); sidecar RSS at the end: ${(rssKb / 1024).toFixed(0)} MB`,
  );

  const result = {
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version },
    rawPostRate: Math.round(rawRate),
    throughput: {
      events: EVENTS,
      deliveriesPerSecond: Math.round(throughput),
      ratioToRawPost: Number((throughput / rawRate).toFixed(2)),
    },
    latency: {
      rate: RATE,
      seconds: SECONDS,
      publishToDeliveryMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      },
      consumeToDeliveryMsUpperBound: { p50: c2d(0.5), p99: c2d(0.99) },
    },
    logRows: Number(rows?.n),
    rssMb: Math.round(rssKb / 1024),
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  log('written to bench/results/latest.json');

  await connection.close();
  await Promise.all([standIn.close(), counting.close(), parsing.close(), pool.end()]);
  await dropDatabase('mysql://root@127.0.0.1:3306/', NAME);
  await run('rabbitmqctl', ['--quiet', 'delete_vhost', NAME]);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
