/**
 * Collapses the acks of one channel into `multiple` acks (AMQP basic.ack with multiple=true acks
 * every outstanding delivery tag up to the one given). The broker's work and the socket writes per
 * message drop with it: one frame per group-committed batch of log rows instead of one per message.
 *
 * INVARIANT: a tag is covered by a multiple ack only when every tag at or below it is settled here
 * (done, or already nacked/acked on its own), so no message is acked before its handler finished.
 * Tags that finish while an older one is still in flight are acked on their own at the next flush,
 * so a slow message never holds the others' prefetch slots.
 *
 * State: `order` holds the tags in arrival order (delivery tags grow on a channel); `states` maps
 * a tag to in-flight or done; a tag leaves `states` once its ack (or nack) has been sent.
 */
export interface AckBatcher {
  /** A message arrived: it is in flight until `done` or `settledElsewhere`. */
  received(tag: number): void;
  /** Its outcome is durable: ack it at the next flush. */
  done(tag: number): void;
  /** It was nacked (or otherwise settled) by the caller: never ack it. */
  settledElsewhere(tag: number): void;
  /** Sends the acks due now (also scheduled automatically after `done`). */
  flush(): void;
  /** Tags received and not yet acked or settled. */
  outstanding(): number;
}

export interface AckSender {
  /** basic.ack of `tag`; `multiple` covers every outstanding tag up to it. */
  ack(tag: number, multiple: boolean): void;
}

type TagState = 'inFlight' | 'done';

export function makeAckBatcher(
  sender: AckSender,
  schedule: (flush: () => void) => void = setImmediate,
): AckBatcher {
  const order: number[] = [];
  let head = 0;
  const states = new Map<number, TagState>();
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    // The contiguous settled prefix: one multiple ack up to its newest tag that still needs one.
    let upTo: number | undefined;
    while (head < order.length) {
      const tag = order[head] as number;
      const state = states.get(tag);
      if (state === 'inFlight') {
        break;
      }
      if (state === 'done') {
        upTo = tag;
        states.delete(tag);
      }
      head += 1;
    }
    if (upTo !== undefined) {
      sender.ack(upTo, true);
    }
    // Done behind an in-flight one: ack on their own rather than hold their prefetch slots.
    for (let index = head; index < order.length; index += 1) {
      const tag = order[index] as number;
      if (states.get(tag) === 'done') {
        states.delete(tag);
        sender.ack(tag, false);
      }
    }
    if (head > 1024 && head * 2 > order.length) {
      order.splice(0, head);
      head = 0;
    }
  };

  return {
    received(tag) {
      order.push(tag);
      states.set(tag, 'inFlight');
    },
    done(tag) {
      if (states.get(tag) !== 'inFlight') {
        return;
      }
      states.set(tag, 'done');
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    settledElsewhere(tag) {
      states.delete(tag);
    },
    flush,
    outstanding: () => states.size,
  };
}
