import type { Router } from 'express';

import type { Config } from '../config/index.js';
import type { CircuitBreakers } from '../controls/index.js';
import type { Dispatcher, SinkRegistry } from '../delivery/index.js';
import { asyncEventRoutes, controlsRoutes, type HttpAppOptions } from '../http/index.js';
import type { Releasers } from '../lifecycle/index.js';
import { type EventCatalog, type MagentoKeyring, makeMagentoTokenChecker } from '../magento/index.js';
import { makeApiAuthenticator, makeFailureLimiter } from '../security/index.js';
import { coerceError, type Logger } from '../shared/index.js';
import type { Pool, SubscriptionCache } from '../store/index.js';
import { makeControlsService, makeSubscriptionService } from '../subscriptions/index.js';

/** The REST API: authentication (static tokens and/or Magento delegation), the subscription and controls routes. */
export function buildApi(parts: {
  config: Config;
  catalog: EventCatalog;
  keys: MagentoKeyring;
  pool: Pool;
  sinks: SinkRegistry;
  breakers: CircuitBreakers;
  dispatcher: Dispatcher;
  subscriptions: SubscriptionCache;
  logger: Logger;
  releasers: Releasers;
  /** Further API routers (delivery search, dead letters), behind the same authentication. */
  routers: readonly Router[];
}): NonNullable<HttpAppOptions['api']> {
  const { config, catalog } = parts;
  let checker: ReturnType<typeof makeMagentoTokenChecker> | undefined;
  if (config.api.authMagento && config.magento.baseUrl !== undefined) {
    checker = makeMagentoTokenChecker({
      baseUrl: config.magento.baseUrl,
      timeoutMs: config.magento.timeoutMs,
      routes: catalog.routes,
      moduleRoute: catalog.moduleRoute,
    });
    parts.releasers.add('magento token checker', () => checker?.close());
  }
  const authenticator = makeApiAuthenticator({
    tokens: config.api.tokens,
    ...(checker === undefined ? {} : { magento: checker }),
    cacheMs: config.api.authCacheMs,
    insecureNoAuth: config.api.insecureNoAuth,
  });
  if (config.api.insecureNoAuth) {
    parts.logger.warn('API_INSECURE_NO_AUTH=true: the REST API accepts requests without authentication');
  }
  const onChange = () =>
    parts.subscriptions.refresh().catch((error: unknown) => {
      // The change is committed; other replicas (and this one, if this failed) see it within the window.
      parts.logger.warn({ err: coerceError(error) }, 'Subscription cache refresh after a change failed');
    });
  const service = makeSubscriptionService({
    pool: parts.pool,
    catalog,
    keys: parts.keys,
    sinks: parts.sinks,
    onChange,
  });
  const controls = makeControlsService({
    pool: parts.pool,
    defaults: config.controls.defaults,
    circuitOf: (subscriptionId) => {
      const subscription = parts.subscriptions.byId(subscriptionId);
      const destination =
        subscription === undefined ? undefined : parts.dispatcher.destinationOf(subscription);
      return destination === undefined ? 'closed' : parts.breakers.state(destination);
    },
    onChange,
  });
  return {
    auth: { authenticator, limiter: makeFailureLimiter({ perMinute: config.api.authFailuresPerMinute }) },
    routers: [
      asyncEventRoutes({ service, catalog, authenticator }),
      controlsRoutes({ service: controls }),
      ...parts.routers,
    ],
  };
}
