import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { parseQueueListing } from '../helpers/rabbitVhost.js';

const run = promisify(execFile);

/**
 * A RabbitMQ node of the test's own (own node name, ports, data and log directories under a temp
 * directory), for the one fault that stops a whole broker: the machine's shared broker is never
 * stopped. Durable queues and persistent messages survive its stop/start like a real broker's.
 */
export interface PrivateBroker {
  /** `amqp://guest:guest@127.0.0.1:<port>/` */
  readonly url: string;
  readonly nodeName: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Queue name → messages (ready + unacked) and consumers. */
  queues(): Promise<Map<string, { messages: number; consumers: number }>>;
  /** Stops the node if it runs and deletes its directories. */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export async function createPrivateBroker(): Promise<PrivateBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'sidecar-rabbit-'));
  // rabbitmq-server started as root switches to the rabbitmq user, which must write here.
  await chmod(dir, 0o777);
  const [port, distPort] = [await freePort(), await freePort()];
  const nodeName = `sidecar_rel_${randomBytes(3).toString('hex')}@localhost`;
  await writeFile(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`);
  await writeFile(join(dir, 'enabled_plugins'), '[].\n'); // no management listener to collide
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
  };
  let running = false;
  const ctl = async (...args: string[]): Promise<string> =>
    (await run('rabbitmqctl', ['--quiet', '-n', nodeName, ...args], { timeout: 60_000 })).stdout;

  const logTail = async (): Promise<string> => {
    try {
      const files = await readdir(join(dir, 'log'));
      const log = files.find((file) => file.endsWith('.log') && !file.includes('upgrade'));
      return log === undefined ? '(no log)' : (await readFile(join(dir, 'log', log), 'utf8')).slice(-2000);
    } catch {
      return '(no log directory)';
    }
  };

  const start = async (): Promise<void> => {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('rabbitmq-server', ['-detached'], { env, stdio: 'ignore' });
      child.once('error', (error) =>
        reject(
          new Error(`A private RabbitMQ node cannot be started: rabbitmq-server failed (${error.message})`),
        ),
      );
      child.once('exit', () => resolve());
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await ctl('await_startup', '--timeout', '60');
        running = true;
        return;
      } catch (error: unknown) {
        // The node registers with epmd a moment after -detached returns.
        if (Date.now() > deadline) {
          throw new Error(
            `A private RabbitMQ node (${nodeName}, port ${port}) did not start within 60 s: ${String(error)}\n${await logTail()}`,
            { cause: error },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };

  return {
    url: `amqp://guest:guest@127.0.0.1:${port}/`,
    nodeName,
    start,
    async stop() {
      await ctl('stop');
      running = false;
    },
    async queues() {
      const output = await ctl('list_queues', 'name', 'messages', 'consumers', '--no-table-headers');
      return parseQueueListing(output);
    },
    async remove() {
      if (running) {
        await ctl('stop').catch(() => undefined);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
