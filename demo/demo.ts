/**
 * `npm run demo`: the whole pipeline on this machine's RabbitMQ and MariaDB. Creates a demo vhost and
 * a demo database with Magento's tables, starts the Magento REST stand-in and a webhook receiver,
 * runs the real `async-events-sidecar run` binary, publishes events exactly as PHP does, and prints
 * what was delivered, logged, retried and parked.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { connect } from 'amqplib';
import { createPool, type RowDataPacket } from 'mysql2/promise';

import { startMagentoStandIn } from '../fixtures/magento-stand-in/index.js';
import { encodeTrigger, publishLikeMagento } from '../fixtures/magentoPublisher.js';
import { createMagentoDatabase } from '../fixtures/sql/magentoDatabase.js';
import { startWebhookReceiver, verifyMagentoSignature } from '../fixtures/webhook-receiver/index.js';
import { encryptMagentoValue, parseCryptKeys } from '../src/magento/index.js';

const NAME = 'async_events_demo';
const AMQP_BASE = process.env.DEMO_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';
const MYSQL_ADMIN = process.env.DEMO_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
const CRYPT_KEY = 'base64ERERERERERERERERERERERERERERERERERERERERERE=';
const TOKEN = 'demo-integration-token';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MAGENTO_ROOT = fileURLToPath(new URL('../fixtures/magento-root/', import.meta.url));
// The thin module's webapi.xml declares the batch resolve route (events without a GET route use it).
const MODULE_ETC = fileURLToPath(new URL('../magento-module/etc/', import.meta.url));
const run = promisify(execFile);

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A vhost of its own keeps the demo away from anything else on the broker; '/' when rabbitmqctl is missing. */
async function demoVhost(): Promise<{ url: string; remove: () => Promise<void> }> {
  try {
    await run('rabbitmqctl', ['--quiet', 'delete_vhost', NAME]).catch(() => undefined);
    await run('rabbitmqctl', ['--quiet', 'add_vhost', NAME]);
    await run('rabbitmqctl', ['--quiet', 'set_permissions', '-p', NAME, 'guest', '.*', '.*', '.*']);
    const url = new URL(AMQP_BASE);
    url.pathname = `/${NAME}`;
    return {
      url: url.href,
      remove: async () => void (await run('rabbitmqctl', ['--quiet', 'delete_vhost', NAME])),
    };
  } catch {
    say(`(rabbitmqctl is not available: using ${AMQP_BASE} as it is)`);
    return { url: AMQP_BASE, remove: () => Promise.resolve() };
  }
}

function startSidecar(env: Record<string, string>): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [CLI, 'run'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffered = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sidecar exited with code ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === 'Consuming event.trigger and event.failover.retry') {
          resolve();
        }
        if (entry.kind !== 'no-route') {
          const context = ['eventName', 'subscriptionId', 'status', 'next', 'reason', 'queue']
            .filter((key) => entry[key] !== undefined)
            .map((key) => `${key}=${String(entry[key])}`)
            .join(' ');
          say(
            `  sidecar │ ${String(entry.level).padEnd(5)} ${String(entry.msg)}${context ? `  (${context})` : ''}`,
          );
        }
      }
    });
  });
  child.stderr?.pipe(process.stderr);
  return { child, ready };
}

async function main(): Promise<void> {
  say('async-events-sidecar demo');
  say('=========================');
  const vhost = await demoVhost();
  const mysqlUrl = await createMagentoDatabase(MYSQL_ADMIN, NAME);
  const pool = createPool({ uri: mysqlUrl, connectionLimit: 2, dateStrings: true });
  const standIn = await startMagentoStandIn({ token: TOKEN });
  const receiver = await startWebhookReceiver();
  receiver.respond('/erp', [
    { status: 503, body: 'ERP is restarting' },
    { status: 200, body: '{"imported":true}' },
  ]);
  receiver.respond('/gone', { status: 410, body: 'This endpoint was retired' });
  say(`Magento REST stand-in: ${standIn.url}   webhook receiver: ${receiver.url}`);
  say(`RabbitMQ: ${vhost.url.replace(/\/\/[^@]*@/, '//')}   MySQL: ${mysqlUrl}`);

  const keys = parseCryptKeys(CRYPT_KEY);
  const subscriptions: Array<[string, string, number, string]> = [
    ['sales.order.created', '/crm', 0, 'crm-secret'],
    ['sales.order.created', '/erp', 1, 'erp-secret'],
    ['customer.created', '/crm', 0, 'crm-secret'],
    ['cms.page.updated', '/crm', 1, 'crm-secret'],
    ['catalog.product.created', '/crm', 0, 'crm-secret'],
    ['sales.invoice.created', '/gone', 0, 'old-secret'],
  ];
  for (const [eventName, path, storeId, token] of subscriptions) {
    await pool.execute(
      `INSERT INTO async_event_subscriber (event_name, recipient_url, verification_token, status, subscribed_at, metadata, store_id)
       VALUES (?, ?, ?, 1, UTC_TIMESTAMP(), 'http', ?)`,
      [eventName, `${receiver.url}${path}`, encryptMagentoValue(token, keys), storeId],
    );
  }
  say(
    `\n${subscriptions.length} subscriptions created in async_event_subscriber (tokens encrypted like Magento does).`,
  );

  say('\nStarting the sidecar (dist/cli.js run):');
  const sidecar = startSidecar({
    AMQP_URL: vhost.url,
    MYSQL_URL: mysqlUrl,
    MAGENTO_BASE_URL: standIn.url,
    MAGENTO_TOKEN: TOKEN,
    MAGENTO_CRYPT_KEY: CRYPT_KEY,
    MAGENTO_ROOT,
    ASYNC_EVENTS_PATHS: MODULE_ETC,
    HTTP_PORT: '0',
    MAX_DEATHS: '2',
    API_TOKENS: 'demo-api-token',
    DESTINATION_ALLOW_CIDRS: '127.0.0.0/8',
    SUBSCRIPTION_REFRESH_MS: '500',
  });
  await sidecar.ready;

  say('\nPublishing like Magento (exchange magento, routing key event.trigger, PHP json_encode):');
  const connection = await connect(vhost.url);
  const channel = await connection.createChannel();
  const triggers: Array<[string, Buffer]> = [
    [
      'sales.order.created #5 for store 1 (3.x: numeric store id)',
      encodeTrigger('sales.order.created', { id: '5' }, 1, 'number'),
    ],
    [
      'customer.created #1 (mageos-common: no store id)',
      encodeTrigger('customer.created', { customerId: '1' }, 0, 'absent'),
    ],
    [
      'cms.page.updated #1 for store "1" (4.0.x: string store id)',
      encodeTrigger('cms.page.updated', { pageId: '1' }, 1, 'string'),
    ],
    [
      'catalog.product.created #1 (no REST GET route)',
      encodeTrigger('catalog.product.created', { productId: '1' }),
    ],
    ['sales.invoice.created #3 (receiver answers 410)', encodeTrigger('sales.invoice.created', { id: 3 })],
    ['sales.order.created #999 (Magento answers 404)', encodeTrigger('sales.order.created', { id: 999 })],
    ['a malformed message', Buffer.from('["sales.order.created",{"id":5}]')],
    ['an unknown event', encodeTrigger('sales.order.creatd', { id: 5 })],
  ];
  for (const [label, body] of triggers) {
    say(`  → ${label}: ${body.toString()}`);
    publishLikeMagento(channel, body);
  }

  const expectedRows = 9;
  const deadline = Date.now() + 20_000;
  let rows: RowDataPacket[] = [];
  while (Date.now() < deadline) {
    [rows] = await pool.query<RowDataPacket[]>(
      'SELECT l.log_id, l.uuid, l.subscription_id, s.event_name, l.success, l.response_data, LENGTH(l.serialized_data) AS body_bytes, l.created FROM async_event_subscriber_log l JOIN async_event_subscriber s USING (subscription_id) ORDER BY l.log_id',
    );
    if (rows.length >= expectedRows) {
      break;
    }
    await sleep(200);
  }
  await sleep(300);

  say('\nDelivered (as the receiver saw them):');
  const secrets: Record<string, string> = {
    '/crm': 'crm-secret',
    '/erp': 'erp-secret',
    '/gone': 'old-secret',
  };
  for (const request of receiver.requests) {
    const signature = String(request.headers['x-magento-signature']);
    const valid = verifyMagentoSignature(request.rawBody, signature, secrets[request.path] ?? '');
    say(
      `  ${request.path.padEnd(6)} ${String(request.event?.type ?? '?').padEnd(22)} id=${String(request.event?.id).slice(0, 8)}… source=${String(request.event?.source)} ${request.rawBody.length} bytes, signature ${valid ? 'valid' : 'INVALID'}`,
    );
  }

  say('\nLogged in async_event_subscriber_log:');
  for (const row of rows) {
    const response = String(row.response_data).replace(/\s+/g, ' ').slice(0, 90);
    say(
      `  #${String(row.log_id).padEnd(3)} sub ${String(row.subscription_id)} ${String(row.event_name).padEnd(24)} ${row.success === 1 ? 'ok  ' : 'FAIL'} uuid=${String(row.uuid).slice(0, 8)}… body=${String(row.body_bytes ?? 0)}B  ${response}`,
    );
  }
  const chains = new Map<string, number>();
  rows.forEach((row) => chains.set(String(row.uuid), (chains.get(String(row.uuid)) ?? 0) + 1));
  const retried = [...chains].filter(([, attempts]) => attempts > 1);
  say(
    `\nRetried: ${retried.map(([uuid, attempts]) => `${uuid.slice(0, 8)}… ${attempts} attempts`).join(', ') || 'none'}`,
  );

  say('\nParked with a reason:');
  for (const queue of ['event.trigger.invalid', 'event.trigger.deadletter', 'event.failover.deadletter']) {
    for (
      let message = await channel.get(queue, { noAck: true });
      message !== false;
      message = await channel.get(queue, { noAck: true })
    ) {
      say(
        `  ${queue}: ${String(message.properties.headers?.['x-sidecar-reason'] ?? message.content.toString().slice(0, 80))}`,
      );
    }
  }

  sidecar.child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => sidecar.child.once('exit', resolve));
  say(`\nThe sidecar stopped on SIGTERM with exit code ${code}.`);
  await connection.close();
  await Promise.all([standIn.close(), receiver.close(), pool.end()]);
  await vhost.remove();
  say(
    `The demo database ${NAME} is kept for a look: mysql -uroot ${NAME} -e 'SELECT * FROM async_event_subscriber_log\\G'`,
  );
  const complete = rows.length >= expectedRows;
  if (!complete) {
    say(`Expected ${expectedRows} log rows, found ${rows.length}.`);
  }
  process.exitCode = complete && code === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
