import { Router } from 'express';

import { DEAD_LETTER_QUEUES, type DeadLetterService, parseDeadLetterQueue } from '../../deadletters/index.js';
import { ApiError } from '../../shared/index.js';
import { actionFields } from './actionBody.js';

const MAX_LIST = 500;
const MAX_REDRIVE = 10_000;
const REDRIVE_USAGE = 'Give "message_ids" (a list of message ids) or "all": true, with "queue".';

/** Dead letters: look without consuming, and send chosen messages back into the pipeline. */
export function deadLetterRoutes(deps: { deadLetters: DeadLetterService }): Router {
  const router = Router();

  router.get('/async_event_deadletters', async (request, response) => {
    const query = request.query as Record<string, unknown>;
    const raw = query.limit;
    const limit =
      raw === undefined ? 50 : typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIST) {
      throw new ApiError('SC_ERR_INPUT', `"%fieldName" must be a whole number from 0 to ${MAX_LIST}.`, {
        parameters: { fieldName: 'limit' },
      });
    }
    const queues = query.queue === undefined ? DEAD_LETTER_QUEUES : [parseDeadLetterQueue(query.queue)];
    const results = [];
    for (const queue of queues) {
      results.push(await deps.deadLetters.list(queue, limit));
    }
    response.json({ queues: results });
  });

  router.post('/async_event_deadletters/redrive', async (request, response) => {
    const fields = actionFields(request.body, ['queue', 'message_ids', 'all', 'limit'], REDRIVE_USAGE);
    const queue = parseDeadLetterQueue(fields.queue);
    if (
      Array.isArray(fields.message_ids) &&
      fields.message_ids.length > 0 &&
      fields.message_ids.every((id) => typeof id === 'string')
    ) {
      response.json(await deps.deadLetters.redrive(queue, { messageIds: fields.message_ids }));
      return;
    }
    if (fields.all === true) {
      const limit = fields.limit === undefined ? 1000 : fields.limit;
      if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_REDRIVE) {
        throw new ApiError('SC_ERR_INPUT', `"%fieldName" must be a whole number from 1 to ${MAX_REDRIVE}.`, {
          parameters: { fieldName: 'limit' },
        });
      }
      response.json(await deps.deadLetters.redrive(queue, { all: true, limit }));
      return;
    }
    throw new ApiError('SC_ERR_INPUT', REDRIVE_USAGE);
  });

  return router;
}
