import { createHash } from 'node:crypto';

/**
 * Index names as upstream's Magento indexer makes them: `<prefix>_async_event_<event name>`, one
 * index per event, all read through `<prefix>_async_event_*` (upstream's admin search uses that
 * pattern, so it finds the sidecar's documents too, and the sidecar finds upstream's).
 *
 * Elasticsearch and OpenSearch want lower-case names of at most 255 bytes without `\/*?"<>|,#:`
 * or spaces. Event names match `[a-zA-Z0-9._-]+` (async_events.xsd), so lower-casing is all they
 * usually need; anything else is replaced defensively.
 */
export const INDEX_INFIX = '_async_event_';
/** For rows whose subscription (and so event name) is gone. */
export const UNKNOWN_EVENT = 'unknown';

const MAX_INDEX_NAME_BYTES = 255;
const UNSAFE = /[^a-z0-9._-]/g;

/** The wildcard every search, delete and existence check uses. */
export function indexPattern(prefix: string): string {
  return `${prefix.toLowerCase()}${INDEX_INFIX}*`;
}

export function indexNameFor(prefix: string, eventName: string | null): string {
  const event = (eventName ?? '').trim().toLowerCase().replace(UNSAFE, '_');
  const name = `${prefix.toLowerCase()}${INDEX_INFIX}${event === '' ? UNKNOWN_EVENT : event}`;
  if (Buffer.byteLength(name) <= MAX_INDEX_NAME_BYTES) {
    return name;
  }
  // Too long to keep whole: keep a readable head and make it unique with a hash of the full name.
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_INDEX_NAME_BYTES - hash.length - 1)}_${hash}`;
}
