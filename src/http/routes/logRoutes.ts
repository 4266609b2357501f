import { Router } from 'express';

import type { ReplayService, ResolveMode } from '../../replay/index.js';
import type { SearchBackend } from '../../search/index.js';
import { ApiError } from '../../shared/index.js';
import { findTrace, type Pool } from '../../store/index.js';
import { actionFields } from './actionBody.js';

const MAX_PAGE_SIZE = 500;
const MAX_REPLAY = 10_000;

function intParam(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new ApiError('SC_ERR_INPUT', `"%fieldName" must be a whole number from 1 to ${max}.`, {
      parameters: { fieldName: name },
    });
  }
  return Number(raw);
}

function boolParam(raw: unknown): boolean {
  return raw === 'true' || raw === '1' || raw === true;
}

function resolveMode(raw: unknown): ResolveMode {
  if (raw === undefined || raw === 'stored') {
    return 'stored';
  }
  if (raw === 'fresh') {
    return 'fresh';
  }
  throw new ApiError('SC_ERR_INPUT', '"%fieldName" is "stored" (default) or "fresh".', {
    parameters: { fieldName: 'resolve' },
  });
}

/**
 * Delivery search, trace and replay: `/V1/async_event_logs…` (design.md §8), beside the upstream
 * routes and behind the same authentication.
 */
export function logRoutes(deps: { search: SearchBackend; replay: ReplayService; pool: Pool }): Router {
  const router = Router();

  router.get('/async_event_logs', async (request, response) => {
    const query = request.query as Record<string, unknown>;
    if (query.q !== undefined && typeof query.q !== 'string') {
      throw new ApiError('SC_ERR_INPUT', '"%fieldName" must be a single Lucene query.', {
        parameters: { fieldName: 'q' },
      });
    }
    const pageSize = intParam(query.pageSize, 'pageSize', 20, MAX_PAGE_SIZE);
    const currentPage = intParam(query.currentPage, 'currentPage', 1, 1_000_000);
    response.json(
      await deps.search.search(query.q ?? '', { pageSize, currentPage, bodies: boolParam(query.bodies) }),
    );
  });

  router.get('/async_event_logs/:uuid', async (request, response) => {
    const uuid = String(request.params.uuid);
    if (!/^[A-Za-z0-9-]{1,64}$/.test(uuid)) {
      throw new ApiError('SC_ERR_INPUT', '"%value" is not a delivery uuid.', {
        parameters: { value: uuid.slice(0, 64) },
      });
    }
    const items = await findTrace(deps.pool, uuid);
    if (items.length === 0) {
      throw new ApiError('SC_ERR_NOT_FOUND', 'No delivery with uuid %1 was logged', { parameters: [uuid] });
    }
    response.json({ uuid, items });
  });

  router.post('/async_event_logs/replay', async (request, response) => {
    const fields = actionFields(
      request.body,
      ['log_id', 'q', 'dryRun', 'limit', 'resolve'],
      'The body is {"log_id": N} or {"q": "…", "dryRun": true|false, "limit": N}.',
    );
    const resolve = resolveMode(fields.resolve);
    if (fields.log_id !== undefined) {
      const logId = typeof fields.log_id === 'number' ? fields.log_id : Number.NaN;
      if (!Number.isSafeInteger(logId) || logId < 1) {
        throw new ApiError('SC_ERR_INPUT', '"%fieldName" must be a log id.', {
          parameters: { fieldName: 'log_id' },
        });
      }
      response.json(await deps.replay.replayOne(logId, resolve));
      return;
    }
    if (typeof fields.q !== 'string') {
      throw new ApiError(
        'SC_ERR_INPUT',
        'Give "log_id" to replay one delivery, or "q" to replay every chain a query matches.',
      );
    }
    const limit =
      fields.limit === undefined ? 100 : typeof fields.limit === 'number' ? fields.limit : Number.NaN;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_REPLAY) {
      throw new ApiError('SC_ERR_INPUT', `"%fieldName" must be a whole number from 1 to ${MAX_REPLAY}.`, {
        parameters: { fieldName: 'limit' },
      });
    }
    if (fields.dryRun !== undefined && typeof fields.dryRun !== 'boolean') {
      throw new ApiError('SC_ERR_INPUT', '"%fieldName" must be true or false.', {
        parameters: { fieldName: 'dryRun' },
      });
    }
    response.json(
      await deps.replay.replayQuery(fields.q, { dryRun: fields.dryRun !== false, limit, resolve }),
    );
  });

  return router;
}
