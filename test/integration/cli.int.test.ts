import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { cli } from '../helpers/cli.js';

const MAGENTO_ROOT = fileURLToPath(new URL('../../fixtures/magento-root/', import.meta.url));
const INVALID = fileURLToPath(
  new URL('../../fixtures/xml/invalid/async-events-bad-name.xml', import.meta.url),
);

describe('async-events-sidecar CLI', () => {
  it('config:check explains every event of the fixture Magento root and exits 3 for the ones without a route', async () => {
    const { code, stdout } = await cli(['config:check'], { MAGENTO_ROOT });
    expect(code).toBe(3);
    expect(stdout).toMatch(/Events \(23\):/);
    expect(stdout).toMatch(
      /sales\.order\.created\n {4}service: Magento\\Sales\\Api\\OrderRepositoryInterface::get\n {4}route: {3}GET \/V1\/orders\/:id/,
    );
    expect(stdout).toMatch(
      /customer\.created\n {4}service: MageOS\\CommonAsyncEvents\\Model\\AsyncCustomerManagement::getById \(resolved as Magento\\Customer\\Api\\CustomerRepositoryInterface::getById\)\n {4}route: {3}GET \/V1\/customers\/:customerId/,
    );
    expect(stdout).toMatch(/\[no-route\] catalog\.product\.created/);
  });

  it('config:check exits 0 when every event resolves, and prints JSON on request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sidecar-cli-'));
    const file = join(dir, 'async_events.xml');
    await writeFile(
      file,
      '<?xml version="1.0"?><config><async_event name="sales.order.created"><service class="Magento\\Sales\\Api\\OrderRepositoryInterface" method="get"/></async_event></config>',
    );
    const webapi = join(MAGENTO_ROOT, 'vendor/magento/module-sales/etc/webapi.xml');
    const { code, stdout } = await cli(['config:check', '--json'], {
      ASYNC_EVENTS_PATHS: `${file}:${webapi}`,
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      events: Array<{ name: string; routes: string[] }>;
      problems: unknown[];
    };
    expect(report.events).toEqual([
      expect.objectContaining({ name: 'sales.order.created', routes: ['/V1/orders/:id'] }),
    ]);
    expect(report.problems).toEqual([]);
  });

  it('config:check resolves route-less events through the thin module once its webapi.xml is present', async () => {
    const moduleEtc = fileURLToPath(new URL('../../magento-module/etc/', import.meta.url));
    const { code, stdout } = await cli(['config:check'], { MAGENTO_ROOT, ASYNC_EVENTS_PATHS: moduleEtc });
    expect(code).toBe(0);
    expect(stdout).toMatch(/Module resolve route \(POST \/V1\/async_events\/resolve\): declared/);
    expect(stdout).toMatch(
      /catalog\.product\.created\n {4}service: Magento\\Catalog\\Api\\ProductRepositoryInterface::getById\n {4}route: {3}POST \/V1\/async_events\/resolve \(MageOS_AsyncEvents module, batched\)/,
    );
    expect(stdout).toMatch(/sales\.order\.created\n.*\n {4}route: {3}GET \/V1\/orders\/:id \(direct\)/);
    const forced = await cli(['config:check', '--json'], {
      MAGENTO_ROOT,
      ASYNC_EVENTS_PATHS: moduleEtc,
      RESOLVE_STRATEGY: 'module',
    });
    const report = JSON.parse(forced.stdout) as { events: Array<{ resolution: string }> };
    expect(new Set(report.events.map((event) => event.resolution))).toEqual(new Set(['module']));
  });

  it('config:check reports an invalid file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sidecar-cli-'));
    await writeFile(join(dir, 'async_events.xml'), await readFile(INVALID));
    const { code, stdout } = await cli(['config:check'], { MAGENTO_ROOT, ASYNC_EVENTS_PATHS: dir });
    expect(code).toBe(3);
    expect(stdout).toMatch(/\[invalid-file\].*async_events\.xml/);
  });

  it('explains a configuration error and exits 2', async () => {
    const { code, stderr } = await cli(['run'], { HTTP_PORT: 'x' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/Invalid configuration/);
    expect(stderr).toMatch(/MAGENTO_TOKEN is required for `run`/);
    expect(stderr).toMatch(/HTTP_PORT must be a whole number/);
    const missingRoot = await cli(['config:check'], { MAGENTO_ROOT: '/nonexistent/magento' });
    expect(missingRoot.code).toBe(2);
    expect(missingRoot.stderr).toMatch(/\/nonexistent\/magento/);
  });

  it('prints help for the program and every command, and rejects unknown commands', async () => {
    const commands = [
      'run',
      'worker',
      'api',
      'config:check',
      'topology:check',
      'subscriptions:list',
      'search',
      'trace',
      'replay',
      'deadletter:list',
      'deadletter:redrive',
      'reindex',
    ];
    const help = await cli(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of commands) {
      expect(help.stdout, command).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const helps = await Promise.all(commands.map((command) => cli([command, '--help'], {})));
    helps.forEach((answer, index) => {
      expect(answer.code, commands[index]).toBe(0);
      expect(answer.stdout, commands[index]).toMatch(
        new RegExp(`^Usage: async-events-sidecar ${commands[index]}`),
      );
    });
    const unknown = await cli(['explode'], {});
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/);
  });
});
