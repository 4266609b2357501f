import type { BenchReceiver } from '../lib/benchReceiver.js';
import { openEnvironment } from '../lib/environment.js';
import { log } from '../lib/wait.js';
import { amqpConsumeAckRate } from './amqpRate.js';
import { batchedInsertRate } from './insertRate.js';
import { postClientCpuMs } from './postClientCpu.js';
import { bestPostRate } from './postRate.js';

/** The raw limits of this machine, measured in the same run as the scenarios. */
export interface Limits {
  /** Plain undici POSTs/s against the benchmark receiver (best of 16/64/256 in flight). */
  postPerSecond: number;
  postInFlight: number;
  postTried: Record<string, number>;
  /** CPU ms of one such POST's client side alone (its own process, at the best in-flight level). */
  postClientCpuMs: number;
  /** amqplib consume+ack, messages/s: one ack per message, and `multiple` acks per 100. */
  amqpSingleAcks: number;
  amqpMultipleAcks: number;
  /** Batched INSERTs into async_event_subscriber_log (500 rows per statement, 2 connections), rows/s. */
  insertRowsPerSecond: number;
}

export async function measureLimits(options: {
  receiver: BenchReceiver;
  body: Buffer;
  seconds: number;
  quick: boolean;
}): Promise<Limits> {
  const post = await bestPostRate(`${options.receiver.url}/raw`, options.body, options.seconds);
  const clientCpuMs = await postClientCpuMs(`${options.receiver.url}/raw`, options.body, {
    inFlight: post.inFlight,
    requests: options.quick ? 5_000 : 20_000,
  });
  options.receiver.clear();
  log(
    `  raw POST: ${Math.round(post.perSecond)}/s (${options.body.length} B bodies; by in-flight: ${JSON.stringify(post.tried)}); client CPU ${clientCpuMs.toFixed(3)} ms per POST`,
  );
  const environment = await openEnvironment('limits');
  try {
    const amqp = await amqpConsumeAckRate(environment.amqpUrl, {
      count: options.quick ? 20_000 : 100_000,
      size: 120,
    });
    log(
      `  amqplib consume+ack: ${Math.round(amqp.singleAcks)}/s (multiple acks: ${Math.round(amqp.multipleAcks)}/s)`,
    );
    const subscriptionId = await environment.subscribe('sales.order.created', `${options.receiver.url}/raw`);
    const insertRowsPerSecond = await batchedInsertRate(environment.pool, {
      subscriptionId,
      rows: options.quick ? 10_000 : 50_000,
      batch: 500,
      body: options.body,
      connections: 2,
    });
    log(`  batched INSERT: ${Math.round(insertRowsPerSecond)} rows/s`);
    return {
      postPerSecond: post.perSecond,
      postInFlight: post.inFlight,
      postTried: post.tried,
      postClientCpuMs: clientCpuMs,
      amqpSingleAcks: amqp.singleAcks,
      amqpMultipleAcks: amqp.multipleAcks,
      insertRowsPerSecond,
    };
  } finally {
    await environment.close();
  }
}
