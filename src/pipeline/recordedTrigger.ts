import type { PayloadFormat } from '../config/index.js';
import { encodeDeliveryBody } from '../delivery/index.js';
import type { CatalogEvent, EventCatalog, PayloadResolver } from '../magento/index.js';
import type { TriggerRecord } from '../store/index.js';

/** The body of a delivery resolved again from what triggered it, or why there is none. */
export type RecordedResolution =
  | { kind: 'resolved'; event: CatalogEvent; body: Buffer }
  /** async_events.xml no longer declares the event. */
  | { kind: 'undeclared'; reason: string }
  | { kind: 'final'; reason: string }
  /** Magento is unavailable now: try again later. */
  | { kind: 'retryable'; reason: string };

/**
 * Resolves a kept trigger (event name, published arguments, store) from Magento as it is now and
 * builds the delivery body: for "fresh" replays and for held deliveries.
 */
export async function resolveRecordedTrigger(
  options: { catalog: EventCatalog; resolver: PayloadResolver; payloadFormat: PayloadFormat },
  record: TriggerRecord,
  uuid: string,
): Promise<RecordedResolution> {
  const event = options.catalog.get(record.eventName);
  if (event === undefined) {
    return { kind: 'undeclared', reason: `event ${record.eventName} is no longer declared` };
  }
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(record.arguments) as Record<string, unknown>;
  } catch {
    return { kind: 'final', reason: 'the kept arguments are not valid JSON' };
  }
  const resolved = await options.resolver.resolve(event, args, record.storeId);
  if (resolved.kind !== 'resolved') {
    return resolved;
  }
  const body = encodeDeliveryBody({
    format: options.payloadFormat,
    uuid,
    storeId: record.storeId,
    eventName: record.eventName,
    payload: resolved.payload,
  });
  return { kind: 'resolved', event, body };
}
