/**
 * The settings and mapping of an index the sidecar creates (it never changes an existing one, so
 * indices made by upstream's Magento indexer keep theirs). Explicit where a dynamic guess would be
 * wrong:
 * - `created` is a date in the column's own format (`2026-01-01 10:00:00`, UTC) that also takes ISO
 *   dates and epoch millis, so `created:[2026-01-01 TO now]` is a date range, not a string range.
 * - ids are longs, `success` a boolean, `uuid`/`event_name` keywords (exact values and wildcards,
 *   lower-cased like the embedded backend's case-insensitive collation).
 * - `data` stays dynamic (payloads differ per event). `date_detection` is off so a field that once
 *   looked like a date does not refuse later values, and `ignore_malformed` keeps a document whose
 *   value does not fit an earlier guess (that value is then not searchable, the rest is).
 * - Text is analysed with `uax_url_email`, which keeps e-mail addresses and URLs as one token:
 *   `data.data.customer_email: roni_cost@example.com` then finds that customer, not every
 *   `example.com` address.
 */
export interface IndexDefinition {
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

export const CREATED_FORMAT = 'yyyy-MM-dd HH:mm:ss||strict_date_optional_time||epoch_millis';

export const LOG_INDEX_DEFINITION: IndexDefinition = {
  settings: {
    'index.mapping.ignore_malformed': true,
    analysis: {
      analyzer: {
        default: { type: 'custom', tokenizer: 'uax_url_email', filter: ['lowercase'] },
      },
      normalizer: {
        lowercase: { type: 'custom', filter: ['lowercase'] },
      },
    },
  },
  mappings: {
    dynamic: true,
    date_detection: false,
    properties: {
      log_id: { type: 'long' },
      uuid: { type: 'keyword', normalizer: 'lowercase' },
      subscription_id: { type: 'long' },
      event_name: { type: 'keyword', normalizer: 'lowercase' },
      store_id: { type: 'long' },
      success: { type: 'boolean' },
      created: { type: 'date', format: CREATED_FORMAT },
      response_data: { type: 'text' },
      data: { type: 'object', dynamic: true },
    },
  },
};
