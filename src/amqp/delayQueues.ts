import type { Options } from 'amqplib';

import { SidecarError } from '../shared/index.js';
import type { ConfirmPublisher } from './publisher.js';
import { assertDelayQueue, type DelayQueueSpec } from './topology.js';

/**
 * Publishes into delay queues that delete themselves when idle (`x-expires` = 2 × TTL), so each one
 * must exist at the moment of the publish. Upstream re-declares before every publish; under a
 * failure storm that is one declare and one bind per message. Here a declaration is reused for a
 * quarter of the queue's expiry: a message published within that window leaves (TTL) long before the
 * queue can expire. A publish that still finds no queue (deleted by hand, broker restarted) comes
 * back as unroutable and is retried once after a fresh declaration, so nothing is dropped.
 */
export interface DelayQueuePublisher {
  publish(request: DelayedPublish, signal?: AbortSignal): Promise<void>;
  /** Names of the delay queues this process declared so far (the dashboard shows their depth). */
  declaredQueues(): string[];
}

export interface DelayedPublish {
  spec: DelayQueueSpec;
  /** Where to publish and, for a named exchange, the binding key of the delay queue. */
  exchange: string;
  routingKey: string;
  body: Buffer;
  options?: Options.Publish;
}

export function makeDelayQueuePublisher(publisher: ConfirmPublisher): DelayQueuePublisher {
  const declared = new Map<string, { generation: number; at: number }>();

  const ensure = async (request: DelayedPublish, signal?: AbortSignal): Promise<void> => {
    const seen = declared.get(request.spec.queue);
    const reuseWindowMs = (request.spec.seconds * 2000) / 4;
    if (
      seen !== undefined &&
      seen.generation === publisher.generation() &&
      performance.now() - seen.at < reuseWindowMs
    ) {
      return;
    }
    await publisher.withChannel(async (channel) => {
      await assertDelayQueue(channel, request.spec);
      if (request.exchange !== '') {
        await channel.bindQueue(request.spec.queue, request.exchange, request.routingKey);
      }
    }, signal);
    declared.set(request.spec.queue, { generation: publisher.generation(), at: performance.now() });
  };

  const publishOnce = (request: DelayedPublish, signal?: AbortSignal): Promise<void> =>
    publisher.publish(
      {
        exchange: request.exchange,
        routingKey: request.routingKey,
        body: request.body,
        options: request.options,
      },
      signal,
    );

  return {
    async publish(request, signal) {
      await ensure(request, signal);
      try {
        await publishOnce(request, signal);
      } catch (error: unknown) {
        if (!(error instanceof SidecarError) || error.code !== 'SC_ERR_AMQP_UNROUTABLE') {
          throw error;
        }
        declared.delete(request.spec.queue);
        await ensure(request, signal);
        await publishOnce(request, signal);
      }
    },
    declaredQueues: () => [...declared.keys()],
  };
}
