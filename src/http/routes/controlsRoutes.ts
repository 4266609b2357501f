import { Router } from 'express';

import { type ControlsService, parseControlsBody, parseSubscriptionId } from '../../subscriptions/index.js';

/**
 * `GET|PUT /V1/async_event/:subscriptionId/controls`: the delivery controls of one subscription
 * (an addition of the sidecar; same authentication and Magento-shaped errors as the upstream
 * routes, under the same three prefixes).
 */
export function controlsRoutes(deps: { service: ControlsService }): Router {
  const router = Router();

  router.get('/async_event/:subscriptionId/controls', async (request, response) => {
    response.json(await deps.service.get(parseSubscriptionId(String(request.params.subscriptionId))));
  });

  router.put('/async_event/:subscriptionId/controls', async (request, response) => {
    const subscriptionId = parseSubscriptionId(String(request.params.subscriptionId));
    response.json(await deps.service.update(subscriptionId, parseControlsBody(request.body)));
  });

  return router;
}
