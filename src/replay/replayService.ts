import { randomUUID } from 'node:crypto';

import type { RetryScheduler } from '../amqp/index.js';
import type { PayloadFormat } from '../config/index.js';
import type { EventCatalog, PayloadResolver } from '../magento/index.js';
import { resolveRecordedTrigger } from '../pipeline/index.js';
import type { SearchBackend } from '../search/index.js';
import { ApiError, makeSemaphore } from '../shared/index.js';
import {
  findLogItems,
  findReplaySources,
  findTriggerRecords,
  type LogItem,
  type Pool,
  type ReplaySource,
} from '../store/index.js';

/**
 * Replays deliveries the way upstream's admin Replay does: a new retry chain with the same uuid,
 * started through event.retry.init, with the stored body (or, on request, a payload resolved again
 * from Magento). One delivery by log id, or the newest attempt of every chain a query matches.
 */
export type ResolveMode = 'stored' | 'fresh';

export interface ReplayedChain {
  log_id: number;
  uuid: string;
  subscription_id: number;
}

export interface SkippedChain {
  log_id: number;
  uuid: string | null;
  reason: string;
}

export interface ReplayService {
  replayOne(logId: number, resolve: ResolveMode): Promise<{ replayed: ReplayedChain[] }>;
  replayQuery(
    q: string,
    options: { dryRun: boolean; limit: number; resolve: ResolveMode },
  ): Promise<
    | { dry_run: true; count: number; limited: boolean; sample: LogItem[] }
    | { dry_run: false; count: number; limited: boolean; replayed: ReplayedChain[]; skipped: SkippedChain[] }
  >;
}

export interface ReplayServiceOptions {
  pool: Pool;
  search: SearchBackend;
  retries: RetryScheduler;
  catalog: EventCatalog;
  resolver: PayloadResolver;
  payloadFormat: PayloadFormat;
  /** How long a publish may wait for the broker before the request fails with 503. @default 10000 ms */
  publishTimeoutMs?: number;
}

const SAMPLE_SIZE = 10;
const PUBLISH_CONCURRENCY = 16;

export function makeReplayService(options: ReplayServiceOptions): ReplayService {
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;

  /** The body to send again, or why there is none. */
  const bodiesFor = async (
    sources: readonly ReplaySource[],
    resolve: ResolveMode,
  ): Promise<Map<number, Buffer | string>> => {
    const bodies = new Map<number, Buffer | string>();
    if (resolve === 'stored') {
      for (const source of sources) {
        bodies.set(
          source.log_id,
          source.body ??
            'no stored body (the payload could not be resolved, or was larger than the column); replay with "resolve": "fresh"',
        );
      }
      return bodies;
    }
    const records = await findTriggerRecords(
      options.pool,
      sources.flatMap((source) => source.uuid ?? []),
    );
    await Promise.all(
      sources.map(async (source) => {
        const record = source.uuid === null ? undefined : records.get(source.uuid);
        if (record === undefined) {
          bodies.set(source.log_id, 'no trigger record (delivered before the sidecar kept them)');
          return;
        }
        const resolved = await resolveRecordedTrigger(options, record, source.uuid ?? randomUUID());
        bodies.set(
          source.log_id,
          resolved.kind === 'resolved'
            ? resolved.body
            : resolved.kind === 'undeclared'
              ? resolved.reason
              : `the payload cannot be resolved again: ${resolved.reason}`,
        );
      }),
    );
    return bodies;
  };

  const replaySources = async (sources: readonly ReplaySource[], resolve: ResolveMode) => {
    const replayed: ReplayedChain[] = [];
    const skipped: SkippedChain[] = [];
    const eligible = sources.filter((source) => {
      if (source.subscription_active !== true) {
        skipped.push({
          log_id: source.log_id,
          uuid: source.uuid,
          reason: `subscription ${source.subscription_id} is disabled or gone`,
        });
        return false;
      }
      return true;
    });
    const bodies = await bodiesFor(eligible, resolve);
    const semaphore = makeSemaphore(PUBLISH_CONCURRENCY);
    await Promise.all(
      eligible.map((source) =>
        semaphore.run(async () => {
          const body = bodies.get(source.log_id);
          if (!Buffer.isBuffer(body)) {
            skipped.push({ log_id: source.log_id, uuid: source.uuid, reason: body ?? 'no body' });
            return;
          }
          const uuid = source.uuid ?? randomUUID();
          await options.retries.init(
            { subscriptionId: source.subscription_id, content: body, uuid },
            AbortSignal.timeout(publishTimeoutMs),
          );
          replayed.push({ log_id: source.log_id, uuid, subscription_id: source.subscription_id });
        }),
      ),
    );
    return { replayed, skipped };
  };

  return {
    async replayOne(logId, resolve) {
      const [source] = await findReplaySources(options.pool, [logId]);
      if (source === undefined) {
        throw new ApiError('SC_ERR_NOT_FOUND', 'Delivery log %1 does not exist', { parameters: [logId] });
      }
      if (source.subscription_active !== true) {
        throw new ApiError(
          'SC_ERR_INPUT',
          'Subscription %1 is disabled; enable it (PUT /V1/async_event/%1 with status true) before replaying.',
          {
            parameters: [source.subscription_id],
          },
        );
      }
      const { replayed, skipped } = await replaySources([source], resolve);
      const [problem] = skipped;
      if (problem !== undefined) {
        throw new ApiError('SC_ERR_INPUT', 'Delivery log %1 cannot be replayed: %2', {
          parameters: [logId, problem.reason],
        });
      }
      return { replayed };
    },

    async replayQuery(q, { dryRun, limit, resolve }) {
      const ids = await options.search.matchingIds(q, limit + 1);
      const limited = ids.length > limit;
      const chosen = ids.slice(0, limit);
      if (dryRun) {
        return {
          dry_run: true,
          count: chosen.length,
          limited,
          sample: await findLogItems(options.pool, chosen.slice(0, SAMPLE_SIZE), false),
        };
      }
      const sources = await findReplaySources(options.pool, chosen);
      const { replayed, skipped } = await replaySources(sources, resolve);
      return { dry_run: false, count: chosen.length, limited, replayed, skipped };
    },
  };
}
