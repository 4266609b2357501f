import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';

import { makeLogger, makeWeightedBudget } from '../shared/index.js';
import type { Subscription } from '../store/index.js';
import type { Adoption } from './backlogDrainer.js';
import { deliveryUuidOf } from './deliveryUuid.js';
import { makeTriggerHandler, type TriggerHandlerOptions } from './triggerHandler.js';

/** A promise with its resolver, to hold the log commit open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const subscribers = [1, 2, 3].map((subscriptionId) => ({ subscriptionId }) as unknown as Subscription);

/** A trigger for sales.order.created as Magento publishes it: [event name, JSON-encoded arguments, store id]. */
function triggerMessage(messageId: string): ConsumeMessage {
  return {
    content: Buffer.from(JSON.stringify(['sales.order.created', JSON.stringify({ id: '5' }), 0])),
    properties: { messageId, headers: {} },
    fields: { deliveryTag: 1 },
  } as unknown as ConsumeMessage;
}

/** A successful attempt, as the delivery runner reports it. */
function attempted() {
  return {
    kind: 'attempted',
    outcome: { ok: true, status: 200, responseData: 'ok' },
    startedAt: performance.now(),
    controls: {},
    body: Buffer.from('{}'),
  };
}

/** The handler for `subscribers`, with Magento answering at once; the test gives runner and recorder. */
function handlerWith(parts: Partial<Record<keyof TriggerHandlerOptions, unknown>>) {
  return makeTriggerHandler({
    catalog: { get: () => ({ definition: { name: 'sales.order.created' } }), events: new Map() },
    subscriptions: { forEvent: () => subscribers },
    resolver: { resolve: () => Promise.resolve({ kind: 'resolved', payload: Buffer.from('{}') }) },
    metrics: { eventsConsumed: { inc: () => undefined } },
    logger: makeLogger({ level: 'silent' }),
    deliveryBudget: makeWeightedBudget(10),
    payloadFormat: 'legacy',
    ...parts,
  } as unknown as TriggerHandlerOptions);
}

const handling = () => ({ signal: new AbortController().signal, receivedAt: performance.now() });

describe('trigger handler and the delivery budget', () => {
  it('keeps each delivery’s unit until its log row is committed, not only while it is attempted', async () => {
    const budget = makeWeightedBudget(10);
    const commit = gate();
    let recorded = 0;
    const handle = handlerWith({
      runner: { run: () => Promise.resolve(attempted()), refusalNow: () => undefined },
      recorder: {
        recordFirst: async () => {
          recorded += 1;
          await commit.promise;
        },
      },
      deliveryBudget: budget,
    });

    const handled = handle(triggerMessage('message-1'), handling());
    await new Promise((resolve) => setImmediate(resolve));
    // Every attempt has ended and is waiting for the commit: its unit is still taken.
    expect(recorded).toBe(3);
    expect(budget.free()).toBe(7);

    commit.open();
    await handled;
    expect(budget.free()).toBe(10);
  });
});

describe('trigger handler and slow deliveries', () => {
  const message = triggerMessage('message-2');
  // 1 answers at once; 2 is known to take 2 s (and takes 300 ms); 3 is thought fast but takes 400 ms.
  const takesMs = new Map([
    [1, 0],
    [2, 300],
    [3, 400],
  ]);
  const adoptingHandler = (adopt: (adoption: Adoption) => Promise<boolean>) => {
    const recorded: number[] = [];
    const handle = handlerWith({
      runner: {
        expectedDurationMs: (id: number) => (id === 2 ? 2000 : 5),
        refusalNow: () => undefined,
        run: async ({ subscription }: { subscription: Subscription }) => {
          await new Promise((resolve) => setTimeout(resolve, takesMs.get(subscription.subscriptionId)));
          return attempted();
        },
      },
      recorder: {
        recordFirst: ({ subscription }: { subscription: Subscription }) => {
          recorded.push(subscription.subscriptionId);
          return Promise.resolve();
        },
      },
      adoption: { adopt, afterMs: 100 },
    });
    return { handle, recorded };
  };

  it('hands deliveries still running after the bound (at once for a known slow subscriber) to the drainer', async () => {
    const adopted: Array<{ id: number; afterMs: number }> = [];
    const started = performance.now();
    const { handle, recorded } = adoptingHandler((adoption) => {
      adopted.push({
        id: adoption.delivery.subscription.subscriptionId,
        afterMs: performance.now() - started,
      });
      return Promise.resolve(true);
    });
    await handle(message, handling());
    // The message is done (acked) long before the 300 and 400 ms deliveries end.
    expect(performance.now() - started).toBeLessThan(250);
    expect(recorded).toEqual([1]);
    expect(adopted.map(({ id }) => id)).toEqual([2, 3]);
    expect(adopted[0]!.afterMs).toBeLessThan(80);
    expect(adopted[1]!.afterMs).toBeGreaterThanOrEqual(95);
  });

  it('waits for the delivery itself when the drainer cannot adopt it', async () => {
    const started = performance.now();
    const { handle, recorded } = adoptingHandler(() => Promise.resolve(false));
    await handle(message, handling());
    expect(performance.now() - started).toBeGreaterThanOrEqual(395);
    expect(recorded.sort()).toEqual([1, 2, 3]);
  });
});

describe('trigger handler and subscribers that refuse at once', () => {
  it('holds them together in one write, without attempting them or taking delivery units', async () => {
    const budget = makeWeightedBudget(10);
    const commit = gate();
    const heldCommit = gate();
    const attemptedFor: number[] = [];
    const heldWrites: Array<{ eventName: string; held: Array<{ subscriptionId: number; reason: string }> }> =
      [];
    const woken: number[] = [];
    const handle = handlerWith({
      runner: {
        refusalNow: ({ subscriptionId }: Subscription) =>
          subscriptionId === 1
            ? undefined
            : { kind: 'deferred', reason: 'circuit', message: `down ${subscriptionId}` },
        run: async ({ subscription }: { subscription: Subscription }) => {
          attemptedFor.push(subscription.subscriptionId);
          await commit.promise; // the healthy delivery takes a while
          return attempted();
        },
      },
      recorder: {
        recordFirst: () => Promise.resolve(),
        recordHeld: async (eventName: string, held: Array<{ subscriptionId: number; reason: string }>) => {
          heldWrites.push({ eventName, held });
          await heldCommit.promise;
        },
      },
      onHeld: (subscriptionId: number) => woken.push(subscriptionId),
      deliveryBudget: budget,
    });

    const handled = handle(triggerMessage('message-3'), handling());
    await new Promise((resolve) => setImmediate(resolve));
    expect(attemptedFor).toEqual([1]);
    expect(heldWrites).toHaveLength(1);
    expect(heldWrites[0]).toMatchObject({
      eventName: 'sales.order.created',
      held: [
        { subscriptionId: 2, uuid: deliveryUuidOf('message-3', 2), reason: 'down 2' },
        { subscriptionId: 3, uuid: deliveryUuidOf('message-3', 3), reason: 'down 3' },
      ],
    });
    // Their write is not committed yet, and only the delivery being made holds a unit.
    expect(woken).toEqual([]);
    expect(budget.free()).toBe(9);

    heldCommit.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toEqual([2, 3]);
    commit.open();
    await handled;
    expect(budget.free()).toBe(10);
  });

  it('holds an event whose subscribers all refuse while the delivery budget is spent', async () => {
    const budget = makeWeightedBudget(2);
    await budget.claim(2); // deliveries of other events take every unit
    const heldFor: number[] = [];
    const handle = handlerWith({
      runner: {
        refusalNow: () => ({ kind: 'deferred', reason: 'circuit', message: 'down' }),
        run: () => Promise.reject(new Error('a refused subscriber must not be attempted')),
      },
      recorder: {
        recordHeld: (_eventName: string, held: Array<{ subscriptionId: number }>) => {
          heldFor.push(...held.map(({ subscriptionId }) => subscriptionId));
          return Promise.resolve();
        },
      },
      deliveryBudget: budget,
    });
    await handle(triggerMessage('message-4'), handling());
    expect(heldFor).toEqual([1, 2, 3]);
    expect(budget.free()).toBe(0);
  });

  it('fails the message with the hold’s error when it fails while the others wait for units', async () => {
    const budget = makeWeightedBudget(2);
    await budget.claim(2);
    const handle = handlerWith({
      runner: {
        refusalNow: ({ subscriptionId }: Subscription) =>
          subscriptionId === 1 ? undefined : { kind: 'deferred', reason: 'circuit', message: 'down' },
        run: () => Promise.resolve(attempted()),
      },
      recorder: {
        recordFirst: () => Promise.resolve(),
        recordHeld: () => Promise.reject(new Error('The delivery log writer is closed')),
      },
      deliveryBudget: budget,
    });
    const handled = handle(triggerMessage('message-5'), handling());
    // The hold fails while the delivery to 1 waits for a unit: nothing may go unhandled meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    budget.release(2);
    await expect(handled).rejects.toThrow('The delivery log writer is closed');
    expect(budget.free()).toBe(2);
  });
});
