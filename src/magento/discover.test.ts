import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { discoverConfigFiles, MAX_SEARCH_DEPTH } from './discover.js';

const MAGENTO_ROOT = fileURLToPath(new URL('../../fixtures/magento-root', import.meta.url));

let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'discover-'));
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Creates `relative` under the temporary directory and returns its absolute path. */
async function touch(relative: string): Promise<string> {
  const path = join(tmp, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, '<config/>');
  return path;
}

describe('discoverConfigFiles', () => {
  it('finds the fixture root: vendor modules sorted, then app/code', async () => {
    const files = await discoverConfigFiles({ magentoRoot: MAGENTO_ROOT, extraPaths: [] });
    expect(files).toEqual({
      asyncEvents: [
        join(MAGENTO_ROOT, 'vendor/mage-os/module-common-async-events/etc/async_events.xml'),
        join(MAGENTO_ROOT, 'app/code/Acme/Erp/etc/async_events.xml'),
      ],
      webapi: ['catalog', 'cms', 'customer', 'sales'].map((module) =>
        join(MAGENTO_ROOT, `vendor/magento/module-${module}/etc/webapi.xml`),
      ),
    });
  });

  it('looks only at <group>/<vendor>/<module>/etc/ and follows symlinked packages', async () => {
    const app = await touch('root/app/code/Acme/A/etc/async_events.xml');
    const vendorB = await touch('root/vendor/b/pkg/etc/async_events.xml');
    const vendorA = await touch('root/vendor/a/pkg/etc/webapi.xml');
    await touch('root/vendor/a/pkg/src/etc/async_events.xml');
    await touch('root/vendor/a/pkg/etc/adminhtml/webapi.xml');
    await touch('root/vendor/.hidden/pkg/etc/async_events.xml');
    await touch('root/vendor/autoload.php');
    await touch('packages/linked/etc/async_events.xml');
    await mkdir(join(tmp, 'root/vendor/c'), { recursive: true });
    await symlink(join(tmp, 'packages/linked'), join(tmp, 'root/vendor/c/linked'));

    const files = await discoverConfigFiles({ magentoRoot: join(tmp, 'root'), extraPaths: [] });
    expect(files.asyncEvents).toEqual([vendorB, join(tmp, 'root/vendor/c/linked/etc/async_events.xml'), app]);
    expect(files.webapi).toEqual([vendorA]);
  });

  it('appends extra files and directories in order, skipping node_modules, dot-dirs and deep files', async () => {
    const root = join(tmp, 'root');
    const inRoot = await touch('root/app/code/Acme/A/etc/async_events.xml');
    const single = await touch('single/async_events.xml');
    const nestedWebapi = await touch('extra/Acme/B/etc/webapi.xml');
    const nestedEvents = await touch('extra/Acme/B/etc/async_events.xml');
    const shallow = await touch('extra/async_events.xml');
    await touch('extra/node_modules/x/etc/async_events.xml');
    await touch('extra/.git/etc/async_events.xml');
    await touch('extra/Acme/B/etc/other.xml');
    const deepest = await touch(`extra/${'d/'.repeat(MAX_SEARCH_DEPTH)}async_events.xml`);
    await touch(`extra/${'d/'.repeat(MAX_SEARCH_DEPTH + 1)}async_events.xml`);

    const files = await discoverConfigFiles({
      magentoRoot: root,
      extraPaths: [join(tmp, 'extra'), single, inRoot],
    });
    // A file found twice keeps its first position.
    expect(files.asyncEvents).toEqual([inRoot, nestedEvents, shallow, deepest, single]);
    expect(files.webapi).toEqual([nestedWebapi]);
  });

  it('works without a Magento root', async () => {
    const single = await touch('single/webapi.xml');
    expect(await discoverConfigFiles({ extraPaths: [single] })).toEqual({
      asyncEvents: [],
      webapi: [single],
    });
  });

  it('rejects a missing root, a root that is a file and a missing extra path with SC_ERR_CONFIG', async () => {
    const file = await touch('file.txt');
    await expect(
      discoverConfigFiles({ magentoRoot: join(tmp, 'nope'), extraPaths: [] }),
    ).rejects.toMatchObject({
      code: 'SC_ERR_CONFIG',
      message: expect.stringContaining(`Magento root ${join(tmp, 'nope')} does not exist`) as unknown,
    });
    await expect(discoverConfigFiles({ magentoRoot: file, extraPaths: [] })).rejects.toMatchObject({
      code: 'SC_ERR_CONFIG',
      message: expect.stringContaining('is not a directory') as unknown,
    });
    await expect(discoverConfigFiles({ extraPaths: [join(tmp, 'gone.xml')] })).rejects.toMatchObject({
      code: 'SC_ERR_CONFIG',
      message: `Extra Magento config path ${join(tmp, 'gone.xml')} does not exist`,
    });
  });

  it('rejects an extra file that is not named async_events.xml or webapi.xml', async () => {
    const file = await touch('events.xml');
    await expect(discoverConfigFiles({ extraPaths: [file] })).rejects.toMatchObject({
      code: 'SC_ERR_CONFIG',
      message: expect.stringContaining('is a file but not named async_events.xml or webapi.xml') as unknown,
    });
  });
});
