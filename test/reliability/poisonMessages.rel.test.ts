import type { GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PARKED_HEADERS } from '../../src/amqp/index.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import {
  countDeliveries,
  idRange,
  receivedIds,
  reproduceCommand,
  subscribeOrders,
  writeAccounting,
} from './accounting.js';

const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Trigger bodies no consumer can process, each with the reason it must be parked for. */
const POISON_TRIGGERS: ReadonlyArray<{ body: Buffer; reason: RegExp }> = [
  { body: Buffer.from('{"not json'), reason: /^Malformed trigger message: .*not valid JSON/ },
  { body: Buffer.from('{"event":"sales.order.updated"}'), reason: /expected a JSON array/ },
  { body: Buffer.from('["sales.order.updated"]'), reason: /expected a JSON array/ },
  { body: Buffer.from('[42,"{}",0]'), reason: /event name \(element 0\)/ },
  { body: Buffer.from('["sales.order.updated",{"id":1},0]'), reason: /must be a JSON-encoded string/ },
  { body: Buffer.from('["sales.order.updated","[1,2]",0]'), reason: /object of named arguments/ },
  { body: Buffer.from('["sales.order.updated","{\\"id\\":1}","x"]'), reason: /store id/ },
  {
    body: Buffer.from(JSON.stringify(['sales.order.updated', nested(100_000), 0])),
    reason: /nested more than 64/,
  },
  {
    body: Buffer.from(
      JSON.stringify(['sales.order.updated', JSON.stringify({ id: 'x'.repeat(2 << 20) }), 0]),
    ),
    reason: /a trigger is at most/,
  },
  { body: Buffer.from('["no.such.event","{\\"id\\":1}",0]'), reason: /Unknown event "no.such.event"/ },
  {
    body: Buffer.concat([
      Buffer.from('["sales.order.updated","{\\"id\\":\\"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('\\"}",0]'),
    ]),
    reason: /not valid UTF-8/,
  },
];

/** Retry messages no consumer can process (event.failover / event.retry). */
const POISON_RETRIES: ReadonlyArray<{ body: Buffer; reason: RegExp }> = [
  { body: Buffer.from('not json at all'), reason: /^Malformed retry message: .*not valid JSON/ },
  { body: Buffer.from('[1,2]'), reason: /^Malformed retry message: expected a JSON object/ },
  { body: Buffer.from('{"death_count":1}'), reason: /^Malformed retry message: subscription_id must be/ },
  {
    body: Buffer.from('{"subscription_id":999999,"death_count":1,"content":"{}","uuid":"u"}'),
    reason: /^Subscription 999999 does not exist/,
  },
];

/**
 * Fault: poison messages among good ones. Every poison message is parked once with its reason and
 * never redelivered; the good events around them are delivered as usual.
 */
describe('fault: poison messages', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ synthesize: true });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('parks each with its reason exactly once, and delivers the good events around them', async () => {
    const started = Date.now();
    const { db, receiver } = harness;
    const subscriptionId = await subscribeOrders(db, receiver.url);

    const ids = idRange(40_000, 20);
    ids.forEach((id, index) => {
      harness.publish('sales.order.updated', { id });
      const poison = POISON_TRIGGERS[index];
      if (poison !== undefined) {
        harness.publishRaw(poison.body);
      }
      const retry = POISON_RETRIES[index];
      if (retry !== undefined) {
        harness.publishRaw(retry.body, { exchange: 'event.failover', routingKey: 'event.retry' });
      }
    });

    const parkedTriggers = await harness.takeMessages(
      'event.trigger.invalid',
      POISON_TRIGGERS.length,
      20_000,
    );
    const parkedRetries = await harness.takeMessages('event.failover.invalid', POISON_RETRIES.length, 20_000);
    await eventually(
      () => (receivedIds(receiver.requests, ids).size === ids.length ? true : undefined),
      20_000,
    );

    const reasonOf = (message: GetMessage): string =>
      String(message.properties.headers?.[PARKED_HEADERS.reason] ?? '');
    const expectParked = (parked: GetMessage[], poisons: typeof POISON_TRIGGERS): void => {
      expect(parked).toHaveLength(poisons.length);
      for (const poison of poisons) {
        const found = parked.find((message) => message.content.equals(poison.body));
        expect(found, poison.body.subarray(0, 60).toString()).toBeDefined();
        expect(reasonOf(found as GetMessage)).toMatch(poison.reason);
      }
    };
    expectParked(parkedTriggers, POISON_TRIGGERS);
    expectParked(parkedRetries, POISON_RETRIES);

    // Never redelivered: a few seconds later nothing more was parked and nothing failed.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await harness.drainQueue('event.trigger.invalid')).toEqual([]);
    expect(await harness.drainQueue('event.failover.invalid')).toEqual([]);
    expect(harness.logs.find('Message handling failed; it will be requeued')).toEqual([]);
    const queues = await harness.vhost.queues();
    expect(queues.get('event.trigger')?.messages).toBe(0);
    expect(queues.get('event.failover.retry')?.messages).toBe(0);

    const rows = await db.logRows({ subscriptionId });
    const count = countDeliveries(receiver.requests, rows, ids);
    expect(count.unlogged).toEqual([]);
    expect(count.duplicates).toBe(0);

    const poisonCount = POISON_TRIGGERS.length + POISON_RETRIES.length;
    const accounting = await writeAccounting({
      fault: 'poison-messages',
      title:
        'Poison messages among 20 good events: malformed JSON, wrong shapes, 100,000-deep nesting, a 2 MB body, an unknown event, invalid UTF-8, bad retry messages',
      published: ids.length + poisonCount,
      delivered: count.delivered.size,
      deadLettered: parkedTriggers.length + parkedRetries.length,
      duplicates: count.duplicates,
      durationMs: Date.now() - started,
      command: reproduceCommand('poisonMessages.rel.test.ts'),
      notes: `${POISON_TRIGGERS.length} triggers parked in event.trigger.invalid and ${POISON_RETRIES.length} retry messages in event.failover.invalid, each once with its reason; none redelivered.`,
    });
    expect(accounting.lost).toBe(0);
  });
});
