import type { Router } from 'express';

import type { AmqpConnection, DelayQueuePublisher } from '../amqp/index.js';
import type { Config } from '../config/index.js';
import { dashboardRoutes, findDashboardAssets, statsRoutes } from '../http/index.js';
import type { Metrics } from '../metrics/index.js';
import type { Logger } from '../shared/index.js';
import { makeQueueInspector, makeStatsQueries, makeStatsService } from '../stats/index.js';
import type { Pool } from '../store/index.js';

/**
 * The operator dashboard: its static page (served beside the API, no data in it) and the stats
 * route the overview reads, which goes behind the API's authentication with the other routers.
 */
export function buildDashboard(parts: {
  config: Config;
  pool: Pool;
  connection: AmqpConnection;
  delayQueues: DelayQueuePublisher;
  metrics: Metrics;
  logger: Logger;
}): { page: Router; statsRouter: Router } {
  const assetsDir = findDashboardAssets();
  if (assetsDir === undefined) {
    parts.logger.warn('The dashboard is not built (npm run build); / answers 503 until it is');
  }
  const stats = makeStatsService({
    // Stats share the search's statement timeout: both are operator reads over the log table.
    queries: makeStatsQueries({ pool: parts.pool, timeoutMs: parts.config.search.timeoutMs }),
    queues: makeQueueInspector({
      channels: parts.connection,
      declaredDelayQueues: () => parts.delayQueues.declaredQueues(),
    }),
    metrics: parts.metrics,
    indexing: parts.config.search.engine !== 'none',
  });
  return {
    page: dashboardRoutes({ assetsDir, loginRequired: !parts.config.api.insecureNoAuth }),
    statsRouter: statsRoutes({ stats }),
  };
}
