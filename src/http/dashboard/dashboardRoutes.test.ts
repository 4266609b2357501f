import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';

import { type DashboardOptions, dashboardRoutes } from './dashboardRoutes.js';
import { DASHBOARD_CSP } from './securityHeaders.js';

/** The dashboard router alone on a loopback port, over a folder of fake built files. */
async function serve(options: DashboardOptions) {
  const app = express();
  app.use(dashboardRoutes(options));
  app.use((_request, response) => {
    response.status(404).send('fallthrough');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: (path: string) => fetch(`${base}${path}`, { redirect: 'manual' }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('dashboardRoutes', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) {
      await cleanup();
    }
  });

  const builtDashboard = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-assets-'));
    mkdirSync(join(dir, 'views'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dir, 'app.js'), 'export {};');
    writeFileSync(join(dir, 'views', 'overview.js'), 'export {};');
    writeFileSync(join(dir, 'dashboard.css'), 'body{}');
    writeFileSync(join(dir, 'app.js.map'), '{}');
    writeFileSync(join(dir, 'tsconfig.json'), '{}');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('serves the page at / and its files under /dashboard/, each with the security headers', async () => {
    const server = await serve({ assetsDir: builtDashboard(), loginRequired: true });
    cleanups.push(server.close);
    for (const path of [
      '/',
      '/dashboard/app.js',
      '/dashboard/views/overview.js',
      '/dashboard/dashboard.css',
    ]) {
      const answer = await server.get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect((await server.get('/dashboard/app.js')).headers.get('content-type')).toMatch(/javascript/);
  });

  it('serves nothing else from the folder', async () => {
    const server = await serve({ assetsDir: builtDashboard(), loginRequired: true });
    cleanups.push(server.close);
    for (const path of [
      '/dashboard/app.js.map',
      '/dashboard/tsconfig.json',
      '/dashboard/index.html',
      '/dashboard/nope.js',
      '/dashboard/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const answer = await server.get(path);
      expect(answer.status, path).toBe(404);
      expect(await answer.text()).toBe('fallthrough');
    }
    expect((await server.get('/dashboard')).headers.get('location')).toBe('../');
  });

  it('tells the page whether to ask for a token', async () => {
    const strict = await serve({ assetsDir: builtDashboard(), loginRequired: true });
    const open = await serve({ assetsDir: builtDashboard(), loginRequired: false });
    cleanups.push(strict.close, open.close);
    expect(await (await strict.get('/dashboard/auth.json')).json()).toEqual({ login_required: true });
    expect(await (await open.get('/dashboard/auth.json')).json()).toEqual({ login_required: false });
  });

  it('answers 503 saying how to build when the dashboard is not built', async () => {
    const server = await serve({ assetsDir: undefined, loginRequired: true });
    cleanups.push(server.close);
    for (const path of ['/', '/dashboard/app.js']) {
      const answer = await server.get(path);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toMatch(/npm run build/);
    }
  });
});
