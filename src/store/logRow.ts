/** One delivery attempt, as a row of async_event_subscriber_log. */
export interface DeliveryLogRow {
  uuid: string;
  subscriptionId: number;
  success: boolean;
  /** The receiver's answer, or why there was none. */
  responseData: string;
  /** The exact delivered body (upstream's admin Replay parses it), or null when none was built. */
  serializedData: Buffer | null;
  /** For a first attempt: what triggered it, kept so a replay can resolve the payload afresh. */
  trigger?: TriggerRecord;
}

export interface TriggerRecord {
  eventName: string;
  /** The published arguments, JSON-encoded. */
  arguments: string;
  storeId: number;
}

const ENCODER = new TextEncoder();

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 4 || Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }
  const marker = '… [truncated]';
  const budget = Math.max(0, maxBytes - Buffer.byteLength(marker, 'utf8'));
  const bytes = new Uint8Array(budget);
  const { read } = ENCODER.encodeInto(text, bytes);
  return text.slice(0, read) + marker;
}

/**
 * Makes a row fit the live columns: response_data is cut to the TEXT size; a body larger than the
 * BLOB is not stored (the delivery itself is unaffected) and response_data says so.
 */
export function fitLogRow(
  row: DeliveryLogRow,
  limits: { responseDataBytes: number; serializedDataBytes: number },
): DeliveryLogRow {
  let responseData = row.responseData;
  let serializedData = row.serializedData;
  if (serializedData !== null && serializedData.length > limits.serializedDataBytes) {
    responseData = `[body of ${serializedData.length} bytes not stored: serialized_data holds ${limits.serializedDataBytes}] ${responseData}`;
    serializedData = null;
  }
  responseData = truncateUtf8(responseData, limits.responseDataBytes);
  // Nearly every row fits as it is: no copy for those (one per delivery, on the log writer's path).
  if (responseData === row.responseData && serializedData === row.serializedData) {
    return row;
  }
  return { ...row, responseData, serializedData };
}
