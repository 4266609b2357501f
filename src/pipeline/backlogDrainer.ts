import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type { DeliveryControls, PayloadFormat } from '../config/index.js';
import type { EventCatalog, PayloadResolver } from '../magento/index.js';
import type { Metrics } from '../metrics/index.js';
import { coerceError, type Logger, untilAborted } from '../shared/index.js';
import {
  type BacklogBatch,
  type BacklogStore,
  effectiveControls,
  type Subscription,
  type SubscriptionCache,
} from '../store/index.js';
import { type AttemptRecorder, firstAttemptOf, type FirstDelivery } from './attemptRecorder.js';
import type { DeliveryRunner, RunResult } from './deliveryRunner.js';
import { resolveRecordedTrigger } from './recordedTrigger.js';

/**
 * Sends the deliveries held in `async_event_sidecar_backlog`, oldest row first, at the pace the
 * subscription takes them: one delivery alone first (a refusal then costs one Magento request),
 * then up to its max_in_flight at once, each through the same delivery runner as the consumers
 * (circuit, limits, health) and recorded as a first attempt (log row, retry chain on failure).
 * A refusal, or Magento being unavailable, gives the row back with its progress and pauses the
 * subscription for the refusal's wait. Rows are leased, so replicas share a backlog; a lease left by
 * a crash expires and the row is taken again (its unfinished deliveries are made again with the
 * same uuid: at least once).
 *
 * It also adopts first deliveries that are still being made when their message should be acked
 * (a slow subscriber, triggerHandler.ts): each is kept as a row leased to this process until its
 * outcome is durable, so a crash leaves it to be drained once the lease ends.
 *
 * States per subscription: known (may have a backlog) → draining → drained (forgotten) or paused
 * until a time. States per adopted delivery: leased row written → being made → recorded, row
 * removed (or, if not admitted after all, row released as an ordinary held delivery).
 */
export interface BacklogDrainer {
  /** Deliveries being made from the backlog now. */
  inFlight(): number;
  /** A delivery of this subscription was just held: drain it soon. */
  notify(subscriptionId: number): void;
  /** Held deliveries not made yet, per subscription, as last counted. */
  counts(): Iterable<readonly [number, number]>;
  /**
   * Takes over a first delivery that is still being made, so its message can be acked now: true
   * once its leased row is committed. False when no row could be written (or the drainer is
   * stopping): the caller then waits for the delivery itself.
   */
  adopt(adoption: Adoption): Promise<boolean>;
  /**
   * Stops taking rows, lets the deliveries in flight finish and gives every row back; returns
   * when `signal` aborts if that comes first (a row left leased is taken again once its lease ends).
   */
  stop(signal?: AbortSignal): Promise<void>;
}

/** A first delivery being made by the trigger consumer, handed over before it ends. */
export interface Adoption {
  delivery: FirstDelivery;
  /** The delivery runner's promise of it. */
  running: Promise<RunResult>;
}

export interface BacklogDrainerOptions {
  store: BacklogStore;
  catalog: EventCatalog;
  subscriptions: SubscriptionCache;
  resolver: PayloadResolver;
  runner: DeliveryRunner;
  recorder: AttemptRecorder;
  payloadFormat: PayloadFormat;
  /** Controls of subscriptions without their own (SUBSCRIPTION_*): the drain width is max_in_flight. */
  defaults: DeliveryControls;
  metrics: Metrics;
  logger: Logger;
  /** How often the whole backlog is counted (rows held by other replicas, the gauge). @default 5000 */
  scanIntervalMs?: number;
  /** How often paused and notified subscriptions are looked at. @default 250 */
  tickMs?: number;
  /** A claimed row is the drainer's for this long, extended while it makes progress. @default 60 */
  leaseS?: number;
  /** DELIVERY_TIMEOUT_MS: an adopted delivery's row is leased for this plus `leaseS`. */
  deliveryTimeoutMs: number;
}

/** Pause after Magento could not resolve a held delivery's payload for now. */
const MAGENTO_PAUSE_S = 5;
/** Pause after the backlog table itself failed (database outage). */
const STORE_PAUSE_S = 5;
/** Progress is written (and the lease extended) at least this often while a row drains. */
const ADVANCE_EVERY_MS = 5000;

type DeliveryResult = { kind: 'made' } | { kind: 'paused'; afterS: number; reason: string };

export function makeBacklogDrainer(options: BacklogDrainerOptions): BacklogDrainer {
  const logger = options.logger.child({ component: 'backlog' });
  const leaseS = options.leaseS ?? 60;
  const instance = `${hostname().slice(0, 30)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let claims = 0;
  /** A lease owner per claim, so releasing one claim can never touch another of this process. */
  const nextOwner = (): string => `${instance}:${(claims += 1)}`;
  /** Subscriptions that may have held deliveries, and when to look at them again (performance.now()). */
  const known = new Map<number, number>();
  const draining = new Map<number, Promise<void>>();
  let counted = new Map<number, number>();
  let inFlight = 0;
  let stopping = false;
  const adopted = new Set<Promise<void>>();
  // Long enough for the attempt (bounded by the delivery timeout) and its log commit.
  const adoptedLeaseS = Math.ceil(options.deliveryTimeoutMs / 1000) + leaseS;

  const makeDelivery = async (
    subscription: Subscription,
    held: BacklogBatch['deliveries'][number],
  ): Promise<DeliveryResult> => {
    const { uuid, trigger } = held;
    const resolved = await resolveRecordedTrigger(options, trigger, uuid);
    if (resolved.kind === 'retryable') {
      return { kind: 'paused', afterS: MAGENTO_PAUSE_S, reason: `Magento: ${resolved.reason}` };
    }
    if (resolved.kind !== 'resolved') {
      await options.recorder.recordUnresolvable({
        subscription,
        eventName: resolved.kind === 'undeclared' ? 'unknown' : trigger.eventName.toLowerCase(),
        uuid,
        reason: resolved.reason,
        trigger,
      });
      return { kind: 'made' };
    }
    const receivedAt = performance.now();
    const eventName = resolved.event.definition.name;
    const result = await options.runner.run({
      subscription,
      body: resolved.body,
      uuid,
      eventName,
      held: true,
    });
    if (result.kind === 'deferred') {
      return { kind: 'paused', afterS: result.delaySeconds, reason: result.message };
    }
    await options.recorder.recordFirst(
      firstAttemptOf({ subscription, eventName, uuid, receivedAt, trigger }, result),
    );
    return { kind: 'made' };
  };

  /** Makes the row's deliveries from its progress on; returns the pause that stopped it, if any. */
  const drainBatch = async (
    subscription: Subscription,
    batch: BacklogBatch,
    owner: string,
  ): Promise<{ afterS: number; reason: string } | undefined> => {
    const total = batch.deliveries.length;
    let next = batch.done;
    let done = batch.done;
    const finishedAhead = new Set<number>();
    let pause: { afterS: number; reason: string } | undefined;
    let lastAdvance = performance.now();

    const makeNext = async (): Promise<void> => {
      const index = next;
      const held = batch.deliveries[index];
      if (held === undefined) {
        return;
      }
      next += 1;
      inFlight += 1;
      const result = await makeDelivery(subscription, held).finally(() => {
        inFlight -= 1;
      });
      if (result.kind === 'paused') {
        pause ??= { afterS: result.afterS, reason: result.reason };
        return;
      }
      // Progress is the run of made deliveries from the start; later ones wait in the set.
      finishedAhead.add(index);
      while (finishedAhead.delete(done)) {
        done += 1;
      }
      if (performance.now() - lastAdvance >= ADVANCE_EVERY_MS) {
        lastAdvance = performance.now();
        if (!(await options.store.advance(batch, owner, done, leaseS))) {
          pause ??= { afterS: 0, reason: 'the lease was lost' };
        }
      }
    };
    const keepGoing = (): boolean => pause === undefined && !stopping && next < total;

    // One delivery alone first: a subscription that still refuses costs one resolution, not a width.
    await makeNext();
    const controls = effectiveControls(subscription.controls ?? {}, options.defaults);
    const width = Math.max(1, Math.min(controls.maxInFlight, total - next));
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (keepGoing()) {
          await makeNext();
        }
      }),
    );
    if (done === total) {
      await options.store.remove(batch, owner);
      return undefined;
    }
    const stopped = pause ?? { afterS: 0, reason: 'shutting down' };
    await options.store.release(batch, owner, done, stopped.afterS);
    return stopped;
  };

  /** Records an adopted delivery's outcome, then removes its row; failures leave the row to its lease. */
  const finishAdopted = async (
    { delivery, running }: Adoption,
    batch: BacklogBatch,
    owner: string,
  ): Promise<void> => {
    const { subscription, uuid } = delivery;
    try {
      const result = await running;
      if (result.kind === 'deferred') {
        // Not admitted after all (it was still waiting for a slot): an ordinary held delivery now.
        await options.store.release(batch, owner, 0, result.delaySeconds);
        known.set(subscription.subscriptionId, performance.now() + result.delaySeconds * 1000);
        return;
      }
      await options.recorder.recordFirst(firstAttemptOf(delivery, result));
      await options.store.remove(batch, owner);
    } catch (error: unknown) {
      logger.warn(
        { err: coerceError(error), subscriptionId: subscription.subscriptionId, deliveryId: uuid },
        'Adopted delivery not finished; it is made again from the backlog when its lease ends',
      );
    }
  };

  const dropBacklog = async (subscriptionId: number, why: string): Promise<void> => {
    for (;;) {
      const owner = nextOwner();
      const batch = await options.store.claim(subscriptionId, owner, leaseS);
      if (batch === undefined) {
        return;
      }
      await options.store.remove(batch, owner);
      logger.info(
        { subscriptionId, dropped: batch.deliveries.length - batch.done },
        `Held deliveries dropped: ${why}`,
      );
    }
  };

  /** Drains a subscription's rows until they are gone or one pauses; returns when to look again. */
  const drain = async (subscriptionId: number): Promise<number | undefined> => {
    const subscription = await options.subscriptions.byIdRefreshing(subscriptionId);
    if (subscription?.active !== true) {
      // As upstream ends the retry chains of a disabled subscription (a deleted one's rows cascade).
      await dropBacklog(
        subscriptionId,
        subscription === undefined ? 'the subscription no longer exists' : 'the subscription is disabled',
      );
      return undefined;
    }
    while (!stopping) {
      const owner = nextOwner();
      const batch = await options.store.claim(subscriptionId, owner, leaseS);
      if (batch === undefined) {
        return undefined;
      }
      logger.info(
        { subscriptionId, backlogId: batch.backlogId, held: batch.deliveries.length - batch.done },
        'Draining held deliveries',
      );
      const paused = await drainBatch(subscription, batch, owner);
      if (paused !== undefined) {
        logger.info(
          { subscriptionId, backlogId: batch.backlogId, reason: paused.reason, retryInS: paused.afterS },
          'Backlog paused',
        );
        return performance.now() + paused.afterS * 1000;
      }
    }
    return performance.now();
  };

  const start = (subscriptionId: number): void => {
    const run = drain(subscriptionId)
      .then((lookAgainAt) => {
        if (lookAgainAt === undefined) {
          known.delete(subscriptionId);
        } else {
          known.set(subscriptionId, lookAgainAt);
        }
      })
      .catch((error: unknown) => {
        logger.warn({ err: coerceError(error), subscriptionId }, 'Backlog drain failed; trying again later');
        known.set(subscriptionId, performance.now() + STORE_PAUSE_S * 1000);
      })
      .finally(() => draining.delete(subscriptionId));
    draining.set(subscriptionId, run);
  };

  const tick = (): void => {
    const now = performance.now();
    for (const [subscriptionId, lookAt] of known) {
      if (!stopping && lookAt <= now && !draining.has(subscriptionId)) {
        start(subscriptionId);
      }
    }
  };

  const scan = async (): Promise<void> => {
    try {
      counted = await options.store.pending();
      for (const [subscriptionId, held] of counted) {
        if (held > 0 && !known.has(subscriptionId)) {
          known.set(subscriptionId, 0);
        }
      }
    } catch (error: unknown) {
      logger.warn({ err: coerceError(error) }, 'Backlog not counted; trying again later');
    }
  };

  const ticker = setInterval(tick, options.tickMs ?? 250);
  ticker.unref();
  let scanning: Promise<void> = scan();
  const scanner = setInterval(() => {
    scanning = scanning.then(scan);
  }, options.scanIntervalMs ?? 5000);
  scanner.unref();

  return {
    inFlight: () => inFlight,
    notify(subscriptionId) {
      if (!known.has(subscriptionId)) {
        known.set(subscriptionId, 0);
      }
    },
    counts: () => counted,
    async adopt(adoption) {
      if (stopping) {
        return false;
      }
      const owner = nextOwner();
      const { subscriptionId } = adoption.delivery.subscription;
      let batch: BacklogBatch | undefined;
      try {
        batch = await options.store.adopt(
          {
            subscriptionId,
            uuid: adoption.delivery.uuid,
            trigger: adoption.delivery.trigger,
            reason: 'adopted while being delivered: made again if its lease ends first',
          },
          owner,
          adoptedLeaseS,
        );
      } catch (error: unknown) {
        logger.warn(
          { err: coerceError(error), subscriptionId },
          'Delivery not adopted; its message waits for it',
        );
        return false;
      }
      if (batch === undefined) {
        return false;
      }
      options.metrics.adopted.inc({ subscription: String(subscriptionId) });
      inFlight += 1;
      const finishing = finishAdopted(adoption, batch, owner).finally(() => {
        inFlight -= 1;
        adopted.delete(finishing);
      });
      adopted.add(finishing);
      return true;
    },
    async stop(signal) {
      stopping = true;
      clearInterval(ticker);
      clearInterval(scanner);
      const finished = Promise.all([scanning, ...draining.values(), ...adopted]).then(() => undefined);
      await (signal === undefined ? finished : untilAborted(finished, signal));
    },
  };
}
