import type { LogItem, TailRow } from '../store/index.js';
import { indexNameFor } from './indexNaming.js';

/**
 * One delivery-log row as a search document: upstream's fields (log_id, uuid, event_name,
 * success, created, data = the parsed body, so `data.data.customer_email` reaches into a 4.x
 * CloudEvent) plus ours (subscription_id, store_id, response_data). `_id` is the log_id, so
 * indexing a row again replaces its document instead of adding one.
 */
export interface LogDocument extends Omit<LogItem, 'body'> {
  /** The parsed body; absent when it is not a JSON object (unparsable, empty, or not stored). */
  data?: Record<string, unknown>;
}

export interface IndexOperation {
  index: string;
  /** The log_id as a string, as the engines return `_id`. */
  id: string;
  document: LogDocument;
}

/** The body parsed, when it is a JSON object (anything else would clash with `data`'s mapping). */
export function parseBody(body: string | null): Record<string, unknown> | undefined {
  if (body === null || body === '') {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function toLogDocument(row: TailRow): LogDocument {
  const document: LogDocument = {
    log_id: row.log_id,
    uuid: row.uuid,
    subscription_id: row.subscription_id,
    event_name: row.event_name,
    store_id: row.store_id,
    success: row.success,
    created: row.created,
    response_data: row.response_data,
  };
  const data = parseBody(row.body);
  if (data !== undefined) {
    document.data = data;
  }
  return document;
}

export function toIndexOperation(prefix: string, row: TailRow): IndexOperation {
  return {
    index: indexNameFor(prefix, row.event_name),
    id: String(row.log_id),
    document: toLogDocument(row),
  };
}

/** The same document without `data`: what is indexed when the engine refuses the body's shape. */
export function withoutData(operation: IndexOperation): IndexOperation {
  const { data: _data, ...rest } = operation.document;
  return { ...operation, document: rest };
}
