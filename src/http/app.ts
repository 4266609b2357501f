import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { pinoHttp } from 'pino-http';

import type { Metrics } from '../metrics/index.js';
import type { Logger } from '../shared/index.js';
import { errorHandler } from './apiErrors.js';
import type { ReadinessProbe } from './readiness.js';
import { type ApiAuthDeps, requireBearer } from './routes/asyncEventRoutes.js';

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessProbe;
  /** express `trust proxy`, for the client address behind a reverse proxy. @default 'loopback' */
  trustProxy?: string;
  /** The REST API; without it only the operational endpoints are served. */
  api?: { auth: ApiAuthDeps; routers: readonly Router[] };
  /** The operator dashboard (`/` and `/dashboard/…`); static files, its data comes from the API. */
  dashboard?: Router;
}

/** The API lives under each prefix Magento serves REST on, so a reverse proxy can route paths unchanged. */
export const API_PREFIXES = ['/V1', '/rest/V1', '/rest/:storeCode/V1'];
const MAX_BODY = '1mb';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The sidecar's HTTP surface: `/healthz` (the process answers), `/readyz` (broker and database
 * connected, topology asserted) and `/metrics`. Later features mount their routers here.
 */
export function makeHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Magento's searchCriteria uses PHP bracket syntax: parse nested query strings.
  app.set('query parser', 'extended');
  app.set('trust proxy', trustProxyValue(options.trustProxy ?? 'loopback'));
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

  if (options.dashboard !== undefined) {
    app.use(options.dashboard);
  }

  if (options.api !== undefined) {
    app.use(
      API_PREFIXES,
      refuseOddStoreCodes,
      express.json({ limit: MAX_BODY, strict: false }),
      requireBearer(options.api.auth),
      ...options.api.routers,
    );
  }

  app.use((_request, response) => answerNoRoute(response));

  // Express 5 forwards rejected async handlers here; internals never reach the client.
  app.use(errorHandler);

  return app;
}

/** Magento's own answer for a path no route serves. */
function answerNoRoute(response: Response): void {
  response.status(404).json({ message: 'Request does not match any route.', parameters: [] });
}

/** Magento store codes: a letter, then letters, digits and underscores (Store\\Model\\Validation). */
const STORE_CODE = /^[a-z][a-z0-9_]{0,31}$/i;

/**
 * `/rest/<store_code>/V1/…` only for something that can be a store code, so `/rest/..%2f/V1/…`
 * and friends are not a second way into the API; Magento answers them "no such route" as well.
 */
function refuseOddStoreCodes(request: Request, response: Response, next: NextFunction): void {
  const storeCode = (request.params as Record<string, string | undefined>).storeCode;
  if (storeCode !== undefined && !STORE_CODE.test(storeCode)) {
    answerNoRoute(response);
    return;
  }
  next();
}

/** `trust proxy` takes a hop count as a number; everything else (loopback, CIDRs) as text. */
function trustProxyValue(setting: string): string | number | boolean {
  if (/^\d+$/.test(setting)) {
    return Number(setting);
  }
  if (setting === 'true' || setting === 'false') {
    return setting === 'true';
  }
  return setting;
}
