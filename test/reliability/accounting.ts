import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import type { ReceivedRequest } from '../../fixtures/webhook-receiver/index.js';
import type { LogRow, TestDatabase } from '../helpers/testDatabase.js';

/** Where each fault test leaves its figures for `npm run reliability:report`. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/reliability/', import.meta.url));

/**
 * What became of every event a fault test published. `lost` is what is neither delivered nor
 * dead-lettered with a reason, and must be 0.
 */
export interface FaultAccounting {
  /** File name (without .json) and stable key, e.g. `broker-restart`. */
  fault: string;
  /** The fault as the README table names it. */
  title: string;
  /** Deliveries expected: events published × subscriptions that should receive them. */
  published: number;
  /** Delivered to the receiver (2xx) with a success log row. */
  delivered: number;
  /** Parked in a dead-letter queue, or ended as a final failed log row, with a reason. */
  deadLettered: number;
  /** Receiver requests beyond the first per delivery. */
  duplicates: number;
  lost: number;
  durationMs: number;
  /** The command that reproduces the figures. */
  command: string;
  /** One sentence on what the test checked besides the counts. */
  notes: string;
  measuredAt: string;
}

export function reproduceCommand(file: string): string {
  return `npx vitest run --project reliability test/reliability/${file}`;
}

export async function writeAccounting(
  accounting: Omit<FaultAccounting, 'lost' | 'measuredAt'>,
): Promise<FaultAccounting> {
  const full: FaultAccounting = {
    ...accounting,
    lost: accounting.published - accounting.delivered - accounting.deadLettered,
    measuredAt: new Date().toISOString(),
  };
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await writeFile(`${ARTIFACTS_DIR}${full.fault}.json`, `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** The synthesized entity id the stand-in put in a delivered payload (the test's event key). */
export function entityIdOf(request: ReceivedRequest): number | undefined {
  const data = request.event?.data as { entity_id?: unknown } | undefined;
  return typeof data?.entity_id === 'number' ? data.entity_id : undefined;
}

export interface DeliveryCount {
  /** Published ids that reached the receiver at least once and have a success log row. */
  delivered: Set<number>;
  /** Receiver requests beyond the first per id. */
  duplicates: number;
  /** Receiver requests whose CloudEvent id (the log uuid) has no log row at all (must be none). */
  unlogged: ReceivedRequest[];
  /** Ids that reached the receiver without any success row (must be none). */
  withoutSuccessRow: number[];
  /** Ids delivered under more than one uuid (a redelivered trigger must keep its uuid). */
  idsWithSeveralUuids: number;
}

/**
 * Counts what a receiver path got for the published ids and matches every request to the log
 * rows by its CloudEvent id (the log uuid).
 */
export function countDeliveries(
  requests: readonly ReceivedRequest[],
  rows: readonly LogRow[],
  ids: readonly number[],
): DeliveryCount {
  const wanted = new Set(ids);
  const perId = new Map<number, number>();
  const uuidsPerId = new Map<number, Set<string>>();
  const logged = new Set(rows.map((row) => row.uuid));
  const succeeded = new Set(rows.filter((row) => row.success === 1).map((row) => row.uuid));
  const unlogged: ReceivedRequest[] = [];
  for (const request of requests) {
    const id = entityIdOf(request);
    if (id === undefined || !wanted.has(id)) {
      continue;
    }
    perId.set(id, (perId.get(id) ?? 0) + 1);
    const uuids = uuidsPerId.get(id) ?? new Set<string>();
    uuids.add(request.eventId ?? '');
    uuidsPerId.set(id, uuids);
    if (request.eventId === undefined || !logged.has(request.eventId)) {
      unlogged.push(request);
    }
  }
  let duplicates = 0;
  for (const count of perId.values()) {
    duplicates += count - 1;
  }
  const delivered = new Set<number>();
  const withoutSuccessRow: number[] = [];
  for (const [id, uuids] of uuidsPerId) {
    if ([...uuids].some((uuid) => succeeded.has(uuid))) {
      delivered.add(id);
    } else {
      withoutSuccessRow.push(id);
    }
  }
  const idsWithSeveralUuids = [...uuidsPerId.values()].filter((uuids) => uuids.size > 1).length;
  return { delivered, duplicates, unlogged, withoutSuccessRow, idsWithSeveralUuids };
}

/** Published ids that reached the receiver at least once (no log rows needed: for waiting). */
export function receivedIds(requests: readonly ReceivedRequest[], ids: readonly number[]): Set<number> {
  const wanted = new Set(ids);
  const seen = new Set<number>();
  for (const request of requests) {
    const id = entityIdOf(request);
    if (id !== undefined && wanted.has(id)) {
      seen.add(id);
    }
  }
  return seen;
}

/** `count` consecutive ids from `first`. */
export function idRange(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => first + index);
}

/**
 * Subscribes `<receiverUrl>/orders` to sales.order.updated, the event every fault publishes, and
 * waits out the sidecar's subscription cache refresh (SUBSCRIPTION_REFRESH_MS 200 in the tests).
 */
export async function subscribeOrders(db: TestDatabase, receiverUrl: string): Promise<number> {
  const subscriptionId = await db.addSubscription({
    eventName: 'sales.order.updated',
    recipientUrl: `${receiverUrl}/orders`,
  });
  await new Promise((resolve) => setTimeout(resolve, 400));
  return subscriptionId;
}
