import type { Channel } from 'amqplib';

import { QUEUES, retryDelayQueueName, retryDelaySeconds, triggerDelayQueueName } from '../amqp/index.js';
import { DEAD_LETTER_QUEUES } from '../deadletters/index.js';
import { coerceError, makeSemaphore } from '../shared/index.js';

export interface QueueDepth {
  queue: string;
  messages: number;
  consumers: number;
}

export type QueueReport =
  | { available: true; backlog: QueueDepth[]; dead_letters: QueueDepth[] }
  | { available: false; reason: string };

/** The broker side the inspector needs: a channel of its own, closed after each report. */
export interface ChannelSource {
  openChannel(signal?: AbortSignal): Promise<Channel>;
}

/** Upstream's backoff reaches its 60 s cap at the 8th death: these are the delays it ever uses. */
const BACKOFF_STEPS = 8;
const MAX_PROBED_QUEUES = 200;

/**
 * Queues holding work not yet delivered: triggers waiting, retries due now, and the delay queues
 * (`event.delay.<N>`, `event.trigger.delay.<N>`). AMQP cannot list queues and delay queues have
 * dynamic names that vanish when idle, so the candidates are the delays the backoff produces plus
 * those this process declared (Retry-After values); another replica's unusual delays are not seen.
 */
export function backlogCandidates(declaredDelayQueues: Iterable<string>): string[] {
  const backoff = Array.from({ length: BACKOFF_STEPS }, (_unused, index) => retryDelaySeconds(index + 1));
  const names = new Set<string>([
    QUEUES.trigger,
    QUEUES.retryInit,
    QUEUES.retry,
    ...backoff.map(retryDelayQueueName),
    ...backoff.map(triggerDelayQueueName),
    ...declaredDelayQueues,
  ]);
  return [...names].slice(0, MAX_PROBED_QUEUES);
}

/** Queues that must always be shown, with zero when not declared yet. */
const ALWAYS_SHOWN = new Set<string>([QUEUES.trigger, QUEUES.retryInit, QUEUES.retry, ...DEAD_LETTER_QUEUES]);
/** Channels probing at once; a report opens one per queue name. */
const PROBES_AT_ONCE = 16;

const isNotFound = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 404;

/**
 * Message and consumer counts by passive declaration (`checkQueue`), which neither creates nor
 * changes a queue. A missing queue makes the broker close the channel (404), and opening the next
 * channel on the same connection right after that waits ~40 ms (Nagle and delayed ACK), so every
 * name gets a channel of its own and the names are probed in parallel. Concurrent reports share
 * one round of probes.
 */
export function makeQueueInspector(options: {
  channels: ChannelSource;
  declaredDelayQueues: () => Iterable<string>;
  /** Broker wait before the report says the queues are unavailable. @default 3000 ms */
  timeoutMs?: number;
}) {
  const timeoutMs = options.timeoutMs ?? 3000;
  const probes = makeSemaphore(PROBES_AT_ONCE);
  let inFlight: Promise<QueueReport> | undefined;

  const probe = (queue: string, signal: AbortSignal): Promise<QueueDepth | undefined> =>
    probes.run(async () => {
      const channel = await options.channels.openChannel(signal);
      // A 404 closes the channel with an 'error' event; amqplib throws when nobody listens.
      channel.on('error', () => undefined);
      try {
        const { messageCount, consumerCount } = await channel.checkQueue(queue);
        return { queue, messages: messageCount, consumers: consumerCount };
      } catch (error: unknown) {
        if (!isNotFound(error)) {
          throw error;
        }
        return ALWAYS_SHOWN.has(queue) ? { queue, messages: 0, consumers: 0 } : undefined;
      } finally {
        await channel.close().catch(() => undefined);
      }
    });

  const depths = async (names: readonly string[], signal: AbortSignal): Promise<QueueDepth[]> =>
    (await Promise.all(names.map((queue) => probe(queue, signal)))).filter(
      (depth): depth is QueueDepth => depth !== undefined,
    );

  const report = async (): Promise<QueueReport> => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const [backlog, deadLetters] = await Promise.all([
        depths(backlogCandidates(options.declaredDelayQueues()), signal),
        depths(DEAD_LETTER_QUEUES, signal),
      ]);
      return { available: true, backlog, dead_letters: deadLetters };
    } catch (error: unknown) {
      return { available: false, reason: coerceError(error).message };
    }
  };

  return {
    report(): Promise<QueueReport> {
      inFlight ??= report().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

export type QueueInspector = ReturnType<typeof makeQueueInspector>;
