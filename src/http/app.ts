import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';

import type { Metrics } from '../metrics/index.js';
import { coerceError, type Logger, SidecarError } from '../shared/index.js';
import type { ReadinessProbe } from './readiness.js';

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessProbe;
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The sidecar's HTTP surface: `/healthz` (the process answers), `/readyz` (broker and database
 * connected, topology asserted) and `/metrics`. Later features mount their routers here.
 */
export function makeHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: options.logger.child({ component: 'http' }),
      autoLogging: { ignore: (request) => QUIET_PATHS.has(request.url ?? '') },
      // Whitelist what is logged of a request: never headers (Authorization) or bodies.
      serializers: {
        req: (request: { method?: string; url?: string; remoteAddress?: string }) => ({
          method: request.method,
          url: request.url,
          remoteAddress: request.remoteAddress,
        }),
        res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
      },
    }),
  );

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  app.get('/readyz', async (_request, response) => {
    const report = await options.readiness();
    response
      .status(report.ready ? 200 : 503)
      .json({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });

  app.get('/metrics', async (_request, response) => {
    response.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  app.use((_request, response) => {
    response.status(404).json({ message: 'Request does not match any route.', parameters: [] });
  });

  // Express 5 forwards rejected async handlers here; internals never reach the client.
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const failure = coerceError(error);
    const status = failure instanceof SidecarError ? failure.statusCode : 500;
    request.log.error({ err: failure }, 'Request failed');
    response
      .status(status)
      .json({ message: status >= 500 ? 'Internal error.' : failure.message, parameters: [] });
  });

  return app;
}
