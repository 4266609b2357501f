import { type NextFunction, type Request, type Response, Router } from 'express';

import type { EventCatalog } from '../../magento/index.js';
import type { ApiAuthenticator, FailureLimiter, Principal } from '../../security/index.js';
import { ApiError } from '../../shared/index.js';
import {
  parseCreateBody,
  parseSubscriptionId,
  parseUpdateBody,
  type SubscriptionService,
} from '../../subscriptions/index.js';

export interface ApiAuthDeps {
  authenticator: ApiAuthenticator;
  limiter: FailureLimiter;
}

const MANAGE = 'MageOS_AsyncEvents::manage';

const unauthorized = (resources: string) =>
  new ApiError('SC_ERR_UNAUTHORIZED', "The consumer isn't authorized to access %resources.", {
    parameters: { resources },
  });

/**
 * Bearer authentication for every API route, with failed attempts limited per client address
 * (the address express derives with `trust proxy`). Sets `res.locals.principal`.
 */
export function requireBearer(deps: ApiAuthDeps) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    const client = request.ip ?? 'unknown';
    const wait = deps.limiter.blockedFor(client);
    if (wait !== undefined) {
      response.setHeader('retry-after', String(wait));
      throw new ApiError(
        'SC_ERR_RATE_LIMITED',
        'Too many failed authentications; try again in %seconds seconds.',
        {
          parameters: { seconds: wait },
        },
      );
    }
    const principal = await deps.authenticator.authenticate(request.get('authorization'));
    if (principal === undefined) {
      deps.limiter.recordFailure(client);
      throw unauthorized(MANAGE);
    }
    response.locals.principal = principal;
    next();
  };
}

/** The upstream `/V1/async_event` routes (design.md §7); mounted under /V1, /rest/V1 and /rest/<store>/V1. */
export function asyncEventRoutes(deps: {
  service: SubscriptionService;
  catalog: EventCatalog;
  authenticator: ApiAuthenticator;
}): Router {
  const router = Router();

  router.post('/async_event', async (request, response) => {
    const input = parseCreateBody(request.body);
    const event = deps.catalog.get(input.eventName);
    if (event !== undefined && event.definition.resources.length > 0) {
      const access = await deps.authenticator.mayAccess(
        response.locals.principal as Principal,
        event.definition.resources,
      );
      if (!access.ok) {
        throw unauthorized(event.definition.resources.join(', '));
      }
    }
    response.json(await deps.service.create(input));
  });

  router.get('/async_event/:subscriptionId', async (request, response) => {
    response.json(await deps.service.get(parseSubscriptionId(String(request.params.subscriptionId))));
  });

  router.put('/async_event/:subscriptionId', async (request, response) => {
    const subscriptionId = parseSubscriptionId(String(request.params.subscriptionId));
    response.json(await deps.service.update(subscriptionId, parseUpdateBody(request.body)));
  });

  router.get('/async_events', async (request, response) => {
    response.json(await deps.service.list((request.query as Record<string, unknown>).searchCriteria));
  });

  return router;
}
