import type { BulkDrop } from './engineClient.js';
import type { IndexOperation } from './logDocument.js';

/**
 * What both bulk helpers hand to `onDrop`, reduced to what we log and act on. The document body
 * is left out on purpose: it is the delivered payload (customer data).
 */
export interface HelperDrop {
  status: number;
  error: { type?: string; reason?: string | null } | null;
  operation: unknown;
}

function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export function toBulkDrop(drop: HelperDrop): BulkDrop {
  const action = (drop.operation ?? {}) as Record<string, { _index?: unknown; _id?: unknown } | undefined>;
  const target = action.index ?? action.create ?? {};
  return {
    index: scalar(target._index),
    id: scalar(target._id),
    status: drop.status,
    // The helpers drop with `error: null` when 429 retries ran out.
    type: drop.error?.type ?? (drop.status === 429 ? 'too_many_requests' : 'unknown'),
    reason: drop.error?.reason ?? (drop.status === 429 ? 'the engine kept answering 429' : ''),
  };
}

/**
 * The options both clients' bulk helpers take for our index operations: one `index` action per
 * log document, its drops collected into `drops`.
 */
export function bulkHelperOptions(
  operations: readonly IndexOperation[],
  concurrency: number,
  drops: BulkDrop[],
) {
  return {
    datasource: [...operations],
    // A pair (action, source), as both helpers accept, since the datasource items are not the documents.
    onDocument: (
      operation: IndexOperation,
    ): [{ index: { _index: string; _id: string } }, IndexOperation['document']] => [
      { index: { _index: operation.index, _id: operation.id } },
      operation.document,
    ],
    concurrency,
    /** Send a request once this many bytes are queued (bodies are up to 64 KB each). */
    flushBytes: 5_000_000,
    /** The helper's own retries of documents answered 429, and the pause between them (ms). */
    retries: 2,
    wait: 1000,
    onDrop: (drop: HelperDrop) => drops.push(toBulkDrop(drop)),
  };
}

/**
 * Awaits a bulk helper (both clients' helpers are promises with `abort()`), aborting it when
 * `signal` fires: abort() stops further requests and the helper's own outcome is still awaited.
 */
export async function settleBulkHelper<S>(
  helper: PromiseLike<S> & { abort(): PromiseLike<unknown> },
  signal: AbortSignal | undefined,
): Promise<S> {
  const abort = (): void => {
    Promise.resolve(helper.abort()).catch(() => undefined);
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await helper;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
