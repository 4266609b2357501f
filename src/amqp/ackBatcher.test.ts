import { describe, expect, it } from 'vitest';

import { makeAckBatcher } from './ackBatcher.js';

function harness() {
  const acks: Array<[number, boolean]> = [];
  const pending: Array<() => void> = [];
  const batcher = makeAckBatcher({ ack: (tag, multiple) => acks.push([tag, multiple]) }, (flush) =>
    pending.push(flush),
  );
  const runScheduled = () => pending.splice(0).forEach((flush) => flush());
  return { acks, batcher, runScheduled };
}

describe('makeAckBatcher', () => {
  it('acks a contiguous run of finished messages with one multiple ack', () => {
    const { acks, batcher, runScheduled } = harness();
    [1, 2, 3].forEach((tag) => batcher.received(tag));
    batcher.done(2);
    batcher.done(1);
    batcher.done(3);
    expect(acks).toEqual([]);
    runScheduled();
    expect(acks).toEqual([[3, true]]);
    expect(batcher.outstanding()).toBe(0);
  });

  it('never covers a message still in flight; later ones are acked on their own', () => {
    const { acks, batcher, runScheduled } = harness();
    [1, 2, 3, 4].forEach((tag) => batcher.received(tag));
    batcher.done(1);
    batcher.done(3);
    batcher.done(4);
    runScheduled();
    expect(acks).toEqual([
      [1, true],
      [3, false],
      [4, false],
    ]);
    batcher.done(2);
    runScheduled();
    expect(acks.at(-1)).toEqual([2, true]);
    expect(batcher.outstanding()).toBe(0);
  });

  it('skips nacked messages and never acks them', () => {
    const { acks, batcher, runScheduled } = harness();
    [1, 2, 3].forEach((tag) => batcher.received(tag));
    batcher.settledElsewhere(1);
    batcher.done(2);
    runScheduled();
    expect(acks).toEqual([[2, true]]);
    batcher.done(1); // late duplicate of a nacked tag: ignored
    batcher.done(3);
    runScheduled();
    expect(acks).toEqual([
      [2, true],
      [3, true],
    ]);
  });

  it('does not send a multiple ack when the settled prefix was already acked one by one', () => {
    const { acks, batcher, runScheduled } = harness();
    [1, 2, 3].forEach((tag) => batcher.received(tag));
    batcher.done(2);
    runScheduled();
    expect(acks).toEqual([[2, false]]);
    batcher.settledElsewhere(1);
    batcher.flush();
    expect(acks).toEqual([[2, false]]);
    batcher.done(3);
    runScheduled();
    expect(acks.at(-1)).toEqual([3, true]);
  });

  it('keeps its arrival list bounded over many messages', () => {
    const { acks, batcher, runScheduled } = harness();
    for (let tag = 1; tag <= 5000; tag += 1) {
      batcher.received(tag);
      batcher.done(tag);
      if (tag % 100 === 0) {
        runScheduled();
      }
    }
    expect(acks).toHaveLength(50);
    expect(acks.at(-1)).toEqual([5000, true]);
    expect(batcher.outstanding()).toBe(0);
  });
});
