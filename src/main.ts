import { type Consumer, makeAmqpConnection } from './amqp/index.js';
import type { Config } from './config/index.js';
import { makeCircuitBreakers } from './controls/index.js';
import { makeDeadLetterService } from './deadletters/index.js';
import { makeDispatcher, makeTokenVault } from './delivery/index.js';
import {
  deadLetterRoutes,
  type HttpServerHandle,
  logRoutes,
  makeHttpApp,
  type ReadinessReport,
  startHttpServer,
} from './http/index.js';
import { makeReleasers } from './lifecycle/index.js';
import {
  type EventCatalog,
  loadConfiguredCatalog,
  makeMagentoRestClient,
  makePayloadResolver,
  parseCryptKeys,
} from './magento/index.js';
import { CIRCUIT_STATE_VALUES, makeMetrics, type Metrics } from './metrics/index.js';
import { makeMaxDeathsSource } from './pipeline/index.js';
import { makeReplayService } from './replay/index.js';
import { makeRetentionJob } from './retention/index.js';
import { makeDestinationGuard } from './security/index.js';
import { coerceError, type Logger, makeSemaphore, SidecarError, untilAborted } from './shared/index.js';
import {
  checkMagentoSchema,
  type DeliveryLogWriter,
  makeDbPool,
  makeDeliveryLogWriter,
  makeSubscriptionCache,
  runMigrations,
  withDbRetry,
} from './store/index.js';
import {
  buildApi,
  buildConsumers,
  buildDashboard,
  buildMessaging,
  buildSearch,
  buildSinks,
} from './wiring/index.js';

/**
 * Composition root: builds every component from the compiled config, starts the HTTP server at
 * once (so /healthz and /readyz answer while dependencies come up), then boots the pipeline in the
 * background: database reachable, schema checked, sidecar tables migrated → subscriptions loaded → AMQP connected,
 * topology asserted, consumers running.
 *
 * States: booting → running → closing → closed (or failed, reported through `onFatal`).
 */
export interface Sidecar {
  httpUrl: string;
  metrics: Metrics;
  catalog: EventCatalog;
  /** Resolves when the consumers run; rejects when boot fails for good (e.g. wrong schema). */
  started: Promise<void>;
  readiness(): Promise<ReadinessReport>;
  /** Graceful stop within `config.shutdownGraceMs`; idempotent. */
  close(): Promise<void>;
}

/**
 * What this process does: `run` is both; `worker` only consumes (and serves /healthz, /readyz,
 * /metrics), `api` only serves the REST API (replays and re-drives still publish to RabbitMQ).
 * Background jobs (search indexing, log retention) run with the consumers.
 */
export interface SidecarRoles {
  consume: boolean;
  api: boolean;
}

export interface SidecarDeps {
  logger: Logger;
  metrics?: Metrics;
  /** @default both */
  roles?: SidecarRoles;
}

export async function startSidecar(config: Config, deps: SidecarDeps): Promise<Sidecar> {
  const { logger } = deps;
  const roles = deps.roles ?? { consume: true, api: true };
  const releasers = makeReleasers((name, error) =>
    logger.error({ err: error, resource: name }, 'Release failed'),
  );
  const metrics = deps.metrics ?? makeMetrics();
  const { magento, delivery } = config;
  if (magento.baseUrl === undefined || magento.token === undefined || magento.cryptKey === undefined) {
    throw new SidecarError(
      'SC_ERR_CONFIG',
      'MAGENTO_BASE_URL, MAGENTO_TOKEN and MAGENTO_CRYPT_KEY are required to run.',
    );
  }
  const keys = parseCryptKeys(magento.cryptKey);
  const catalog = await loadConfiguredCatalog(magento);
  for (const problem of catalog.problems) {
    logger.warn({ kind: problem.kind, file: problem.file, eventName: problem.eventName }, problem.message);
  }
  logger.info({ events: catalog.events.size, problems: catalog.problems.length }, 'Event catalog loaded');

  const pool = makeDbPool(config.mysql);
  releasers.add('mysql pool', () => pool.end());
  const subscriptions = makeSubscriptionCache({
    pool,
    logger,
    refreshMs: config.subscriptions.refreshMs,
    storeScope: delivery.storeScope,
  });
  releasers.add('subscription cache', () => subscriptions.close());
  const maxDeaths = makeMaxDeathsSource({ override: delivery.maxDeathsOverride, pool, logger });
  releasers.add('max deaths', () => maxDeaths.close());

  const restClient = makeMagentoRestClient({
    baseUrl: magento.baseUrl,
    token: magento.token,
    timeoutMs: magento.timeoutMs,
    connections: magento.concurrency,
  });
  releasers.add('magento client', () => restClient.close());
  const resolver = makePayloadResolver({
    client: restClient,
    semaphore: makeSemaphore(magento.concurrency),
    batch: { maxSize: magento.resolveBatchSize, maxWaitMs: magento.resolveBatchWaitMs },
    observer: {
      onRequest: (route, outcome, ms) => metrics.resolveDuration.observe({ route, outcome }, ms / 1000),
    },
  });
  const guard = makeDestinationGuard({ allowCidrs: delivery.allowCidrs });
  const sinks = buildSinks({ config, guard, logger, releasers });
  const dispatcher = makeDispatcher({
    sinks,
    tokens: makeTokenVault(keys),
    semaphore: makeSemaphore(delivery.concurrency),
  });
  const breakers = makeCircuitBreakers({
    failureThreshold: config.controls.circuitFailureThreshold,
    cooldownMs: config.controls.circuitCooldownMs,
  });
  metrics.circuitSource.read = function* () {
    for (const subscription of subscriptions.all()) {
      const destination = subscription.active ? dispatcher.destinationOf(subscription) : undefined;
      if (destination !== undefined) {
        yield [subscription.subscriptionId, CIRCUIT_STATE_VALUES[breakers.state(destination)]] as const;
      }
    }
  };

  const connection = makeAmqpConnection({ url: config.amqp.url, logger });
  releasers.add('amqp connection', () => connection.close());
  const messaging = buildMessaging(connection, logger);
  const search = buildSearch({ config, pool, logger, metrics });
  releasers.add('search', () => search.close());
  const retention = makeRetentionJob({
    pool,
    search: search.maintenance,
    logger,
    intervalMs: config.retention.intervalMs,
    onDeleted: (rows) => metrics.logRowsDeleted.inc(rows),
  });
  releasers.add('retention', () => retention.close());
  const boot = new AbortController();
  let logWriter: DeliveryLogWriter | undefined;
  let consumers: Consumer[] = [];
  let booted = false;

  const readiness = async (): Promise<ReadinessReport> => {
    const database = await pool
      .query('SELECT 1')
      .then(() => ({ ok: true }))
      .catch((error: unknown) => ({ ok: false, detail: coerceError(error).message }));
    const amqpState = connection.state();
    const checks = {
      amqp: { ok: amqpState === 'connected', detail: amqpState },
      mysql: database,
      pipeline: {
        ok: booted,
        detail: booted ? (roles.consume ? 'consuming' : 'api only: not consuming') : 'starting',
      },
      subscriptions: {
        ok: subscriptions.isFresh(),
        detail: subscriptions.isFresh() ? 'fresh' : 'stale or not loaded',
      },
      // Always ok: deliveries go on without the search engine; the detail says how indexing stands.
      search: search.status(),
    };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };

  // The dashboard reads the API, so it comes and goes with it.
  const dashboard = !roles.api
    ? undefined
    : buildDashboard({
        config,
        pool,
        connection,
        delayQueues: messaging.delayQueues,
        metrics,
        logger,
      });
  const api = !roles.api
    ? undefined
    : buildApi({
        config,
        catalog,
        keys,
        pool,
        sinks,
        breakers,
        dispatcher,
        subscriptions,
        logger,
        releasers,
        routers: [
          logRoutes({
            search: search.backend,
            pool,
            replay: makeReplayService({
              pool,
              search: search.backend,
              retries: messaging.retries,
              catalog,
              resolver,
              payloadFormat: delivery.payloadFormat,
            }),
          }),
          deadLetterRoutes({
            deadLetters: makeDeadLetterService({
              connection,
              publisher: messaging.publisher,
              retries: messaging.retries,
            }),
          }),
          ...(dashboard === undefined ? [] : [dashboard.statsRouter]),
        ],
      });
  const http: HttpServerHandle = await startHttpServer(
    makeHttpApp({
      logger,
      metrics,
      readiness,
      trustProxy: config.http.trustProxy,
      ...(api === undefined ? {} : { api }),
      ...(dashboard === undefined ? {} : { dashboard: dashboard.page }),
    }),
    config.http,
  );
  releasers.add('http server', () => http.close());
  logger.info({ url: http.url }, 'HTTP server listening');

  const started = (async () => {
    const limits = await withDbRetry(() => checkMagentoSchema(pool), {
      logger,
      what: 'Schema check',
      signal: boot.signal,
    });
    await withDbRetry(() => runMigrations(pool, logger), {
      logger,
      what: 'Sidecar table migrations',
      signal: boot.signal,
    });
    await withDbRetry(() => subscriptions.load(), {
      logger,
      what: 'Loading subscriptions',
      signal: boot.signal,
    });
    if (!roles.consume) {
      connection.start();
      await connection.waitUntilConnected(boot.signal);
      booted = true;
      logger.info('Serving the REST API without consuming (api)');
      return;
    }
    await maxDeaths.load();
    logWriter = makeDeliveryLogWriter({
      pool,
      logger,
      limits,
      batchMaxRows: config.deliveryLog.batchMaxRows,
      observer: {
        onBatch: (rows, ms) => {
          metrics.logBatchRows.observe(rows);
          metrics.logCommitDuration.observe(ms / 1000);
        },
        onRetry: () => metrics.logWriteRetries.inc(),
      },
    });
    consumers = buildConsumers({
      config,
      connection,
      messaging,
      logger,
      metrics,
      catalog,
      subscriptions,
      resolver,
      dispatcher,
      logWriter,
      maxDeaths,
      pool,
      breakers,
    });
    connection.start();
    await connection.waitUntilConnected(boot.signal);
    booted = true;
    search.start();
    retention.start();
    logger.info({ maxDeaths: maxDeaths.current() }, 'Consuming event.trigger and event.failover.retry');
  })();
  // Observed by the caller through `started`; marked handled so an abort during close is not fatal.
  started.catch(() => undefined);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      logger.info({ graceMs: config.shutdownGraceMs }, 'Shutting down: draining in-flight work');
      boot.abort(new SidecarError('SC_ERR_SHUTDOWN', 'The sidecar is shutting down'));
      const grace = AbortSignal.timeout(config.shutdownGraceMs);
      await Promise.all(consumers.map((consumer) => consumer.stop(grace)));
      const unfinished = consumers.reduce((sum, consumer) => sum + consumer.inFlight(), 0);
      if (unfinished > 0) {
        logger.warn(
          { unfinished },
          'Grace period over; unfinished messages stay unacked and will be redelivered, unfinished adopted deliveries are made again from the backlog when their lease ends',
        );
      }
      await http.close();
      if (logWriter !== undefined) {
        // Rows of finished attempts are flushed within the grace period; close() then gives up on
        // the rest (their messages stay unacked and are redelivered).
        await untilAborted(logWriter.drain(), grace);
        await logWriter.close();
      }
      await releasers.releaseAll();
      logger.info('Shutdown complete');
    })();
    return closing;
  };

  return { httpUrl: http.url, metrics, catalog, started, readiness, close };
}
