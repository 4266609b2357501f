import { errorCodeOf, type Semaphore } from '../shared/index.js';
import type { CatalogEvent } from './catalog.js';
import { renderMagentoError } from './magentoError.js';
import type { MagentoRestClient, RestResponse } from './restClient.js';
import { bindRoute } from './routeBinding.js';

/**
 * What resolving an event's payload gave:
 * - `resolved`: the REST body bytes, exactly as Magento wrote them;
 * - `final`: Magento (or the binding) says this will never resolve (404, bad arguments): each
 *   subscriber gets a failed log row with the reason;
 * - `retryable`: Magento cannot answer now (5xx, timeout, refused token): try the trigger later.
 */
export type ResolveOutcome =
  | { kind: 'resolved'; payload: Buffer; path: string }
  | { kind: 'final'; reason: string }
  | { kind: 'retryable'; reason: string };

export interface PayloadResolver {
  /**
   * No abort signal: a request shared by coalescing serves several messages, and an answer that
   * arrives after its message's channel died is merely unused.
   */
  resolve(event: CatalogEvent, args: Record<string, unknown>): Promise<ResolveOutcome>;
}

export interface ResolveObserver {
  onRequest?(outcome: ResolveOutcome['kind'], durationMs: number): void;
}

export interface PayloadResolverOptions {
  client: MagentoRestClient;
  /** Bounds Magento requests in flight (each one is a PHP bootstrap). */
  semaphore: Semaphore;
  observer?: ResolveObserver;
}

// 401/403: the integration token is wrong or lacks a resource; an operator can fix that, and the
// events must survive until then. 408/429: Magento or a proxy asks to come back later.
const RETRYABLE_CLIENT_STATUSES = new Set([401, 403, 408, 425, 429]);
const JSON_START = /^\s*[[{"\-0-9tfn]/;

/**
 * Resolves payloads through Magento's REST API (design.md §5). Identical requests in flight at the
 * same time share one call: a burst of `sales.order.*` events for one order costs one PHP request.
 */
export function makePayloadResolver(options: PayloadResolverOptions): PayloadResolver {
  const inFlight = new Map<string, Promise<ResolveOutcome>>();

  const fetchOnce = async (path: string): Promise<ResolveOutcome> => {
    const started = performance.now();
    let outcome: ResolveOutcome;
    try {
      const response = await options.semaphore.run(() => options.client.get(path));
      outcome = classify(path, response);
    } catch (error: unknown) {
      const code = errorCodeOf(error);
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        kind: 'retryable',
        reason: `GET ${path} failed: ${message}${code !== undefined && !message.includes(code) ? ` (${code})` : ''}`,
      };
    }
    options.observer?.onRequest?.(outcome.kind, performance.now() - started);
    return outcome;
  };

  return {
    async resolve(event, args) {
      if (event.candidates.length === 0) {
        const { serviceClass, serviceMethod } = event.resolvedService;
        return {
          kind: 'final',
          reason: `${serviceClass}::${serviceMethod} has no REST GET route; install the MageOS_AsyncEvents resolve route to resolve ${event.definition.name}`,
        };
      }
      const bound = bindRoute(event.candidates, args);
      if (!bound.ok) {
        return { kind: 'final', reason: bound.reason };
      }
      const shared = inFlight.get(bound.path);
      if (shared !== undefined) {
        return shared;
      }
      const request = fetchOnce(bound.path).finally(() => inFlight.delete(bound.path));
      inFlight.set(bound.path, request);
      return request;
    },
  };
}

function classify(path: string, response: RestResponse): ResolveOutcome {
  const { status, body } = response;
  if (status >= 200 && status < 300) {
    const contentType = response.contentType ?? '';
    if (!contentType.includes('json') || !JSON_START.test(body.subarray(0, 64).toString('latin1'))) {
      return {
        kind: 'retryable',
        reason: `GET ${path} answered ${status} with ${contentType || 'no content type'} instead of JSON: ${renderMagentoError(body, 200)}`,
      };
    }
    return { kind: 'resolved', payload: body, path };
  }
  const detail = renderMagentoError(body);
  const reason = `Magento answered ${status} to GET ${path}${detail === '' ? '' : `: ${detail}`}`;
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
