import { type ChannelModel, connect } from 'amqplib';

import { type AmqpConnection, makeAmqpConnection } from '../amqp/index.js';
import { type Config, loadConfig } from '../config/index.js';
import { makeDeadLetterService } from '../deadletters/index.js';
import {
  buildEventCatalog,
  loadConfiguredCatalog,
  makeMagentoRestClient,
  makePayloadResolver,
} from '../magento/index.js';
import { makeMetrics } from '../metrics/index.js';
import { makeReplayService, type ReplayService } from '../replay/index.js';
import type { SearchBackend } from '../search/index.js';
import { makeLogger, makeSemaphore, SidecarError } from '../shared/index.js';
import { makeDbPool, type Pool } from '../store/index.js';
import { buildMessaging, buildSearch, type Messaging } from '../wiring/index.js';

/**
 * What the operator commands need, built on demand from the same environment as `run` and closed
 * at the end: the database, the search backend, and (for replay and dead letters) the broker.
 */
export interface ToolContext {
  config: Config;
  pool(): Pool;
  search(): SearchBackend;
  deadLetters(): ReturnType<typeof makeDeadLetterService>;
  /** A plain broker connection that declares nothing (for topology:check). */
  brokerConnection(): Promise<ChannelModel>;
  /** `fresh` replays resolve payloads again, so they need Magento's settings too. */
  replay(fresh: boolean): Promise<ReplayService>;
  close(): Promise<void>;
}

export function makeToolContext(env: NodeJS.ProcessEnv): ToolContext {
  const config = loadConfig(env, 'tool');
  // Operator commands print their own output; the library's logs only matter when something fails.
  const logger = makeLogger({ level: env.LOG_LEVEL ?? 'warn' });
  const closers: Array<() => Promise<void> | void> = [];
  let pool: Pool | undefined;
  let search: SearchBackend | undefined;
  let amqp: { connection: AmqpConnection; messaging: Messaging } | undefined;

  const getPool = (): Pool => {
    if (pool === undefined) {
      const created = makeDbPool(config.mysql);
      closers.push(() => created.end());
      pool = created;
    }
    return pool;
  };
  const getSearch = (): SearchBackend => {
    if (search === undefined) {
      const parts = buildSearch({
        config,
        pool: getPool(),
        logger,
        metrics: makeMetrics({ defaultMetrics: false }),
      });
      closers.push(() => parts.close());
      search = parts.backend;
    }
    return search;
  };
  const getAmqp = () => {
    if (amqp === undefined) {
      const connection = makeAmqpConnection({ url: config.amqp.url, logger, failFast: true });
      const messaging = buildMessaging(connection, logger);
      connection.start();
      closers.push(() => connection.close());
      amqp = { connection, messaging };
    }
    return amqp;
  };

  return {
    config,
    pool: getPool,
    search: getSearch,
    deadLetters() {
      const { connection, messaging } = getAmqp();
      return makeDeadLetterService({
        connection,
        publisher: messaging.publisher,
        retries: messaging.retries,
      });
    },
    async brokerConnection() {
      const model = await connect(config.amqp.url, { noDelay: true });
      // Errors surface through the calls; an idle close must not crash the command.
      model.on('error', () => undefined);
      closers.push(() => model.close());
      return model;
    },
    async replay(fresh) {
      const { magento } = config;
      if (fresh && (magento.baseUrl === undefined || magento.token === undefined)) {
        throw new SidecarError(
          'SC_ERR_CONFIG',
          'A fresh replay resolves payloads again: set MAGENTO_BASE_URL, MAGENTO_TOKEN and MAGENTO_ROOT.',
        );
      }
      // A stored-body replay needs no catalog: an empty one keeps the service's shape.
      const catalog = fresh
        ? await loadConfiguredCatalog(magento)
        : buildEventCatalog({ asyncEvents: [], webapi: [] });
      const client = makeMagentoRestClient({
        baseUrl: magento.baseUrl ?? 'http://127.0.0.1',
        token: magento.token ?? '',
        timeoutMs: magento.timeoutMs,
        connections: magento.concurrency,
      });
      closers.push(() => client.close());
      return makeReplayService({
        pool: getPool(),
        search: getSearch(),
        retries: getAmqp().messaging.retries,
        catalog,
        resolver: makePayloadResolver({
          client,
          semaphore: makeSemaphore(magento.concurrency),
          batch: { maxSize: magento.resolveBatchSize, maxWaitMs: magento.resolveBatchWaitMs },
        }),
        payloadFormat: config.delivery.payloadFormat,
      });
    },
    async close() {
      for (const close of closers.reverse()) {
        await Promise.resolve(close()).catch(() => undefined);
      }
    },
  };
}
