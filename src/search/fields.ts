import { ApiError, closeMatches } from '../shared/index.js';

/**
 * The searchable fields, named as upstream indexes them (log_id, uuid, event_name, success,
 * created, data.*) plus ours (subscription_id, store_id, response_data).
 */
export type FieldKind = 'integer' | 'keyword' | 'text' | 'boolean' | 'date' | 'json';

export interface SearchField {
  name: string;
  kind: FieldKind;
  /** The SQL expression over `l` (async_event_subscriber_log) and `s` (async_event_subscriber). */
  sql: string;
}

export const SEARCH_FIELDS: readonly SearchField[] = [
  { name: 'log_id', kind: 'integer', sql: 'l.log_id' },
  { name: 'uuid', kind: 'keyword', sql: 'l.uuid' },
  { name: 'subscription_id', kind: 'integer', sql: 'l.subscription_id' },
  { name: 'event_name', kind: 'keyword', sql: 's.event_name' },
  { name: 'store_id', kind: 'integer', sql: 's.store_id' },
  { name: 'success', kind: 'boolean', sql: 'l.success' },
  { name: 'created', kind: 'date', sql: 'l.created' },
  { name: 'response_data', kind: 'text', sql: 'l.response_data' },
  { name: 'data', kind: 'json', sql: 'CONVERT(l.serialized_data USING utf8mb4)' },
];

const BY_NAME = new Map(SEARCH_FIELDS.map((field) => [field.name, field]));
const PATH_SEGMENT = /^[A-Za-z0-9_]+$/;

export interface ResolvedField {
  field: SearchField;
  /** For `data.a.b`: the segments under `data` (['a', 'b']). */
  path: string[];
}

export function resolveField(name: string): ResolvedField {
  const [head = '', ...path] = name.split('.');
  const field = BY_NAME.get(head);
  if (field === undefined || (path.length > 0 && field.kind !== 'json')) {
    const hints = closeMatches(name, [...BY_NAME.keys(), 'data.data.increment_id']);
    throw new ApiError('SC_ERR_INPUT', 'Unknown field "%field"; search %fields%hint.', {
      parameters: {
        field: name,
        fields: SEARCH_FIELDS.map((entry) => (entry.kind === 'json' ? 'data.<path>' : entry.name)).join(', '),
        hint: hints.length > 0 ? ` (did you mean ${hints.join(', ')}?)` : '',
      },
    });
  }
  const bad = path.find((segment) => !PATH_SEGMENT.test(segment));
  if (bad !== undefined) {
    throw new ApiError(
      'SC_ERR_INPUT',
      'The path segment "%segment" of "%field" may only use letters, digits and _.',
      {
        parameters: { segment: bad, field: name },
      },
    );
  }
  return { field, path };
}
