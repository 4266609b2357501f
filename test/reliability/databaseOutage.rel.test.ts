import { randomBytes } from 'node:crypto';

import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { countDeliveries, idRange, receivedIds, reproduceCommand, writeAccounting } from './accounting.js';
import { publishAtRate } from './sidecarProcess.js';

const OUTAGE_MS = 30_000;
const RATE = 50;
const TRIGGER_PREFETCH = 100;

/**
 * Fault: MariaDB refuses the sidecar for 30 s while events flow: the sidecar's own database user
 * (created for this test; root is never touched) is locked (`ACCOUNT LOCK`) and its connections are
 * killed, again every second. Consumption must pause (no message is acked without its log row),
 * /readyz must say so, and everything must be delivered and logged after the user is unlocked.
 */
describe('fault: MariaDB unreachable for 30 s', () => {
  let harness: Harness;
  let admin: Connection;
  const user = `sidecar_rel_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');

  beforeAll(async () => {
    harness = await startHarness({ synthesize: true, env: { TRIGGER_PREFETCH: String(TRIGGER_PREFETCH) } });
    admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await admin.query(`GRANT ALL ON \`${harness.db.name}\`.* TO ?@?`, [user, '%']);
    // The sidecar now runs as that user, so the fault hits it alone.
    await harness.restartSidecar({
      MYSQL_URL: `mysql://${user}:${password}@127.0.0.1:3306/${harness.db.name}`,
    });
  });
  afterAll(async () => {
    await admin?.query('ALTER USER ?@? ACCOUNT UNLOCK', [user, '%']).catch(() => undefined);
    await harness?.stop();
    await admin?.query('DROP USER IF EXISTS ?@?', [user, '%']);
    await admin?.end();
  });

  const killConnections = async (): Promise<number> => {
    const [rows] = await admin.query<Array<{ id: number } & RowDataPacket>>(
      'SELECT id FROM information_schema.processlist WHERE user = ?',
      [user],
    );
    for (const { id } of rows) {
      await admin.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined); // may be gone already
    }
    return rows.length;
  };

  const readyz = async (): Promise<{ status: number; body: { checks?: { mysql?: { ok: boolean } } } }> => {
    const response = await fetch(`${harness.sidecar.httpUrl}/readyz`);
    return {
      status: response.status,
      body: (await response.json()) as { checks?: { mysql?: { ok: boolean } } },
    };
  };

  it('pauses consumption, reports not ready, and delivers and logs everything after recovery', async () => {
    const started = Date.now();
    const { db, receiver } = harness;
    const subscriptionId = await db.addSubscription({
      eventName: 'sales.order.updated',
      recipientUrl: `${receiver.url}/orders`,
    });
    await eventually(async () => ((await readyz()).status === 200 ? true : undefined), 10_000, 'ready');
    await new Promise((resolve) => setTimeout(resolve, 400)); // the subscription cache refreshes

    // 5 s before, 30 s during and 5 s after the outage.
    const ids = idRange(70_000, RATE * (OUTAGE_MS / 1000 + 10));
    const publishing = publishAtRate((id) => harness.publish('sales.order.updated', { id }), ids, RATE);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(receiver.count('/orders')).toBeGreaterThan(0);

    await admin.query('ALTER USER ?@? ACCOUNT LOCK', [user, '%']);
    const outageStarted = Date.now();
    let killed = await killConnections();
    let sawNotReady = false;
    let deliveredAfterTwoSeconds: number | undefined;
    while (Date.now() - outageStarted < OUTAGE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      killed += await killConnections();
      const answer = await readyz();
      if (answer.status === 503 && answer.body.checks?.mysql?.ok === false) {
        sawNotReady = true;
      }
      if (Date.now() - outageStarted >= 2000) {
        deliveredAfterTwoSeconds ??= receiver.count('/orders');
      }
    }
    const deliveredDuringOutage = receiver.count('/orders') - (deliveredAfterTwoSeconds ?? 0);
    await admin.query('ALTER USER ?@? ACCOUNT UNLOCK', [user, '%']);
    const outageMs = Date.now() - outageStarted;
    expect(killed).toBeGreaterThan(0);
    expect(sawNotReady).toBe(true);
    // Consumption paused: past the first seconds, at most the in-flight window was delivered
    // (each of those waits for its log row, unacked).
    expect(deliveredDuringOutage).toBeLessThanOrEqual(TRIGGER_PREFETCH);

    await publishing;
    await eventually(
      () => (receivedIds(receiver.requests, ids).size === ids.length ? true : undefined),
      60_000,
      'every event delivered after the outage',
    );
    await eventually(async () => ((await readyz()).status === 200 ? true : undefined), 20_000, 'ready again');
    const rows = await eventually(async () => {
      const found = await db.logRows({ subscriptionId });
      return countDeliveries(receiver.requests, found, ids).unlogged.length === 0 ? found : undefined;
    }, 20_000);
    const count = countDeliveries(receiver.requests, rows, ids);
    expect(count.withoutSuccessRow).toEqual([]);
    expect(count.duplicates).toBe(0);
    // One success row per delivery, also for a log batch whose commit went through while the kill
    // took its acknowledgement: the writer finds its commit mark and does not write it again.
    const successRows = rows.filter((row) => row.success === 1);
    const successUuids = new Set(successRows.map((row) => row.uuid));
    expect(successUuids.size).toBe(ids.length);
    expect(successRows.length).toBe(successUuids.size);
    const recognisedCommits = harness.logs.find(
      'Delivery-log batch found committed after a lost acknowledgement; not written again',
    ).length;
    expect((await harness.vhost.queues()).get('event.trigger')?.messages).toBe(0);

    const accounting = await writeAccounting({
      fault: 'database-outage',
      title: `MariaDB refuses the sidecar's user for ${Math.round(outageMs / 1000)} s (account locked, connections killed every second) at ${RATE} events/s`,
      published: ids.length,
      delivered: count.delivered.size,
      deadLettered: 0,
      duplicates: count.duplicates,
      durationMs: Date.now() - started,
      command: reproduceCommand('databaseOutage.rel.test.ts'),
      notes: `/readyz answered 503 (mysql) during the outage; after its first 2 s only ${deliveredDuringOutage} deliveries happened (in-flight window ${TRIGGER_PREFETCH}), none acked before its row; all rows written after recovery, one success row per delivery${recognisedCommits > 0 ? ` (${recognisedCommits} batch(es) committed as their connection was killed were recognised by their commit mark and not written again)` : ''}.`,
    });
    expect(accounting.lost).toBe(0);
  });
});
