import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cli } from '../helpers/cli.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { createTestVhost } from '../helpers/rabbitVhost.js';

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

  it('subscriptions:list shows each subscription with its recent success rate', async () => {
    const listed = await cli(['subscriptions:list', '--json'], harness.env);
    expect(listed.code, listed.stderr).toBe(0);
    const { items } = JSON.parse(listed.stdout) as {
      items: Array<{ subscription_id: number; event_name: string; attempts: number; failed: number }>;
    };
    const failing = items.find((item) => item.subscription_id === failingId);
    expect(failing).toMatchObject({ event_name: 'cms.block.created' });
    expect(failing?.failed).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(items)).not.toMatch(/verification_token|metadata/);

    const filtered = await cli(
      ['subscriptions:list', '--event', 'sales.*', '--status', 'active'],
      harness.env,
    );
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toMatch(/1 subscription\(s\)/);
    expect(filtered.stdout).toMatch(/active +sales\.order\.created +store 0 +100\.0% of +\d+/);
    expect((await cli(['subscriptions:list', '--status', 'paused'], harness.env)).code).toBe(2);
    expect((await cli(['subscriptions:list', '--event', 'nothing.*'], harness.env)).stdout).toMatch(
      /No subscriptions match/,
    );
  });

  it('topology:check finds the running sidecar’s topology in order', async () => {
    const checked = await cli(['topology:check', '--json'], harness.env);
    expect(checked.code, checked.stdout).toBe(0);
    const report = JSON.parse(checked.stdout) as {
      ok: boolean;
      findings: Array<{ name: string; status: string; consumers?: number }>;
    };
    expect(report.ok).toBe(true);
    expect(report.findings.find((finding) => finding.name === 'event.trigger')).toMatchObject({
      status: 'ok',
      consumers: 1,
    });
    expect(report.findings.map((finding) => finding.name)).toEqual(
      expect.arrayContaining([
        'magento',
        'event.failover',
        'event.failover.deadletter',
        'event.trigger.invalid',
      ]),
    );
  });

  it('topology:check reports missing and differently declared entities, and --fix declares the missing ones only', async () => {
    const empty = await createTestVhost('sidecar_topology');
    try {
      const env = { ...harness.env, AMQP_URL: empty.url };
      const missing = await cli(['topology:check'], env);
      expect(missing.code).toBe(3);
      expect(missing.stdout).toMatch(/\[MISS\] exchange +magento/);
      expect(missing.stdout).toMatch(/Run with --fix/);
      expect(await empty.queues()).toEqual(new Map());

      const connection = await connect(empty.url);
      const channel = await connection.createChannel();
      await channel.assertQueue('event.trigger', { durable: true, arguments: { 'x-max-length': 10 } });
      await connection.close();

      const fixed = await cli(['topology:check', '--fix'], env);
      expect(fixed.code).toBe(3);
      expect(fixed.stdout).toMatch(/\[DIFF\] queue +event\.trigger +magento .*x-max-length/);
      expect(fixed.stdout).toMatch(/\[WARN\] queue +event\.failover\.retry .*nobody consumes it/);
      expect(fixed.stdout).toMatch(/\[ok {2}\] exchange +event\.failover/);
      expect([...(await empty.queues()).keys()].sort()).toEqual([
        'event.failover.deadletter',
        'event.failover.invalid',
        'event.failover.retry',
        'event.trigger',
        'event.trigger.deadletter',
        'event.trigger.invalid',
      ]);
    } finally {
      await empty.remove();
    }
  });

  it('exits 1 with the reason when a dependency is down', async () => {
    const down = await cli(['search', 'success:false'], {
      ...harness.env,
      MYSQL_URL: 'mysql://root@127.0.0.1:1/nothing',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/ECONNREFUSED|connect/i);
  });

  it('answers at once, without the password, when RabbitMQ refuses the credentials', async () => {
    const url = new URL(harness.env.AMQP_URL ?? '');
    url.password = 'not-the-password';
    const started = Date.now();
    const refused = await cli(['deadletter:list'], { ...harness.env, AMQP_URL: url.href });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ACCESS.REFUSED/);
    expect(refused.stderr).not.toContain('not-the-password');
    // A service retries a broker that refuses it; an operator's command says so instead of waiting.
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
