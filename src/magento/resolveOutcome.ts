import { errorCodeOf } from '../shared/index.js';
import { renderMagentoError } from './magentoError.js';
import type { RestResponse } from './restClient.js';

/**
 * What resolving an event's payload gave:
 * - `resolved`: the payload bytes, exactly as Magento's json_encode wrote them;
 * - `final`: Magento (or the binding) says this will never resolve (404, bad arguments): each
 *   subscriber gets a failed log row with the reason;
 * - `retryable`: Magento cannot answer now (5xx, timeout, refused token): try the trigger later.
 */
export type ResolveOutcome =
  | { kind: 'resolved'; payload: Buffer; path: string }
  | { kind: 'final'; reason: string }
  | { kind: 'retryable'; reason: string };

// 401/403: the integration token is wrong or lacks a resource; an operator can fix that, and the
// events must survive until then. 408/429: Magento or a proxy asks to come back later.
const RETRYABLE_CLIENT_STATUSES = new Set([401, 403, 408, 425, 429]);

/**
 * Classifies a non-2xx answer of Magento's REST API for the request described by `what`
 * (e.g. "GET /V1/orders/5").
 */
export function classifyRestFailure(
  what: string,
  response: RestResponse,
): Exclude<ResolveOutcome, { kind: 'resolved' }> {
  const { status } = response;
  const detail = renderMagentoError(response.body);
  const reason = `Magento answered ${status} to ${what}${detail === '' ? '' : `: ${detail}`}`;
  // A redirect means MAGENTO_BASE_URL points at the wrong place (http vs https, missing path): an
  // operator fixes it, so the events wait instead of failing for good.
  if (status >= 300 && status < 400) {
    return { kind: 'retryable', reason: `${reason} (redirect; set MAGENTO_BASE_URL to the final URL)` };
  }
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) {
    return { kind: 'retryable', reason };
  }
  return { kind: 'final', reason };
}

/** A request that got no answer at all (refused, reset, timeout) is always worth another try. */
export function networkFailure(what: string, error: unknown): Extract<ResolveOutcome, { kind: 'retryable' }> {
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: 'retryable',
    reason: `${what} failed: ${message}${code !== undefined && !message.includes(code) ? ` (${code})` : ''}`,
  };
}

const JSON_START = /^\s*[[{"\-0-9tfn]/;

/** Whether the bytes start like a JSON value: a cheap check before they are spliced into a body. */
export function startsLikeJson(bytes: Buffer): boolean {
  return JSON_START.test(bytes.subarray(0, 64).toString('latin1'));
}

/** A 2xx answer must be JSON to be spliced into a delivery; a proxy's HTML page is not. */
export function isJsonAnswer(response: RestResponse): boolean {
  return (response.contentType ?? '').includes('json') && startsLikeJson(response.body);
}
