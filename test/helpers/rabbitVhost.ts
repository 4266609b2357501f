import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

import { requireService } from './services.js';

const run = promisify(execFile);

async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['--quiet', ...args], { timeout: 30_000 });
  return stdout;
}

export interface TestVhost {
  name: string;
  /** AMQP URL for guest on this vhost. */
  url: string;
  /** Closes every client connection of the vhost, as `rabbitmqctl close_all_connections` does. */
  closeAllConnections(): Promise<void>;
  /** Client connections open on this vhost. */
  connectionCount(): Promise<number>;
  /** Queue names and message counts (ready + unacked). */
  queues(): Promise<Map<string, { messages: number; consumers: number }>>;
  remove(): Promise<void>;
}

/** A fresh vhost per test file (`rabbitmqctl add_vhost`), so files never see each other's queues. */
export async function createTestVhost(prefix = 'sidecar_test'): Promise<TestVhost> {
  await requireService('RabbitMQ');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
  return {
    name,
    url: `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(name)}`,
    async closeAllConnections() {
      await rabbitmqctl('close_all_connections', '-p', name, 'test: dropping connections');
    },
    async connectionCount() {
      const output = await rabbitmqctl('list_connections', 'vhost', '--no-table-headers');
      return output.split('\n').filter((line) => line.trim() === name).length;
    },
    async queues() {
      const output = await rabbitmqctl(
        'list_queues',
        '-p',
        name,
        'name',
        'messages',
        'consumers',
        '--no-table-headers',
      );
      return parseQueueListing(output);
    },
    async remove() {
      await rabbitmqctl('delete_vhost', name);
    },
  };
}

/** Reads `rabbitmqctl list_queues name messages consumers --no-table-headers` output. */
export function parseQueueListing(output: string): Map<string, { messages: number; consumers: number }> {
  const queues = new Map<string, { messages: number; consumers: number }>();
  for (const line of output.split('\n')) {
    const [queue, messages, consumers] = line.trim().split(/\s+/);
    if (queue !== undefined && queue !== '' && messages !== undefined) {
      queues.set(queue, { messages: Number(messages), consumers: Number(consumers ?? 0) });
    }
  }
  return queues;
}
