import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventually, type Harness, startHarness } from '../helpers/harness.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function entityIds(harness: Harness, path: string): Set<number> {
  return new Set(
    harness.receiver.requests
      .filter((request) => request.path === path)
      .map((request) => (request.event?.data as { entity_id: number } | undefined)?.entity_id ?? -1),
  );
}

/** Nothing is lost when the broker drops connections or the process is asked to stop. */
describe('resilience', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ synthesize: true, env: { TRIGGER_PREFETCH: '20' } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('reconnects after the broker closes every connection mid-run and loses no event', async () => {
    const { db, receiver, vhost } = harness;
    receiver.respond('/bulk', { status: 200, delayMs: 5 });
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.updated',
      recipientUrl: `${receiver.url}/bulk`,
    });
    await settle(400);

    const ids = Array.from({ length: 300 }, (_, index) => 10_000 + index);
    ids.forEach((id) => harness.publish('sales.order.updated', { id }));
    await receiver.waitFor(40, { path: '/bulk', timeoutMs: 10_000 });
    await vhost.closeAllConnections();
    await harness.reconnect(); // the test's own publishing connection was dropped too

    await eventually(
      () => (entityIds(harness, '/bulk').size >= ids.length ? true : undefined),
      30_000,
      'every order delivered',
    );
    expect([...entityIds(harness, '/bulk')].sort()).toEqual(ids);
    await eventually(
      async () => ((await harness.sidecar.readiness()).ready ? true : undefined),
      10_000,
      'readiness after reconnect',
    );

    // Every delivery was logged; duplicates only from messages in flight when the connection died.
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return found.length >= receiver.count('/bulk') ? found : undefined;
    });
    const duplicates = receiver.count('/bulk') - ids.length;
    expect(duplicates).toBeLessThanOrEqual(20 + 5); // bounded by the prefetch window
    expect(rows.length).toBe(receiver.count('/bulk'));
    expect((await vhost.queues()).get('event.trigger')?.messages).toBe(0);
  });

  it('drains in-flight work on SIGTERM, exits 0, and leaves the rest for the next start', async () => {
    const { db, receiver } = harness;
    await harness.sidecar.close(); // only the CLI process consumes in this test
    receiver.respond('/drain', { status: 200, delayMs: 20 });
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.cancelled',
      recipientUrl: `${receiver.url}/drain`,
    });

    const child = spawn(process.execPath, [CLI, 'run'], {
      env: { ...process.env, ...harness.env, HTTP_PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '8000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(
      () => (output.join('').includes('Consuming event.trigger') ? true : undefined),
      15_000,
      'the CLI to start',
    );

    const ids = Array.from({ length: 200 }, (_, index) => 20_000 + index);
    ids.forEach((id) => harness.publish('sales.order.cancelled', { id }));
    await receiver.waitFor(20, { path: '/drain', timeoutMs: 10_000 });
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(8000);
    expect(output.join('')).toContain('Shutdown complete');

    // Every delivery the stopped process made was logged before it exited (acked after its row).
    const deliveredBeforeStop = receiver.count('/drain');
    // …and acked: exactly the undelivered rest is still queued.
    expect((await harness.vhost.queues()).get('event.trigger')?.messages).toBe(
      ids.length - deliveredBeforeStop,
    );
    const rowsAfterStop = await db.logRows({ subscriptionId });
    expect(rowsAfterStop.length).toBe(deliveredBeforeStop);

    await harness.restartSidecar();
    await eventually(
      () => (entityIds(harness, '/drain').size >= ids.length ? true : undefined),
      30_000,
      'the rest delivered after restart',
    );
    expect([...entityIds(harness, '/drain')].sort()).toEqual(ids);
    expect(receiver.count('/drain') - ids.length).toBe(0); // a graceful stop leaves no duplicates
  });
});
