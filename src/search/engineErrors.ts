import { ApiError, coerceError, errorCodeOf, SidecarError } from '../shared/index.js';

/**
 * Classifies what the two official clients throw (their error classes share names and shapes):
 * a 400 answer means the engine refused the request itself (a query it cannot parse, a date in
 * the wrong format); everything else (connection refused, timeouts, 5xx, 429, auth, a server that
 * is not the configured product) means the engine cannot serve us now.
 *
 * The client errors carry request metadata (node URL, headers). They are never logged or attached
 * as `cause`: only the plain summary below leaves this module.
 */
export type EngineFailureKind = 'rejected' | 'unavailable';

export interface EngineFailure {
  kind: EngineFailureKind;
  /** The client error's class name, e.g. `ConnectionError`, `ResponseError`. */
  name: string;
  /** HTTP status, when the engine answered. */
  status?: number;
  /** The engine's error type, e.g. `search_phase_execution_exception`. */
  type?: string;
  /** One line for logs and API answers (truncated). */
  reason: string;
}

const MAX_REASON = 500;

interface ErrorCause {
  type?: unknown;
  reason?: unknown;
  caused_by?: ErrorCause;
  root_cause?: ErrorCause[];
  failed_shards?: Array<{ reason?: ErrorCause }>;
}

function bodyOf(error: object): { error?: ErrorCause | string } | undefined {
  const meta = (error as { meta?: { body?: unknown } }).meta;
  const body = meta?.body ?? (error as { body?: unknown }).body;
  return typeof body === 'object' && body !== null ? body : undefined;
}

function statusOf(error: object): number | undefined {
  const direct = (error as { statusCode?: unknown }).statusCode;
  const meta = (error as { meta?: { statusCode?: unknown } }).meta?.statusCode;
  const status = typeof direct === 'number' ? direct : meta;
  return typeof status === 'number' ? status : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The most specific reason: a shard's cause (the query parser's message) before the root cause. */
function reasonOf(cause: ErrorCause): { type?: string; reason?: string } {
  const root = cause.root_cause?.[0] ?? cause;
  const detail = cause.failed_shards?.[0]?.reason?.caused_by ?? root.caused_by;
  const rootText = [text(root.type), text(root.reason)].filter(Boolean).join(': ');
  const detailText = text(detail?.reason);
  const type = text(root.type) ?? text(cause.type);
  const reason =
    detailText !== undefined && detailText !== text(root.reason) ? `${rootText} (${detailText})` : rootText;
  return { ...(type === undefined ? {} : { type }), ...(reason === '' ? {} : { reason }) };
}

const HINTS: Record<string, string> = {
  ProductNotSupportedError:
    'the server is not Elasticsearch 8; use SEARCH_ENGINE=opensearch for OpenSearch or Elasticsearch 7',
  NotCompatibleError:
    'the server is neither OpenSearch nor Elasticsearch 7; use SEARCH_ENGINE=elasticsearch for Elasticsearch 8',
  TimeoutError: 'the request timed out',
  NoLivingConnectionsError: 'no connection to the engine is alive',
};

export function classifyEngineError(error: unknown): EngineFailure {
  if (typeof error !== 'object' || error === null) {
    return { kind: 'unavailable', name: typeof error, reason: String(error) };
  }
  const name = text((error as { name?: unknown }).name) ?? 'Error';
  const status = statusOf(error);
  const body = bodyOf(error);
  const cause = typeof body?.error === 'object' ? reasonOf(body.error) : { reason: text(body?.error) };
  let reason = cause.reason ?? HINTS[name] ?? text((error as { message?: unknown }).message) ?? name;
  if (status === 401 || status === 403) {
    reason = `authentication or authorization failed (${status}); check SEARCH_USERNAME/SEARCH_PASSWORD: ${reason}`;
  }
  return {
    kind: name === 'ResponseError' && status === 400 ? 'rejected' : 'unavailable',
    name,
    ...(status === undefined ? {} : { status }),
    ...(cause.type === undefined ? {} : { type: cause.type }),
    reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason,
  };
}

/** Runs an index creation; false when the index already existed (another process made it first). */
export async function createUnlessExists(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error: unknown) {
    if (isAlreadyExists(error)) {
      return false;
    }
    throw error;
  }
}

export function isAlreadyExists(error: unknown): boolean {
  const type = classifyEngineError(error).type;
  return type === 'resource_already_exists_exception' || type === 'index_already_exists_exception';
}

/**
 * The API's view of an engine failure: a query the engine refuses is the caller's 400 with the
 * engine's reason; anything else is a 503, never an empty result (upstream's admin search shows
 * nothing when Elasticsearch is down, which reads as "no such deliveries").
 */
export function toApiFailure(error: unknown): SidecarError {
  if (error instanceof SidecarError) {
    return error;
  }
  const failure = classifyEngineError(error);
  if (failure.kind === 'rejected') {
    return new ApiError('SC_ERR_INPUT', 'The search engine rejected the query: %reason', {
      parameters: { reason: failure.reason },
    });
  }
  return new SidecarError(
    'SC_ERR_UNAVAILABLE',
    `The search engine is unavailable: ${failure.name}: ${failure.reason}`,
  );
}

// Client errors carry request metadata: they are summarised, never logged whole.
const ENGINE_ERROR_NAMES = new Set([
  'ResponseError',
  'ConnectionError',
  'TimeoutError',
  'NoLivingConnectionsError',
  'ProductNotSupportedError',
  'NotCompatibleError',
  'DeserializationError',
  'SerializationError',
  'RequestAbortedError',
  'ConfigurationError',
]);

/** A failure as it may be logged: engine errors summarised, others (database, bugs) as `err`. */
export function loggableFailure(error: unknown): { fields: Record<string, unknown>; reason: string } {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && ENGINE_ERROR_NAMES.has(name)) {
    const failure = classifyEngineError(error);
    return { fields: { engineError: failure }, reason: `${failure.name}: ${failure.reason}` };
  }
  const err = coerceError(error);
  const code = errorCodeOf(error);
  return { fields: { err }, reason: code === undefined ? err.message : `${code}: ${err.message}` };
}
