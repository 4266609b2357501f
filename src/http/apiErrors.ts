import { randomBytes } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';

import { ApiError, coerceError, SidecarError } from '../shared/index.js';

/** Magento's error body: the phrase with placeholders, their values, and the list when several. */
function magentoBody(error: ApiError): Record<string, unknown> {
  return {
    message: error.message,
    parameters: error.parameters,
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
  };
}

/**
 * The one error handler of the HTTP app. Every error leaves as Magento's `{"message",
 * "parameters"}` with the status Magento would use; anything unexpected becomes a 500 carrying a
 * report id, and the details (stack, cause) go only to the log under that id, as Magento does with
 * its `var/report` files.
 */
export function errorHandler(
  error: unknown,
  request: Request,
  response: Response,
  _next: NextFunction,
): void {
  const bodyParserType = (error as { type?: unknown }).type;
  if (bodyParserType === 'entity.parse.failed') {
    response.status(400).json({ message: 'The request body is not valid JSON.', parameters: [] });
    return;
  }
  if (bodyParserType === 'entity.too.large') {
    response.status(413).json({
      message: 'The request body is larger than %max bytes.',
      parameters: { max: (error as { limit?: unknown }).limit },
    });
    return;
  }
  if (bodyParserType !== undefined || (error as { status?: unknown }).status === 400) {
    response.status(400).json({ message: 'The request cannot be read.', parameters: [] });
    return;
  }
  if (error instanceof ApiError) {
    response.status(error.statusCode).json(magentoBody(error));
    return;
  }
  if (error instanceof SidecarError && error.statusCode < 500) {
    response.status(error.statusCode).json({ message: error.message, parameters: [] });
    return;
  }
  const reportId = `sidecar-${randomBytes(6).toString('hex')}`;
  request.log.error({ err: coerceError(error), reportId }, 'Request failed');
  const status = error instanceof SidecarError && error.statusCode === 503 ? 503 : 500;
  response.status(status).json({
    message: `${status === 503 ? 'Service Unavailable' : 'Internal Error'}. Details are available in the sidecar log. Report ID: ${reportId}`,
    parameters: [],
  });
}
