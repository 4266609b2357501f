import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeApiClient } from '../helpers/apiClient.js';
import { CLI } from '../helpers/cli.js';
import { API_TOKEN, eventually, type Harness, startHarness } from '../helpers/harness.js';

/**
 * `api` and `worker` split one sidecar in two: the in-process sidecar serves only the API, a
 * `worker` child process (the real CLI) consumes. Replays made through the API are delivered by
 * the worker; neither does the other's job.
 */
describe('api and worker roles', () => {
  let harness: Harness;
  let worker: ChildProcess | undefined;
  let workerUrl = '';
  const api = (method: string, path: string, body?: unknown) =>
    makeApiClient(harness.sidecar.httpUrl, API_TOKEN)(method, path, body);

  beforeAll(async () => {
    harness = await startHarness({ roles: { consume: false, api: true } });
  });
  afterAll(async () => {
    if (worker !== undefined && worker.exitCode === null) {
      worker.kill('SIGKILL');
    }
    await harness?.stop();
  });

  it('an api process serves the API and consumes nothing', async () => {
    const created = await api('POST', '/V1/async_event', {
      asyncEvent: {
        event_name: 'sales.order.created',
        recipient_url: `${harness.receiver.url}/roles`,
        verification_token: 'role-secret',
        metadata: 'http',
      },
    });
    expect(created.status, created.text).toBe(200);
    harness.publish('sales.order.created', { id: '5' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await harness.vhost.queues()).get('event.trigger')).toEqual({ messages: 1, consumers: 0 });
    expect(harness.receiver.count('/roles')).toBe(0);
    const ready = await fetch(`${harness.sidecar.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      checks: { pipeline: { ok: true, detail: 'api only: not consuming' } },
    });
  });

  it('a worker process consumes, serves only the operational endpoints, and delivers the api’s replays', async () => {
    worker = spawn(process.execPath, [CLI, 'worker'], {
      env: {
        PATH: process.env.PATH ?? '',
        ...harness.env,
        API_TOKENS: '',
        HTTP_PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    workerUrl = await eventually(
      () => /"url":"(http:\/\/[^"]+)"[^\n]*HTTP server listening/.exec(output)?.[1],
      15_000,
      'the worker to listen',
    );

    const [delivered] = await harness.receiver.waitFor(1, { path: '/roles', timeoutMs: 15_000 });
    expect(delivered?.event?.type).toBe('sales.order.created');
    expect(
      (await fetch(`${workerUrl}/V1/async_events`, { headers: { authorization: `Bearer ${API_TOKEN}` } }))
        .status,
    ).toBe(404);
    expect((await fetch(`${workerUrl}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${workerUrl}/metrics`)).text()).toMatch(
      /sidecar_deliveries_total\{[^}]*outcome="success"[^}]*\} 1/,
    );

    const [row] = await eventually(async () => {
      const rows = await harness.db.logRows();
      return rows.length === 1 ? rows : undefined;
    });
    const replay = await api('POST', '/V1/async_event_logs/replay', { log_id: row?.log_id });
    expect(replay.status, replay.text).toBe(200);
    await harness.receiver.waitFor(2, { path: '/roles', timeoutMs: 10_000 });

    worker.kill('SIGTERM');
    const [code] = (await once(worker, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toMatch(/Shutdown complete/);
    expect(output).not.toContain('role-secret');
  });
});
