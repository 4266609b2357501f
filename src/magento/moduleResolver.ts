import { rawArrayObjectMembers } from '../messages/index.js';
import type { Semaphore } from '../shared/index.js';
import { MODULE_RESOLVE_ROUTE } from './catalog.js';
import { renderMagentoError } from './magentoError.js';
import {
  classifyRestFailure,
  isJsonAnswer,
  networkFailure,
  type ResolveOutcome,
  startsLikeJson,
} from './resolveOutcome.js';
import type { MagentoRestClient } from './restClient.js';

export interface ModuleResolveRequest {
  /** Lower-cased, as the module's config reader keys events. */
  eventName: string;
  arguments: Record<string, unknown>;
  storeId: number;
}

export interface ModuleResolver {
  resolve(request: ModuleResolveRequest): Promise<ResolveOutcome>;
}

export interface ModuleResolverOptions {
  client: MagentoRestClient;
  semaphore: Semaphore;
  /** Most events per request (the module accepts up to 200). */
  maxSize: number;
  /** Longest wait for more events before a partial batch is sent, in milliseconds. */
  maxWaitMs: number;
  observer?: { onRequest?(route: 'module', outcome: ResolveOutcome['kind'], durationMs: number): void };
}

// After Magento said the route does not exist, do not ask again for a while.
const ROUTE_MISSING_BACKOFF_MS = 30_000;
const ROUTE_MISSING = /Request does not match any route/i;

/**
 * Resolves events through the thin module's `POST /V1/async_events/resolve`, which runs upstream's
 * own PHP resolution (service input processor → call → output processor) for a batch of events in
 * one PHP bootstrap. Requests are collected for at most `maxWaitMs` or `maxSize` events; identical
 * requests in flight share one element. Each payload is cut out of the answer as raw bytes, so it is
 * byte for byte what PHP's json_encode wrote.
 *
 * States: idle → collecting (timer running) → sending (per batch; batches may overlap).
 */
export function makeModuleResolver(options: ModuleResolverOptions): ModuleResolver {
  let pending: Array<{ request: ModuleResolveRequest; settle: (outcome: ResolveOutcome) => void }> = [];
  const inFlight = new Map<string, Promise<ResolveOutcome>>();
  let timer: NodeJS.Timeout | undefined;
  let unavailable: { until: number; reason: string } | undefined;

  const post = async (requests: readonly ModuleResolveRequest[]): Promise<ResolveOutcome[]> => {
    const what = `POST ${MODULE_RESOLVE_ROUTE.url} (${requests.length} event${requests.length === 1 ? '' : 's'})`;
    const body = Buffer.from(
      JSON.stringify({
        requests: requests.map((request) => ({
          event_name: request.eventName,
          arguments: request.arguments,
          store_id: request.storeId,
        })),
      }),
    );
    let response;
    try {
      response = await options.semaphore.run(() => options.client.post(MODULE_RESOLVE_ROUTE.url, body));
    } catch (error: unknown) {
      return requests.map(() => networkFailure(what, error));
    }
    if (response.status === 404 && ROUTE_MISSING.test(response.body.toString('utf8'))) {
      const reason = `Magento has no ${MODULE_RESOLVE_ROUTE.httpMethod} ${MODULE_RESOLVE_ROUTE.url}: install the thin MageOS_AsyncEvents module (magento-module/) and run bin/magento setup:upgrade`;
      unavailable = { until: Date.now() + ROUTE_MISSING_BACKOFF_MS, reason };
      return requests.map(() => ({ kind: 'retryable', reason }));
    }
    if (response.status === 400 && requests.length > 1) {
      // One malformed element spoils the batch for Magento's input processing: ask one by one.
      return (await Promise.all(requests.map((request) => post([request])))).flat();
    }
    if (response.status < 200 || response.status >= 300) {
      const failure = classifyRestFailure(what, response);
      return requests.map(() => failure);
    }
    return readAnswer(what, response.body, response.contentType, requests);
  };

  const send = async (batch: typeof pending): Promise<void> => {
    const started = performance.now();
    const outcomes = await post(batch.map((entry) => entry.request));
    const duration = performance.now() - started;
    batch.forEach((entry, index) => {
      const outcome = outcomes[index] ?? {
        kind: 'retryable',
        reason: 'the resolve route gave no answer for this event',
      };
      options.observer?.onRequest?.('module', outcome.kind, duration);
      entry.settle(outcome);
    });
  };

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    while (pending.length > 0) {
      const batch = pending.slice(0, options.maxSize);
      pending = pending.slice(options.maxSize);
      void send(batch); // settles every entry itself and never rejects
    }
  };

  return {
    resolve(request) {
      if (unavailable !== undefined && Date.now() < unavailable.until) {
        return Promise.resolve({ kind: 'retryable', reason: unavailable.reason });
      }
      const key = `${request.eventName}\u0000${request.storeId}\u0000${JSON.stringify(request.arguments)}`;
      const shared = inFlight.get(key);
      if (shared !== undefined) {
        return shared;
      }
      const outcome = new Promise<ResolveOutcome>((settle) => pending.push({ request, settle })).finally(() =>
        inFlight.delete(key),
      );
      inFlight.set(key, outcome);
      if (pending.length >= options.maxSize) {
        flush();
      } else {
        timer ??= setTimeout(flush, options.maxWaitMs);
      }
      return outcome;
    },
  };
}

/** What the sidecar reads of each answer element; the payload's bytes are never parsed. */
const ANSWER_MEMBERS: ReadonlySet<string> = new Set(['ok', 'retryable', 'status', 'message', 'payload']);

/** A small member's value, or undefined when it is absent or not JSON. */
function memberValue(element: ReadonlyMap<string, Buffer>, name: string): unknown {
  const raw = element.get(name);
  if (raw === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads the answer in one pass over its bytes (it holds up to RESOLVE_BATCH_SIZE payloads): the
 * structure is checked as it is walked, the small members are parsed, each payload is cut out raw.
 * Parsing the whole answer as well cost more than everything else per event (2.5 of 4.2 ms per
 * 50-event answer measured), for payloads that are passed on as bytes.
 */
function readAnswer(
  what: string,
  body: Buffer,
  contentType: string | undefined,
  requests: readonly ModuleResolveRequest[],
): ResolveOutcome[] {
  const elements = isJsonAnswer({ status: 200, body, contentType })
    ? rawArrayObjectMembers(body, ANSWER_MEMBERS)
    : undefined;
  if (elements?.length !== requests.length) {
    const reason = `${what} answered something other than one result per event: ${renderMagentoError(body, 200)}`;
    return requests.map(() => ({ kind: 'retryable', reason }));
  }
  return requests.map((request, index) => {
    const element = elements[index] ?? new Map<string, Buffer>();
    if (memberValue(element, 'ok') === true) {
      // A service may return nothing; Magento then leaves `payload` out or writes null.
      const payload = element.get('payload') ?? Buffer.from('null');
      // A payload must start like JSON, as a direct route's answer must (isJsonAnswer).
      if (!startsLikeJson(payload)) {
        return {
          kind: 'retryable',
          reason: `${what} answered a payload that is not JSON for ${request.eventName}`,
        };
      }
      return { kind: 'resolved', payload, path: MODULE_RESOLVE_ROUTE.url };
    }
    const status = memberValue(element, 'status');
    const message = memberValue(element, 'message');
    const reason = `Magento could not resolve ${request.eventName}${typeof status === 'number' ? ` (${status})` : ''}: ${typeof message === 'string' ? message : 'no reason given'}`;
    return memberValue(element, 'retryable') === true
      ? { kind: 'retryable', reason }
      : { kind: 'final', reason };
  });
}
