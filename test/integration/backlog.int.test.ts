import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DeliveryControls } from '../../src/config/index.js';
import type { AttemptOutcome } from '../../src/delivery/index.js';
import type { CatalogEvent, EventCatalog, PayloadResolver } from '../../src/magento/index.js';
import { makeMetrics } from '../../src/metrics/index.js';
import {
  type AttemptRecorder,
  type DeliveryRunner,
  makeBacklogDrainer,
  type RunResult,
} from '../../src/pipeline/index.js';
import {
  type HeldDelivery,
  insertHeldDeliveries,
  makeBacklogStore,
  runMigrations,
  type Subscription,
  type SubscriptionCache,
} from '../../src/store/index.js';
import { eventually } from '../helpers/harness.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

/**
 * The backlog of held deliveries against MariaDB: rows written once per subscription and group
 * commit, leased so two drainers never take the same row, drained in order at the subscription's
 * width, paused (with progress kept) on a refusal or an unavailable Magento, dropped for a disabled
 * subscription, cascaded away with a deleted one; deliveries still being made adopted as leased rows.
 */
describe('delivery backlog', () => {
  let db: TestDatabase;
  const logs = captureLogs();

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(db.pool, logs.logger);
  });
  afterAll(async () => {
    await db.remove();
  });

  const subscribe = (eventName = 'sales.order.created') =>
    db.addSubscription({ eventName, recipientUrl: 'http://127.0.0.1:9/hook' });
  const held = (
    subscriptionId: number,
    n: number,
    from = 1,
    eventName = 'sales.order.created',
  ): HeldDelivery[] =>
    Array.from({ length: n }, (_, index) => ({
      subscriptionId,
      uuid: `${subscriptionId}-${from + index}`,
      trigger: { eventName, arguments: JSON.stringify({ id: from + index }), storeId: 0 },
      reason: 'circuit open',
    }));
  const backlog = async (subscriptionId: number) => {
    const [rows] = await db.pool.query<RowDataPacket[]>(
      'SELECT backlog_id, delivery_count, done, lease_owner FROM async_event_sidecar_backlog WHERE subscription_id = ? ORDER BY backlog_id',
      [subscriptionId],
    );
    return rows;
  };

  describe('store', () => {
    const store = () => makeBacklogStore(db.pool);

    it('writes one row per subscription per commit, and nothing twice when a commit is repeated', async () => {
      const [a, b] = [await subscribe(), await subscribe()];
      const batch = [...held(a, 3), ...held(b, 2)];
      await insertHeldDeliveries(db.pool, batch);
      await insertHeldDeliveries(db.pool, batch); // the same group commit, retried
      expect((await backlog(a)).map((row) => Number(row.delivery_count))).toEqual([3]);
      expect((await backlog(b)).map((row) => Number(row.delivery_count))).toEqual([2]);
      // A different commit holding one of the same uuids is a different row (a redelivered trigger).
      await insertHeldDeliveries(db.pool, [...held(a, 1), ...held(a, 1, 10)]);
      expect(await backlog(a)).toHaveLength(2);
      const pending = await store().pending();
      expect(pending.get(a)).toBe(5);
      expect(pending.get(b)).toBe(2);
    });

    it('leases the oldest free row, hands it over after the lease, and keeps progress', async () => {
      const id = await subscribe();
      await insertHeldDeliveries(db.pool, held(id, 2, 1));
      await insertHeldDeliveries(db.pool, held(id, 2, 3));
      const first = await store().claim(id, 'one', 60);
      expect(first?.deliveries.map((delivery) => delivery.uuid)).toEqual([`${id}-1`, `${id}-2`]);
      expect(first?.deliveries[0]?.trigger).toEqual({
        eventName: 'sales.order.created',
        arguments: '{"id":1}',
        storeId: 0,
      });
      // Another drainer gets the next row, not the leased one, then nothing.
      const second = await store().claim(id, 'two', 1);
      expect(second?.deliveries.map((delivery) => delivery.uuid)).toEqual([`${id}-3`, `${id}-4`]);
      expect(await store().claim(id, 'three', 60)).toBeUndefined();
      // Only the owner moves a row; a lease that ran out is taken over with its progress.
      expect(await store().advance(second!, 'one', 1, 1)).toBe(false);
      expect(await store().advance(second!, 'two', 1, 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const takenOver = await store().claim(id, 'three', 60);
      expect(takenOver?.backlogId).toBe(second?.backlogId);
      expect(takenOver?.done).toBe(1);
      expect(await store().advance(second!, 'two', 2, 60)).toBe(false);
      // Released with a wait: nobody takes it before then.
      await store().release(takenOver!, 'three', 1, 60);
      expect(await store().claim(id, 'four', 60)).toBeUndefined();
      await store().remove(first!, 'one');
      expect((await backlog(id)).map((row) => Number(row.done))).toEqual([1]);
    });

    it('hands each row to one of many drainers claiming and removing at once, without lock conflicts', async () => {
      // A locking claim scan deadlocked with another drainer's DELETE now and then (most runs of
      // these 1,500 claims), and the deadlocked DELETE left a drained row leased to be made again.
      const id = await subscribe();
      const claimed: number[] = [];
      for (let round = 0; round < 10; round += 1) {
        await Promise.all(
          Array.from({ length: 150 }, (_, row) =>
            insertHeldDeliveries(db.pool, held(id, 2, round * 1000 + row * 2 + 1)),
          ),
        );
        await Promise.all(
          Array.from({ length: 8 }, async (_, drainer) => {
            for (let claim = 0; ; claim += 1) {
              const owner = `drainer-${drainer}-${claim}`;
              const batch = await store().claim(id, owner, 60);
              if (batch === undefined) {
                return;
              }
              claimed.push(batch.backlogId);
              await store().remove(batch, owner);
            }
          }),
        );
      }
      expect(claimed).toHaveLength(1500);
      expect(new Set(claimed).size).toBe(1500);
      expect(await backlog(id)).toHaveLength(0);
    });

    it('goes with its subscription when the subscription is deleted', async () => {
      const id = await subscribe();
      await insertHeldDeliveries(db.pool, held(id, 2));
      await db.pool.query('DELETE FROM async_event_subscriber WHERE subscription_id = ?', [id]);
      expect(await backlog(id)).toHaveLength(0);
    });
  });

  describe('drainer', () => {
    const controls: DeliveryControls = {
      maxInFlight: 4,
      ratePerSecond: 0,
      standardWebhooks: false,
      cloudEventsMode: 'structured',
      retrySchedule: 'upstream',
      autoDisableAfterS: 0,
    } as unknown as DeliveryControls;
    const event = { definition: { name: 'sales.order.created' } } as unknown as CatalogEvent;
    const catalog = {
      get: (name: string) => (name.toLowerCase() === 'sales.order.created' ? event : undefined),
    } as unknown as EventCatalog;

    interface World {
      subscriptions: Map<number, Subscription>;
      made: string[];
      unresolvable: Array<{ uuid: string; reason: string }>;
      concurrent: { now: number; max: number };
      /** Uuids the runner refuses (circuit open) while listed. */
      refuse: Set<string>;
      magentoDown: boolean;
    }

    const drainerFor = (world: World, options: { leaseS?: number; deliveryTimeoutMs?: number } = {}) => {
      const subscriptions = {
        byIdRefreshing: (id: number) => Promise.resolve(world.subscriptions.get(id)),
      } as unknown as SubscriptionCache;
      const resolver: PayloadResolver = {
        resolve: (_event, args) =>
          Promise.resolve(
            world.magentoDown
              ? { kind: 'retryable', reason: 'Magento answered 503' }
              : { kind: 'resolved', payload: Buffer.from(JSON.stringify(args)), path: '/V1/orders' },
          ),
      };
      const runner: DeliveryRunner = {
        expectedDurationMs: () => 20,
        refusalNow: () => undefined,
        async run({ uuid, body }): Promise<RunResult> {
          if (world.refuse.has(uuid)) {
            return {
              kind: 'deferred',
              reason: 'circuit',
              message: 'the circuit is open',
              delaySeconds: 1,
              controls,
            };
          }
          world.concurrent.now += 1;
          world.concurrent.max = Math.max(world.concurrent.max, world.concurrent.now);
          await new Promise((resolve) => setTimeout(resolve, 20));
          world.concurrent.now -= 1;
          const outcome = { ok: true } as unknown as AttemptOutcome;
          const sent = typeof body === 'function' ? body() : body;
          return { kind: 'attempted', outcome, startedAt: performance.now(), controls, body: sent };
        },
      };
      const recorder = {
        recordFirst: ({ uuid }: { uuid: string }) => {
          world.made.push(uuid);
          return Promise.resolve();
        },
        recordUnresolvable: ({ uuid, reason }: { uuid: string; reason: string }) => {
          world.unresolvable.push({ uuid, reason });
          return Promise.resolve();
        },
      } as unknown as AttemptRecorder;
      return makeBacklogDrainer({
        store: makeBacklogStore(db.pool),
        catalog,
        subscriptions,
        resolver,
        runner,
        recorder,
        payloadFormat: 'cloudevents',
        defaults: controls,
        metrics: makeMetrics({ defaultMetrics: false }),
        logger: logs.logger,
        tickMs: 20,
        scanIntervalMs: 200,
        deliveryTimeoutMs: 1000,
        ...options,
      });
    };
    const worldOf = (ids: number[]): World => ({
      subscriptions: new Map(
        ids.map((id) => [
          id,
          {
            subscriptionId: id,
            eventName: 'sales.order.created',
            recipientUrl: 'http://127.0.0.1:9/hook',
            verificationToken: '',
            active: true,
            metadata: 'http',
            storeId: 0,
          },
        ]),
      ),
      made: [],
      unresolvable: [],
      concurrent: { now: 0, max: 0 },
      refuse: new Set(),
      magentoDown: false,
    });

    it('makes every held delivery once, oldest first, at most max_in_flight at a time, then removes the rows', async () => {
      const id = await subscribe();
      await insertHeldDeliveries(db.pool, held(id, 30, 1));
      await insertHeldDeliveries(db.pool, held(id, 30, 31));
      const world = worldOf([id]);
      const drainer = drainerFor(world);
      drainer.notify(id);
      await eventually(async () => ((await backlog(id)).length === 0 ? true : undefined), 10_000);
      await drainer.stop();
      expect(world.made).toHaveLength(60);
      expect(new Set(world.made).size).toBe(60);
      // The first row is made before the second is claimed.
      expect(world.made.slice(0, 30).every((uuid) => Number(uuid.split('-')[1]) <= 30)).toBe(true);
      expect(world.concurrent.max).toBeGreaterThan(1);
      expect(world.concurrent.max).toBeLessThanOrEqual(4);
    });

    it('pauses on a refusal with its progress kept, and resumes without making the deliveries before it again', async () => {
      const id = await subscribe();
      await insertHeldDeliveries(db.pool, held(id, 10));
      const world = worldOf([id]);
      world.refuse.add(`${id}-6`);
      const drainer = drainerFor(world);
      drainer.notify(id);
      const paused = await eventually(async () => {
        const [row] = await backlog(id);
        return row !== undefined && row.lease_owner === null && Number(row.done) >= 5 ? row : undefined;
      });
      expect(Number(paused.done)).toBe(5); // the refused sixth and everything after it are still held
      world.refuse.clear();
      await eventually(async () => ((await backlog(id)).length === 0 ? true : undefined), 10_000);
      await drainer.stop();
      // At least once: deliveries made after the refused one (in flight beside it) may come again.
      expect(new Set(world.made).size).toBe(10);
      expect(world.made.filter((uuid) => Number(uuid.split('-')[1]) <= 5)).toHaveLength(5);
      expect(logs.find('Backlog paused').some((line) => line.subscriptionId === id)).toBe(true);
    });

    it('waits for Magento, records an event no longer declared as unresolvable, drops a disabled subscription', async () => {
      const [up, disabled] = [await subscribe(), await subscribe()];
      await insertHeldDeliveries(db.pool, [...held(up, 2), ...held(up, 1, 3, 'sales.order.gone')]);
      await insertHeldDeliveries(db.pool, held(disabled, 4));
      const world = worldOf([up, disabled]);
      world.subscriptions.set(disabled, { ...world.subscriptions.get(disabled)!, active: false });
      world.magentoDown = true;
      const drainer = drainerFor(world);
      await eventually(async () => ((await backlog(disabled)).length === 0 ? true : undefined));
      expect(logs.find('Held deliveries dropped: the subscription is disabled')).toContainEqual(
        expect.objectContaining({ subscriptionId: disabled, dropped: 4 }),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(world.made).toEqual([]);
      expect(await backlog(up)).toHaveLength(1);
      world.magentoDown = false;
      // Paused for MAGENTO_PAUSE_S (5 s) after the first refusal.
      await eventually(async () => ((await backlog(up)).length === 0 ? true : undefined), 10_000);
      await drainer.stop();
      expect(world.made).toEqual([`${up}-1`, `${up}-2`]);
      expect(world.unresolvable).toEqual([
        { uuid: `${up}-3`, reason: 'event sales.order.gone is no longer declared' },
      ]);
    }, 20_000);

    /** A delivery the trigger consumer is making, finished by the test. */
    const beingMade = (world: World, id: number, n: number) => {
      const subscription = world.subscriptions.get(id)!;
      let finish: (result: RunResult) => void = () => undefined;
      const running = new Promise<RunResult>((resolve) => {
        finish = resolve;
      });
      const [delivery] = held(id, 1, n);
      const uuid = delivery!.uuid;
      return {
        adoption: {
          delivery: {
            subscription,
            uuid,
            eventName: 'sales.order.created',
            trigger: delivery!.trigger,
            receivedAt: performance.now(),
          },
          running,
        },
        uuid,
        finish,
      };
    };
    const attempted = (): RunResult => ({
      kind: 'attempted',
      outcome: { ok: true } as unknown as AttemptOutcome,
      startedAt: performance.now(),
      controls,
      body: Buffer.from('{}'),
    });

    it('adopts a delivery being made: a leased row nobody drains, removed once the outcome is recorded', async () => {
      const id = await subscribe();
      const world = worldOf([id]);
      const [one, other] = [drainerFor(world), drainerFor(world)];
      const { adoption, uuid, finish } = beingMade(world, id, 1);
      expect(await one.adopt(adoption)).toBe(true);
      const [row] = await backlog(id);
      expect(row?.lease_owner).toEqual(expect.any(String));
      expect(one.inFlight()).toBe(1);
      // The same delivery adopted twice (a redelivered message) is one row: the second backs off.
      expect(await other.adopt(beingMade(world, id, 1).adoption)).toBe(false);
      other.notify(id);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(world.made).toEqual([]); // leased: the other drainer does not make it
      finish(attempted());
      await eventually(async () => ((await backlog(id)).length === 0 ? true : undefined));
      expect(world.made).toEqual([uuid]); // recorded by the drainer, as a first attempt
      // The DELETE is visible to this test's connection a moment before the drainer hears its answer.
      await eventually(() => Promise.resolve(one.inFlight() === 0 || undefined));
      await Promise.all([one.stop(), other.stop()]);
    });

    it('makes an adopted delivery again once its lease ends when its process died, and holds one not admitted', async () => {
      const id = await subscribe();
      const world = worldOf([id]);
      // A lease of 0 s timeout + 1 s: the process "dies" (its delivery never ends) and the lease runs out.
      const dying = drainerFor(world, { leaseS: 1, deliveryTimeoutMs: 0 });
      const lost = beingMade(world, id, 1);
      expect(await dying.adopt(lost.adoption)).toBe(true);
      const survivor = drainerFor(world);
      survivor.notify(id);
      await eventually(() => Promise.resolve(world.made.includes(lost.uuid) || undefined), 10_000);
      // Not admitted after all (still waiting for a slot): the row becomes an ordinary held delivery.
      const refused = beingMade(world, id, 2);
      expect(await survivor.adopt(refused.adoption)).toBe(true);
      refused.finish({ kind: 'deferred', reason: 'concurrency', message: 'full', delaySeconds: 0, controls });
      await eventually(() => Promise.resolve(world.made.includes(refused.uuid) || undefined), 10_000);
      await eventually(async () => ((await backlog(id)).length === 0 ? true : undefined));
      expect(world.made).toEqual([lost.uuid, refused.uuid]);
      await survivor.stop();
      await dying.stop(AbortSignal.timeout(100));
    }, 20_000);

    it('two drainers on one backlog never make a delivery twice', async () => {
      const id = await subscribe();
      for (let row = 0; row < 6; row += 1) {
        await insertHeldDeliveries(db.pool, held(id, 10, row * 10 + 1));
      }
      const world = worldOf([id]);
      const [one, two] = [drainerFor(world), drainerFor(world)];
      one.notify(id);
      two.notify(id);
      await eventually(async () => ((await backlog(id)).length === 0 ? true : undefined), 10_000);
      await Promise.all([one.stop(), two.stop()]);
      expect(world.made).toHaveLength(60);
      expect(new Set(world.made).size).toBe(60);
    });
  });
});
