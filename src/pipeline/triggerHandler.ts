import type { ConsumeMessage } from 'amqplib';

import {
  type MessageContext,
  type MessageHandler,
  type Parker,
  QUEUES,
  resolveAttemptOf,
  type TriggerRetryScheduler,
} from '../amqp/index.js';
import type { PayloadFormat } from '../config/index.js';
import { encodeDeliveryBody } from '../delivery/index.js';
import type { CatalogEvent, EventCatalog, PayloadResolver } from '../magento/index.js';
import { parseTriggerMessage, type TriggerMessage } from '../messages/index.js';
import type { EventOutcome, Metrics } from '../metrics/index.js';
import { closeMatches, type Logger, type WeightedBudget } from '../shared/index.js';
import type { HeldDelivery, Subscription, SubscriptionCache, TriggerRecord } from '../store/index.js';
import { type AttemptRecorder, firstAttemptOf, type FirstDelivery } from './attemptRecorder.js';
import type { Adoption } from './backlogDrainer.js';
import type { DeliveryRunner, RunResult } from './deliveryRunner.js';
import { deliveryUuidOf } from './deliveryUuid.js';

export interface TriggerHandlerOptions {
  catalog: EventCatalog;
  subscriptions: SubscriptionCache;
  resolver: PayloadResolver;
  /** Delivers under each subscription's controls (shared with the retry handler). */
  runner: DeliveryRunner;
  recorder: AttemptRecorder;
  parker: Parker;
  triggerRetries: TriggerRetryScheduler;
  payloadFormat: PayloadFormat;
  /** Resolution attempts before the trigger is parked in event.trigger.deadletter. */
  resolveMaxAttempts: number;
  metrics: Metrics;
  logger: Logger;
  /**
   * Deliveries this consumer may have in front of the subscription limits at once: one unit per
   * delivery it attempts, handed back once its outcome is durable (weightedBudget.ts).
   */
  deliveryBudget: WeightedBudget;
  /** A delivery of this subscription was just held in the backlog (wakes the drainer). */
  onHeld?: (subscriptionId: number) => void;
  /**
   * Hands deliveries still running after `afterMs` (ADMISSION_WAIT_MS), or at once for a
   * subscription already known to take longer than that, to the backlog drainer (adopt), so the
   * message can be acked: otherwise one slow subscriber holds its messages for the whole delivery,
   * each a prefetch slot, and the window's acks behind them go one frame each.
   */
  adoption?: { adopt(adoption: Adoption): Promise<boolean>; afterMs: number };
}

/**
 * Handles one `event.trigger` message (design.md §2): parse → catalog → subscribers → resolve the
 * payload once → deliver to every subscriber → record every attempt. A subscriber that cannot take
 * its delivery now (open circuit, limits) gets it held in the backlog instead, and a delivery that
 * is still running after the promptly bound is adopted by the backlog drainer (a leased row).
 * Resolves when every outcome, or adoption, is durable; the consumer then acks. Messages that can
 * never be processed are parked with the reason.
 */
export function makeTriggerHandler(options: TriggerHandlerOptions): MessageHandler {
  const logger = options.logger.child({ component: 'trigger' });
  const count = (outcome: EventOutcome): void => options.metrics.eventsConsumed.inc({ outcome });
  const nextTurn = makeTurnWaiter();

  const park = async (
    queue: string,
    message: ConsumeMessage,
    reason: string,
    context: MessageContext,
  ): Promise<void> => {
    logger.warn(
      { queue, reason, messageId: message.properties.messageId as unknown },
      'Trigger message parked',
    );
    await options.parker.park(queue, message, reason, context.signal);
    options.metrics.parked.inc({ queue });
  };

  /**
   * The attempt's result, or undefined once the backlog drainer has adopted it (it then records the
   * outcome). A refusal by the limits settles within a tick, so the short wait for a subscription
   * known to be slow only catches deliveries that were admitted (or are waiting for a slot).
   */
  const resultUnlessAdopted = async (
    delivery: FirstDelivery,
    running: Promise<RunResult>,
  ): Promise<RunResult | undefined> => {
    const handover = options.adoption;
    if (handover === undefined) {
      return running;
    }
    const slow = options.runner.expectedDurationMs(delivery.subscription.subscriptionId) > handover.afterMs;
    let first: RunResult | undefined;
    if (slow) {
      // A refusal settles in microtasks: waiting for the loop's next turn catches it, and every
      // delivery of this turn shares that wait (a subscriber that is down refuses all of them).
      first = await Promise.race([running, nextTurn()]);
    } else {
      // Per delivery: one timer and one race, cleared in place (no further promise on the hot path).
      let timer: NodeJS.Timeout | undefined;
      try {
        first = await Promise.race([
          running,
          new Promise<undefined>((resolve) => {
            timer = setTimeout(resolve, handover.afterMs, undefined);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    }
    if (first !== undefined) {
      return first;
    }
    return (await handover.adopt({ delivery, running })) ? undefined : running;
  };

  const deliverAll = async (
    event: CatalogEvent,
    trigger: TriggerMessage,
    subscribers: readonly Subscription[],
    payload: Buffer,
    message: ConsumeMessage,
    context: MessageContext,
  ): Promise<void> => {
    const record = triggerRecordOf(trigger);
    const eventName = event.definition.name;
    const hold = async (held: HeldDelivery[]): Promise<void> => {
      await options.recorder.recordHeld(eventName, held);
      for (const { subscriptionId } of held) {
        options.onHeld?.(subscriptionId);
      }
    };
    // A subscriber known to refuse now (its circuit open, no slot soon) is held without a promise
    // chain of its own, together with the event's others: a subscriber that is down refuses every
    // event, and the chain cost more than the rest of the hold (npm run bench, scenario 5).
    const refusedNow: HeldDelivery[] = [];
    const attempting: Array<{ subscription: Subscription; uuid: string }> = [];
    for (const subscription of subscribers) {
      const { subscriptionId } = subscription;
      const uuid = deliveryUuidOf(message.properties.messageId, subscriptionId);
      const refusal = options.runner.refusalNow(subscription);
      if (refusal === undefined) {
        attempting.push({ subscription, uuid });
      } else {
        refusedNow.push({ subscriptionId, uuid, trigger: record, reason: refusal.message });
      }
    }
    // Held deliveries take no units: they carry no body and make no request, and prefetch bounds
    // them (a few hundred bytes each). Charging them starved the healthy subscribers of an event
    // whose others are down: three units per event left DELIVERY_CONCURRENCY ÷ 3 events in flight
    // instead of the prefetch, and the consumer sat idle between group commits (scenario 5).
    const holding = refusedNow.length > 0 ? hold(refusedNow) : undefined;
    if (attempting.length === 0) {
      await holding;
      return;
    }
    // Handled here already: it may fail (the writer closing) while the claim below waits.
    holding?.catch(() => undefined);
    // One unit per attempted delivery, given back once its outcome is durable, not when the
    // attempt ends: deliveries waiting for the log commit (each with its 9 KB body) are then
    // bounded by DELIVERY_CONCURRENCY too, not by prefetch × subscribers (40,000 at a
    // 100-subscriber fan-out, which ran a 128 MB heap out of memory).
    let units = await options.deliveryBudget.claim(attempting.length);
    const releaseUnits = (count: number): void => {
      const back = Math.min(count, units);
      units -= back;
      options.deliveryBudget.release(back);
    };
    const deliverOne = async (subscription: Subscription, uuid: string): Promise<void> => {
      const body = (): Buffer =>
        encodeDeliveryBody({
          format: options.payloadFormat,
          uuid,
          storeId: trigger.storeId,
          eventName: trigger.eventName,
          payload,
        });
      const running = options.runner.run({
        subscription,
        body,
        uuid,
        eventName: trigger.eventName,
        held: true,
      });
      const delivery: FirstDelivery = {
        subscription,
        eventName,
        uuid,
        receivedAt: context.receivedAt,
        trigger: record,
      };
      const result = await resultUnlessAdopted(delivery, running);
      if (result === undefined) {
        return;
      }
      if (result.kind === 'deferred') {
        const { subscriptionId } = subscription;
        await hold([{ subscriptionId, uuid, trigger: record, reason: result.message }]);
        return;
      }
      await options.recorder.recordFirst(firstAttemptOf(delivery, result), context.signal);
    };

    const outcomes: Array<Promise<void>> = [];
    for (const { subscription, uuid } of attempting) {
      outcomes.push(deliverOne(subscription, uuid).finally(() => releaseUnits(1)));
    }
    if (holding !== undefined) {
      outcomes.push(holding);
    }
    try {
      await Promise.all(outcomes);
    } finally {
      // Units of a failed run, and of a claim cut to the whole budget, go back here.
      releaseUnits(units);
    }
  };

  return async (message, context) => {
    const parsed = parseTriggerMessage(message.content);
    if (!parsed.ok) {
      count('invalid');
      await park(QUEUES.triggerInvalid, message, `Malformed trigger message: ${parsed.reason}`, context);
      return;
    }
    const trigger = parsed.value;
    const event = options.catalog.get(trigger.eventName);
    if (event === undefined) {
      count('unknown_event');
      const hints = closeMatches(trigger.eventName, options.catalog.events.keys());
      await park(
        QUEUES.triggerInvalid,
        message,
        `Unknown event "${trigger.eventName}": no async_events.xml declares it${hints.length > 0 ? ` (did you mean ${hints.join(', ')}?)` : ''}`,
        context,
      );
      return;
    }
    const subscribers = options.subscriptions.forEvent(trigger.eventName, trigger.storeId);
    if (subscribers.length === 0) {
      // Nobody listens: skip the Magento request entirely (upstream would resolve and drop it).
      count('no_subscribers');
      return;
    }

    const resolved = await options.resolver.resolve(event, trigger.arguments, trigger.storeId);
    switch (resolved.kind) {
      case 'resolved':
        count('dispatched');
        await deliverAll(event, trigger, subscribers, resolved.payload, message, context);
        return;
      case 'final': {
        count('resolve_final');
        const record = triggerRecordOf(trigger);
        await Promise.all(
          subscribers.map((subscription) =>
            options.recorder.recordUnresolvable({
              subscription,
              eventName: event.definition.name,
              uuid: deliveryUuidOf(message.properties.messageId, subscription.subscriptionId),
              reason: resolved.reason,
              trigger: record,
            }),
          ),
        );
        return;
      }
      case 'retryable': {
        const attempt = resolveAttemptOf(message);
        if (attempt >= options.resolveMaxAttempts) {
          count('resolve_parked');
          await park(
            QUEUES.triggerDeadLetter,
            message,
            `Payload not resolved after ${attempt} attempts: ${resolved.reason}`,
            context,
          );
          return;
        }
        count('resolve_retry');
        logger.warn(
          { eventName: event.definition.name, attempt, reason: resolved.reason },
          'Payload resolution failed; retrying later',
        );
        await options.triggerRetries.schedule(message, attempt, resolved.reason, context.signal);
        options.metrics.retriesScheduled.inc({ kind: 'trigger' });
        return;
      }
    }
  };
}

/**
 * A promise that resolves on the event loop's next turn (setImmediate), one per turn for every
 * caller of that turn: it is settled by then, so it keeps no race's result alive for long.
 */
function makeTurnWaiter(): () => Promise<undefined> {
  let current: Promise<undefined> | undefined;
  return () =>
    (current ??= new Promise<undefined>((resolve) => {
      setImmediate(() => {
        current = undefined;
        resolve(undefined);
      });
    }));
}

/** What a fresh replay needs to resolve the payload again. */
function triggerRecordOf(trigger: TriggerMessage): TriggerRecord {
  return {
    eventName: trigger.eventName,
    arguments: trigger.argumentsJson,
    storeId: trigger.storeId,
  };
}
