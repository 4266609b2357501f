import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { BenchEnvironment } from './environment.js';
import { CRYPT_KEY, MAGENTO_TOKEN } from './environment.js';
import { sleep } from './wait.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The V8 flags of the Docker image's runtime stage (keep in sync with the Dockerfile). */
export const SIDECAR_NODE_OPTIONS = '--max-old-space-size=128';
const MAGENTO_ROOT = fileURLToPath(new URL('../../fixtures/magento-root/', import.meta.url));

/** The sidecar as deployed: `node dist/cli.js run`, its own process, info logs to /dev/null. */
export interface SidecarProcess {
  pid: number;
  /** Resolves once /readyz answers 200 (it may already be consuming by then). */
  ready: Promise<void>;
  metricsUrl: string;
  metrics(): Promise<string>;
  /** SIGTERM, then waits for the exit (graceful shutdown drains in-flight work). */
  stop(): Promise<void>;
}

export interface SidecarOptions {
  environment: BenchEnvironment;
  magentoUrl: string;
  /** Extra settings (env keys of src/config/env.ts), e.g. `{ RESOLVE_STRATEGY: 'module' }`. */
  settings?: Record<string, string>;
  /** Names the CPU profile (BENCH_PROFILE=<dir>) and the GC trace (BENCH_GC_TRACE=<dir>). */
  label: string;
}

export function spawnSidecar(options: SidecarOptions): SidecarProcess {
  const port = 18_080 + Math.floor(Math.random() * 1000);
  const profileDir = process.env.BENCH_PROFILE;
  // BENCH_PROFILE=<dir>: a V8 CPU profile of each sidecar run (open in Chrome DevTools / speedscope).
  const profile =
    profileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${options.label}.cpuprofile`];
  // BENCH_GC_TRACE=<dir>: V8's --trace-gc of each sidecar run, its stdout kept in <dir>/<run>.log
  // (bench/gcAllocation.ts sums what it allocated). On the command line: NODE_OPTIONS refuses it.
  const gcTraceDir = process.env.BENCH_GC_TRACE;
  const gcTrace = gcTraceDir === undefined ? [] : ['--trace-gc'];
  let stdout: 'ignore' | number = 'ignore';
  if (gcTraceDir !== undefined) {
    mkdirSync(gcTraceDir, { recursive: true });
    stdout = openSync(join(gcTraceDir, `${options.label}.log`), 'w');
  }
  const child: ChildProcess = spawn(process.execPath, [...gcTrace, ...profile, CLI, 'run'], {
    env: {
      ...process.env,
      AMQP_URL: options.environment.amqpUrl,
      MYSQL_URL: options.environment.mysqlUrl,
      MAGENTO_BASE_URL: options.magentoUrl,
      MAGENTO_TOKEN,
      MAGENTO_CRYPT_KEY: CRYPT_KEY,
      MAGENTO_ROOT,
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      API_TOKENS: 'bench-api-token',
      DESTINATION_ALLOW_CIDRS: '127.0.0.0/8',
      ...options.settings,
      // As the Docker image runs it (Dockerfile: NODE_OPTIONS); BENCH_SIDECAR_NODE_OPTIONS overrides.
      NODE_OPTIONS: process.env.BENCH_SIDECAR_NODE_OPTIONS ?? SIDECAR_NODE_OPTIONS,
    },
    stdio: ['ignore', stdout, 'inherit'],
  });
  if (typeof stdout === 'number') {
    closeSync(stdout); // the child has its own descriptor
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`${base}/readyz`)
        .then((response) => response.ok)
        .catch(() => false);
      if (ok) {
        return;
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the sidecar did not become ready (exit code ${String(child.exitCode)})`);
      }
      await sleep(50);
    }
  })();
  return {
    pid: child.pid ?? 0,
    ready,
    metricsUrl: `${base}/metrics`,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) {
        throw new Error(`the sidecar exited with code ${String(code)}`);
      }
    },
  };
}
