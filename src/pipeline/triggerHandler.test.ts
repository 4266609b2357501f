import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';

import { makeLogger, makeWeightedBudget } from '../shared/index.js';
import type { Subscription } from '../store/index.js';
import { makeTriggerHandler, type TriggerHandlerOptions } from './triggerHandler.js';

/** A promise with its resolver, to hold the log commit open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('trigger handler and the delivery budget', () => {
  it('keeps each delivery’s unit until its log row is committed, not only while it is attempted', async () => {
    const subscribers = [1, 2, 3].map((subscriptionId) => ({ subscriptionId }) as unknown as Subscription);
    const budget = makeWeightedBudget(10);
    const commit = gate();
    let recorded = 0;
    const options = {
      catalog: { get: () => ({ definition: { name: 'sales.order.created' } }), events: new Map() },
      subscriptions: { forEvent: () => subscribers },
      resolver: { resolve: () => Promise.resolve({ kind: 'resolved', payload: Buffer.from('{}') }) },
      runner: {
        run: () =>
          Promise.resolve({
            kind: 'attempted',
            outcome: { ok: true, status: 200, responseData: 'ok' },
            startedAt: performance.now(),
            controls: {},
            body: Buffer.from('{}'),
          }),
      },
      recorder: {
        recordFirst: async () => {
          recorded += 1;
          await commit.promise;
        },
      },
      metrics: { eventsConsumed: { inc: () => undefined } },
      logger: makeLogger({ level: 'silent' }),
      deliveryBudget: budget,
      payloadFormat: 'legacy',
    } as unknown as TriggerHandlerOptions;
    const handle = makeTriggerHandler(options);
    const message = {
      // As Magento publishes it: [event name, JSON-encoded arguments, store id].
      content: Buffer.from(JSON.stringify(['sales.order.created', JSON.stringify({ id: '5' }), 0])),
      properties: { messageId: 'message-1', headers: {} },
      fields: { deliveryTag: 1 },
    } as unknown as ConsumeMessage;

    const handled = handle(message, { signal: new AbortController().signal, receivedAt: performance.now() });
    await new Promise((resolve) => setImmediate(resolve));
    // Every attempt has ended and is waiting for the commit: its unit is still taken.
    expect(recorded).toBe(3);
    expect(budget.free()).toBe(7);

    commit.open();
    await handled;
    expect(budget.free()).toBe(10);
  });
});
