import { type CloudEventParts, readCloudEvent } from '../cloudEvent.js';
import type { AttemptOutcome } from '../outcome.js';
import type { SinkDelivery } from './sink.js';

/**
 * The delivery's body read as a CloudEvent, with the delivery's own id, event and store as the
 * attributes a 3.x body lacks. A body that is not JSON cannot become one: a failed, final attempt.
 */
export function deliveryCloudEvent(
  delivery: SinkDelivery,
): { ok: true; event: CloudEventParts } | { ok: false; outcome: AttemptOutcome } {
  try {
    return {
      ok: true,
      event: readCloudEvent(delivery.body, {
        id: delivery.uuid,
        type: delivery.eventName,
        source: String(delivery.subscription.storeId),
      }),
    };
  } catch (error: unknown) {
    return {
      ok: false,
      outcome: { ok: false, retryable: false, responseData: `The body is not JSON: ${String(error)}` },
    };
  }
}
