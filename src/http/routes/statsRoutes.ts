import { Router } from 'express';

import { ApiError } from '../../shared/index.js';
import { MAX_STATS_MINUTES, type StatsService } from '../../stats/index.js';

const DEFAULT_MINUTES = 60;

function parseMinutes(raw: unknown): number {
  if (raw === undefined || raw === '') {
    return DEFAULT_MINUTES;
  }
  const minutes = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_STATS_MINUTES) {
    throw new ApiError('SC_ERR_INPUT', '"%fieldName" must be a whole number from 1 to %max.', {
      parameters: { fieldName: 'minutes', max: MAX_STATS_MINUTES },
    });
  }
  return minutes;
}

/**
 * `GET /V1/async_event_stats?minutes=N`: delivery attempts over time, per event and subscription,
 * queue backlog and dead letters, resolution latency and indexing lag (the dashboard's overview).
 */
export function statsRoutes(deps: { stats: StatsService }): Router {
  const router = Router();
  router.get('/async_event_stats', async (request, response) => {
    const minutes = parseMinutes((request.query as Record<string, unknown>).minutes);
    response.json(await deps.stats.stats(minutes));
  });
  return router;
}
