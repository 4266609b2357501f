import type { Semaphore } from '../shared/index.js';
import type { CatalogEvent } from './catalog.js';
import { renderMagentoError } from './magentoError.js';
import { makeModuleResolver, type ModuleResolverOptions } from './moduleResolver.js';
import { classifyRestFailure, isJsonAnswer, networkFailure, type ResolveOutcome } from './resolveOutcome.js';
import type { MagentoRestClient } from './restClient.js';
import { bindRoute } from './routeBinding.js';

export interface PayloadResolver {
  /**
   * Resolves the payload of one published event, through a direct GET route or the module's batch
   * route as the catalog decided. No abort signal: a request shared by coalescing or batching
   * serves several messages, and an answer that arrives after its message's channel died is merely
   * unused.
   */
  resolve(event: CatalogEvent, args: Record<string, unknown>, storeId: number): Promise<ResolveOutcome>;
}

export interface ResolveObserver {
  /** One Magento request finished (`route` is `direct` or `module`). */
  onRequest?(route: 'direct' | 'module', outcome: ResolveOutcome['kind'], durationMs: number): void;
}

export interface PayloadResolverOptions {
  client: MagentoRestClient;
  /** Bounds Magento requests in flight (each one is a PHP bootstrap). */
  semaphore: Semaphore;
  /** Batching of the module route. */
  batch: Pick<ModuleResolverOptions, 'maxSize' | 'maxWaitMs'>;
  observer?: ResolveObserver;
}

/**
 * Resolves payloads through Magento's REST API (design.md §5). Direct GET requests that are
 * identical and in flight at the same time share one call: a burst of `sales.order.*` events for
 * one order costs one PHP request. Events without a GET route go through the module's batch route.
 */
export function makePayloadResolver(options: PayloadResolverOptions): PayloadResolver {
  const inFlight = new Map<string, Promise<ResolveOutcome>>();
  const module = makeModuleResolver({
    client: options.client,
    semaphore: options.semaphore,
    ...options.batch,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
  });

  const fetchDirect = async (path: string): Promise<ResolveOutcome> => {
    const started = performance.now();
    const what = `GET ${path}`;
    let outcome: ResolveOutcome;
    try {
      const response = await options.semaphore.run(() => options.client.get(path));
      if (response.status < 200 || response.status >= 300) {
        outcome = classifyRestFailure(what, response);
      } else if (!isJsonAnswer(response)) {
        outcome = {
          kind: 'retryable',
          reason: `${what} answered ${response.status} with ${response.contentType ?? 'no content type'} instead of JSON: ${renderMagentoError(response.body, 200)}`,
        };
      } else {
        outcome = { kind: 'resolved', payload: response.body, path };
      }
    } catch (error: unknown) {
      outcome = networkFailure(what, error);
    }
    options.observer?.onRequest?.('direct', outcome.kind, performance.now() - started);
    return outcome;
  };

  const resolveDirect = (event: CatalogEvent, args: Record<string, unknown>): Promise<ResolveOutcome> => {
    const bound = bindRoute(event.candidates, args);
    if (!bound.ok) {
      return Promise.resolve({ kind: 'final', reason: bound.reason });
    }
    const shared = inFlight.get(bound.path);
    if (shared !== undefined) {
      return shared;
    }
    const request = fetchDirect(bound.path).finally(() => inFlight.delete(bound.path));
    inFlight.set(bound.path, request);
    return request;
  };

  return {
    resolve(event, args, storeId) {
      switch (event.resolution) {
        case 'direct':
          return resolveDirect(event, args);
        case 'module':
          return module.resolve({ eventName: event.definition.name, arguments: args, storeId });
        case 'none': {
          const { serviceClass, serviceMethod } = event.resolvedService;
          return Promise.resolve({
            kind: 'final',
            reason: `${serviceClass}::${serviceMethod} has no REST GET route and the MageOS_AsyncEvents resolve route is not installed, so ${event.definition.name} cannot be resolved`,
          });
        }
      }
    },
  };
}
