import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { type Channel, type ChannelModel, connect } from 'amqplib';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';

import { createMagentoDatabase, dropDatabase } from '../../fixtures/sql/magentoDatabase.js';
import { encryptMagentoValue, parseCryptKeys } from '../../src/magento/index.js';

const run = promisify(execFile);

export const MYSQL_ADMIN_URL = 'mysql://root@127.0.0.1:3306/';
export const CRYPT_KEY = 'base64ERERERERERERERERERERERERERERERERERERERERERE=';
export const MAGENTO_TOKEN = 'bench-token';

/**
 * One scenario's private corner of the shared services: a RabbitMQ vhost and a MariaDB database
 * (Magento's tables), both named after the scenario and removed by `close()`, so scenarios never
 * see each other's messages or rows and other people's tests never see ours.
 */
export interface BenchEnvironment {
  name: string;
  amqpUrl: string;
  mysqlUrl: string;
  pool: Pool;
  /** A plain channel for publishing triggers as Magento does (topology already declared). */
  channel: Channel;
  /** Adds an active `http` subscription (token encrypted as Magento stores it); returns its id. */
  subscribe(eventName: string, recipientUrl: string): Promise<number>;
  /** Messages ready in event.trigger. */
  triggerDepth(): Promise<number>;
  /** Successful log rows so far. */
  successRows(): Promise<number>;
  close(): Promise<void>;
}

export async function openEnvironment(scenario: string): Promise<BenchEnvironment> {
  const name = `async_events_bench_${scenario.replace(/[^a-z0-9]/g, '_')}`;
  await run('rabbitmqctl', ['--quiet', 'delete_vhost', name]).catch(() => undefined);
  await run('rabbitmqctl', ['--quiet', 'add_vhost', name]);
  await run('rabbitmqctl', ['--quiet', 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*']);
  const amqpUrl = `amqp://guest:guest@127.0.0.1:5672/${name}`;
  const mysqlUrl = await createMagentoDatabase(MYSQL_ADMIN_URL, name);
  const pool = createPool({ uri: mysqlUrl, connectionLimit: 2 });
  const connection: ChannelModel = await connect(amqpUrl);
  const channel = await connection.createChannel();
  // The topology exists before the sidecar first starts, as Magento's setup:upgrade creates it.
  await channel.assertExchange('magento', 'topic', { durable: true });
  await channel.assertQueue('event.trigger', { durable: true });
  await channel.bindQueue('event.trigger', 'magento', 'event.trigger');
  const keys = parseCryptKeys(CRYPT_KEY);

  return {
    name,
    amqpUrl,
    mysqlUrl,
    pool,
    channel,
    async subscribe(eventName, recipientUrl) {
      const [result] = await pool.execute<ResultSetHeader>(
        "INSERT INTO async_event_subscriber (event_name, recipient_url, verification_token, status, metadata, store_id) VALUES (?, ?, ?, 1, 'http', 0)",
        [eventName, recipientUrl, encryptMagentoValue('bench-secret', keys)],
      );
      return result.insertId;
    },
    async triggerDepth() {
      return (await channel.checkQueue('event.trigger')).messageCount;
    },
    async successRows() {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM async_event_subscriber_log WHERE success = 1',
      );
      return Number(rows[0]?.n ?? 0);
    },
    async close() {
      await connection.close().catch(() => undefined);
      await pool.end();
      await dropDatabase(MYSQL_ADMIN_URL, name);
      await run('rabbitmqctl', ['--quiet', 'delete_vhost', name]);
    },
  };
}
