import type { PayloadFormat } from '../config/index.js';
import { phpJsonString } from '../shared/index.js';

export interface DeliveryBodyInput {
  format: PayloadFormat;
  /** uuid v4 of the delivery: the CloudEvent id and the log row's uuid. */
  uuid: string;
  /** The CloudEvent `source`: the store id of the event (as a number, or already as text). */
  storeId: number | string;
  /** As published (upstream puts the published name in `type`). */
  eventName: string;
  /** The resolved payload, as the REST API wrote it. */
  payload: Buffer;
}

/**
 * The webhook body, byte for byte what Mage-OS Async Events sends (design.md §4):
 * - `cloudevents` (4.x): a structured CloudEvent with attributes in upstream's order (specversion,
 *   id, source = store id, type = event name, datacontenttype) and `data`, no `time`;
 * - `legacy` (3.x): `{"data": …}`.
 * Magento's REST body is itself flag-less json_encode output, the same encoder PHP would use for
 * `data`, so the raw bytes are spliced in after `"data":` instead of being parsed and re-encoded.
 */
export function encodeDeliveryBody(input: DeliveryBodyInput): Buffer {
  if (input.format === 'legacy') {
    return Buffer.concat([LEGACY_PREFIX, input.payload, CLOSE_BRACE]);
  }
  const head =
    `{"specversion":"1.0","id":${phpJsonString(input.uuid)},"source":${phpJsonString(String(input.storeId))},` +
    `"type":${phpJsonString(input.eventName)},"datacontenttype":"application\\/json","data":`;
  return Buffer.concat([Buffer.from(head, 'utf8'), input.payload, CLOSE_BRACE]);
}

const LEGACY_PREFIX = Buffer.from('{"data":', 'utf8');
const CLOSE_BRACE = Buffer.from('}', 'utf8');
