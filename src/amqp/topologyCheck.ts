import type { Channel, ChannelModel } from 'amqplib';

import { coerceError } from '../shared/index.js';
import {
  assertExpectedExchange,
  assertExpectedQueue,
  EXPECTED_TOPOLOGY,
  type TopologyOwner,
} from './topology.js';

export type TopologyStatus = 'ok' | 'missing' | 'different' | 'unconsumed';

export interface TopologyFinding {
  kind: 'exchange' | 'queue';
  name: string;
  owner: TopologyOwner;
  status: TopologyStatus;
  detail: string;
  /** Queues only. */
  messages?: number;
  consumers?: number;
}

/**
 * Compares the broker's vhost with the topology the sidecar and Magento declare, without creating
 * anything: a passive declare says whether an entity exists, and re-declaring an existing one with
 * the expected flags is a no-op that the broker refuses with PRECONDITION_FAILED when its flags or
 * arguments differ. Each probe runs on its own channel because a failed declare closes the channel.
 * AMQP 0-9-1 cannot list bindings; `fixTopology` re-binds (idempotently) instead.
 */
export async function checkTopology(model: ChannelModel): Promise<TopologyFinding[]> {
  const findings: TopologyFinding[] = [];
  for (const exchange of EXPECTED_TOPOLOGY.exchanges) {
    const base = { kind: 'exchange' as const, name: exchange.name, owner: exchange.owner };
    if (!(await probe(model, (channel) => channel.checkExchange(exchange.name))).ok) {
      findings.push({ ...base, status: 'missing', detail: 'not declared' });
      continue;
    }
    const same = await probe(model, (channel) => assertExpectedExchange(channel, exchange));
    findings.push(
      same.ok
        ? { ...base, status: 'ok', detail: `${exchange.type}, durable` }
        : { ...base, status: 'different', detail: same.reason },
    );
  }
  for (const queue of EXPECTED_TOPOLOGY.queues) {
    const base = { kind: 'queue' as const, name: queue.name, owner: queue.owner };
    const exists = await probe(model, (channel) => channel.checkQueue(queue.name));
    if (!exists.ok) {
      findings.push({ ...base, status: 'missing', detail: 'not declared' });
      continue;
    }
    const counts = { messages: exists.value.messageCount, consumers: exists.value.consumerCount };
    const same = await probe(model, (channel) => assertExpectedQueue(channel, queue));
    if (!same.ok) {
      findings.push({ ...base, ...counts, status: 'different', detail: same.reason });
    } else if (queue.consumed && counts.consumers === 0) {
      findings.push({
        ...base,
        ...counts,
        status: 'unconsumed',
        detail: 'nobody consumes it: is the sidecar (worker) running?',
      });
    } else {
      findings.push({ ...base, ...counts, status: 'ok', detail: 'durable' });
    }
  }
  return findings;
}

/**
 * Declares whatever is missing and (re)binds the queues, each on its own channel so an entity
 * declared with other flags is left alone (changing it would mean deleting it and its messages).
 */
export async function fixTopology(model: ChannelModel): Promise<void> {
  for (const exchange of EXPECTED_TOPOLOGY.exchanges) {
    await probe(model, (channel) => assertExpectedExchange(channel, exchange));
  }
  for (const queue of EXPECTED_TOPOLOGY.queues) {
    await probe(model, (channel) => assertExpectedQueue(channel, queue));
    for (const binding of queue.bindings) {
      await probe(model, (channel) => channel.bindQueue(queue.name, binding.exchange, binding.routingKey));
    }
  }
}

type Probe<T> = { ok: true; value: T } | { ok: false; reason: string };

async function probe<T>(model: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<Probe<T>> {
  const channel = await model.createChannel();
  // A refused declare closes the channel with an error event; the rejected promise carries the reason.
  channel.on('error', () => undefined);
  try {
    return { ok: true, value: await work(channel) };
  } catch (error: unknown) {
    return { ok: false, reason: brokerReason(coerceError(error).message) };
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** "Channel closed by server: 406 (PRECONDITION-FAILED) with message "…"" → the broker's message. */
function brokerReason(message: string): string {
  return /with message "(.*)"$/s.exec(message)?.[1] ?? message;
}
