import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type BrowserContext, chromium, type ConsoleMessage, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard/', import.meta.url));
const CLIENT_SOURCES = fileURLToPath(new URL('../../src/http/dashboard/client/', import.meta.url));
const CLIENT_BUILD = fileURLToPath(new URL('../../dist/http/dashboard/client/', import.meta.url));

export interface ConsoleProblem {
  text: string;
  url: string;
}

/**
 * A headless Chromium with a fresh profile that may only talk to loopback: every other request is
 * aborted and recorded (the dashboard must work offline), and console errors and uncaught page
 * errors are recorded for the test to check.
 */
export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  offHostRequests: string[];
  consoleErrors: ConsoleProblem[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing: ${CHROMIUM} does not exist. The dashboard test needs it; install it with: apt-get install -y chromium`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'sidecar-dashboard-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    serviceWorkers: 'block',
  });
  const offHostRequests: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.')) {
      await route.continue();
      return;
    }
    offHostRequests.push(url.href);
    await route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: ConsoleProblem[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') {
      consoleErrors.push({ text: message.text(), url: message.location().url });
    }
  });
  page.on('pageerror', (error) => consoleErrors.push({ text: `uncaught: ${error.message}`, url: '' }));
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    context,
    offHostRequests,
    consoleErrors,
    async screenshot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function newestSource(directory: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      const inner = newestSource(path);
      newest = inner.mtimeMs > newest.mtimeMs ? inner : newest;
    } else if (!entry.name.includes('.test.') && !entry.name.startsWith('tsconfig')) {
      const { mtimeMs } = statSync(path);
      newest = mtimeMs > newest.mtimeMs ? { file: path, mtimeMs } : newest;
    }
  }
  return newest;
}

/**
 * The sidecar serves the dashboard from the build (`dist/`): a test of stale files would prove
 * nothing, so it fails when a source is newer than the build.
 */
export function assertDashboardBuilt(): void {
  const built = join(CLIENT_BUILD, 'app.js');
  if (!existsSync(built)) {
    throw new Error(`The dashboard is not built (${built} is missing): run npm run build first.`);
  }
  const newest = newestSource(CLIENT_SOURCES);
  if (newest.mtimeMs > statSync(built).mtimeMs) {
    throw new Error(`The dashboard build is older than ${newest.file}: run npm run build first.`);
  }
}
