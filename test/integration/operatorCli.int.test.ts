import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cli } from '../helpers/cli.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The operator commands (search, trace, replay, deadletter:list/redrive) against a running sidecar's
 * services: they read the same environment as `run` and talk to MariaDB and RabbitMQ directly.
 */
describe('operator CLI commands', () => {
  let harness: Harness;
  let failingId: number;
  let okUuid: string;

  beforeAll(async () => {
    harness = await startHarness({ env: { MAX_DEATHS: '0' } });
    const { db, receiver } = harness;
    receiver.respond('/cli-fail', { status: 500 });
    failingId = await db.addSubscription({
      eventName: 'cms.block.created',
      recipientUrl: `${receiver.url}/cli-fail`,
    });
    await db.addSubscription({ eventName: 'sales.order.created', recipientUrl: `${receiver.url}/cli-ok` });
    await settle(400);
    harness.publish('sales.order.created', { id: '5' });
    harness.publish('cms.block.created', { blockId: 1 });
    const [delivered] = await receiver.waitFor(1, { path: '/cli-ok' });
    okUuid = String(delivered?.event?.id);
    await eventually(
      async () =>
        (await harness.vhost.queues()).get('event.failover.deadletter')?.messages === 1 ? true : undefined,
      10_000,
      'the killed delivery',
    );
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('search prints matching attempts, as a table or JSON', async () => {
    const json = await cli(
      ['search', 'success:false AND subscription_id:' + String(failingId), '--json'],
      harness.env,
    );
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as {
      total_count: number;
      items: Array<{ subscription_id: number; success: boolean }>;
    };
    expect(result.total_count).toBeGreaterThanOrEqual(2);
    expect(result.items.every((item) => item.subscription_id === failingId && !item.success)).toBe(true);

    const human = await cli(['search', `uuid:"${okUuid}"`], harness.env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(okUuid);

    const bad = await cli(['search', 'success:(true'], harness.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/query/i);
  });

  it('trace shows every attempt of a chain, and exits 2 for an unknown uuid', async () => {
    const trace = await cli(['trace', okUuid], harness.env);
    expect(trace.code, trace.stderr).toBe(0);
    expect(trace.stdout).toMatch(/#1 .* ok:/);
    expect(trace.stdout).toContain('"type": "sales.order.created"');
    const missing = await cli(['trace', 'no-such-uuid'], harness.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No delivery with uuid no-such-uuid was logged');
  });

  it('replay counts in a dry run and replays for real with --no-dry-run', async () => {
    const { receiver } = harness;
    const dry = await cli(['replay', '--query', `uuid:"${okUuid}"`], harness.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Dry run: 1 chain\(s\) would be replayed/);
    expect(receiver.count('/cli-ok')).toBe(1);

    const real = await cli(['replay', '--query', `uuid:"${okUuid}"`, '--no-dry-run', '--json'], harness.env);
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ dry_run: false, count: 1 });
    await receiver.waitFor(2, { path: '/cli-ok', timeoutMs: 8000 });

    expect((await cli(['replay'], harness.env)).code).toBe(2);
    expect((await cli(['replay', '--log-id', 'x'], harness.env)).code).toBe(2);
  });

  it('deadletter:list shows the killed delivery without consuming it; deadletter:redrive sends it back', async () => {
    const { receiver, vhost } = harness;
    const listed = await cli(
      ['deadletter:list', '--queue', 'event.failover.deadletter', '--json'],
      harness.env,
    );
    expect(listed.code, listed.stderr).toBe(0);
    const [queue] = (
      JSON.parse(listed.stdout) as {
        queues: Array<{ total: number; messages: Array<{ message_id: string; subscription_id: number }> }>;
      }
    ).queues;
    expect(queue?.total).toBe(1);
    expect(queue?.messages[0]?.subscription_id).toBe(failingId);
    expect((await vhost.queues()).get('event.failover.deadletter')?.messages).toBe(1);

    const human = await cli(['deadletter:list'], harness.env);
    expect(human.stdout).toMatch(/event\.failover\.deadletter: 1 message\(s\)/);
    expect(human.stdout).toMatch(/event\.trigger\.invalid: 0 message\(s\)/);

    receiver.respond('/cli-fail', { status: 200 });
    const before = receiver.count('/cli-fail');
    const redrive = await cli(
      [
        'deadletter:redrive',
        '--queue',
        'event.failover.deadletter',
        '--id',
        String(queue?.messages[0]?.message_id),
      ],
      harness.env,
    );
    expect(redrive.code, redrive.stderr).toBe(0);
    expect(redrive.stdout).toMatch(/Re-drove 1 message\(s\)/);
    await receiver.waitFor(before + 1, { path: '/cli-fail', timeoutMs: 8000 });
    expect((await vhost.queues()).get('event.failover.deadletter')?.messages).toBe(0);

    expect(
      (await cli(['deadletter:redrive', '--queue', 'event.failover.deadletter'], harness.env)).code,
    ).toBe(2);
    expect((await cli(['deadletter:list', '--queue', 'event.trigger'], harness.env)).code).toBe(2);
  });

  it('exits 1 with the reason when a dependency is down', async () => {
    const down = await cli(['search', 'success:false'], {
      ...harness.env,
      MYSQL_URL: 'mysql://root@127.0.0.1:1/nothing',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/ECONNREFUSED|connect/i);
  });
});
