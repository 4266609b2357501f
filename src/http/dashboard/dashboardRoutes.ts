import { extname, join } from 'node:path';

import express, { type Request, type Response, Router } from 'express';

import { setDashboardHeaders } from './securityHeaders.js';

/** The files the dashboard is made of; anything else in the folder is never served. */
const SERVED_TYPES = new Set(['.js', '.css', '.svg', '.html']);

export interface DashboardOptions {
  /** The built dashboard folder (see findDashboardAssets); undefined answers 503 saying how to build it. */
  assetsDir: string | undefined;
  /** Whether the page must ask for a token (false only with API_INSECURE_NO_AUTH=true). */
  loginRequired: boolean;
}

/**
 * Serves the dashboard: the page at `/`, its files under `/dashboard/`. They hold no data: every
 * number comes from the authenticated API. The one unauthenticated answer, `/dashboard/auth.json`,
 * says only whether the page must ask for a token (the API itself answers that to anyone).
 */
export function dashboardRoutes(options: DashboardOptions): Router {
  const router = Router();
  const notBuilt = (_request: Request, response: Response) => {
    setDashboardHeaders(response);
    response
      .status(503)
      .type('text/plain')
      .send(
        'The dashboard is not built: run `npm run build` (it compiles src/http/dashboard/client into dist/).',
      );
  };

  router.get('/dashboard/auth.json', (_request, response) => {
    setDashboardHeaders(response);
    response.json({ login_required: options.loginRequired });
  });

  const { assetsDir } = options;
  if (assetsDir === undefined) {
    router.get(['/', '/dashboard/{*file}'], notBuilt);
    return router;
  }

  router.get('/', (_request, response) => {
    setDashboardHeaders(response);
    response.sendFile(join(assetsDir, 'index.html'));
  });
  router.get('/dashboard', (_request, response) => {
    response.redirect(301, '../');
  });
  router.use(
    '/dashboard',
    (request, response, next) => {
      if (!SERVED_TYPES.has(extname(request.path)) || request.path.endsWith('/index.html')) {
        next('router');
        return;
      }
      next();
    },
    express.static(assetsDir, {
      index: false,
      dotfiles: 'ignore',
      fallthrough: true,
      redirect: false,
      setHeaders: (response) => setDashboardHeaders(response),
    }),
  );
  return router;
}
