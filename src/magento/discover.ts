import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

import { coerceError, errorCodeOf, SidecarError } from '../shared/index.js';

export const ASYNC_EVENTS_FILE_NAME = 'async_events.xml';
export const WEBAPI_FILE_NAME = 'webapi.xml';

/** How deep a directory given in `extraPaths` is searched (the directory itself is depth 0). */
export const MAX_SEARCH_DEPTH = 6;

// Module groups of a Magento root, in merge order: app/code modules override vendor modules.
const MODULE_GROUPS = ['vendor', join('app', 'code')] as const;

export interface DiscoverOptions {
  /**
   * The Magento installation directory (the one holding `app/` and `vendor/`). When absent, only
   * `extraPaths` are searched.
   */
  magentoRoot?: string;
  /**
   * Files or directories searched after the Magento root, in this order. A file must be named
   * `async_events.xml` or `webapi.xml`; a directory is searched recursively (up to
   * {@link MAX_SEARCH_DEPTH} levels, skipping `node_modules` and dot-directories) for such files.
   * Relative paths are resolved against the working directory.
   */
  extraPaths: readonly string[];
}

/** Absolute file paths in merge order: later files win when definitions share a key. */
export interface DiscoveredConfigFiles {
  asyncEvents: string[];
  webapi: string[];
}

/**
 * Finds the `etc/async_events.xml` and `etc/webapi.xml` files that Magento would load: first
 * `<root>/vendor/<vendor>/<package>/etc/`, then `<root>/app/code/<Vendor>/<Module>/etc/` (each group
 * sorted by directory names), then `extraPaths` in order (a directory's files sorted the same way,
 * depth first). A file found twice keeps its first position.
 *
 * Magento itself orders modules by their `<sequence>` in module.xml; vendor-then-app/code sorted by
 * path is the approximation that gives app/code overrides the last word, which is what they expect.
 * Throws `SC_ERR_CONFIG` when the root or an extra path does not exist.
 */
export async function discoverConfigFiles(options: DiscoverOptions): Promise<DiscoveredConfigFiles> {
  const found: DiscoveredConfigFiles = { asyncEvents: [], webapi: [] };
  const add = (files: readonly string[]): void => {
    for (const file of files) {
      const list = basename(file) === ASYNC_EVENTS_FILE_NAME ? found.asyncEvents : found.webapi;
      if (!list.includes(file)) {
        list.push(file);
      }
    }
  };
  if (options.magentoRoot !== undefined) {
    const root = resolve(options.magentoRoot);
    const rootStats = await statOrUndefined(root);
    if (!rootStats?.isDirectory()) {
      throw new SidecarError(
        'SC_ERR_CONFIG',
        `Magento root ${root} ${rootStats === undefined ? 'does not exist' : 'is not a directory'}; ` +
          'point it at the directory that holds app/ and vendor/',
      );
    }
    for (const group of MODULE_GROUPS) {
      add(await moduleConfigFiles(join(root, group)));
    }
  }
  for (const extraPath of options.extraPaths) {
    add(await extraPathFiles(resolve(extraPath)));
  }
  return found;
}

/** `<groupDir>/*\/*\/etc/{async_events,webapi}.xml`; a missing group directory has none. */
async function moduleConfigFiles(groupDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const vendorDir of await subdirectories(groupDir)) {
    for (const moduleDir of await subdirectories(vendorDir)) {
      for (const name of [ASYNC_EVENTS_FILE_NAME, WEBAPI_FILE_NAME]) {
        const file = join(moduleDir, 'etc', name);
        if ((await statOrUndefined(file))?.isFile() === true) {
          files.push(file);
        }
      }
    }
  }
  return files;
}

async function extraPathFiles(path: string): Promise<string[]> {
  const stats = await statOrUndefined(path);
  if (stats === undefined) {
    throw new SidecarError('SC_ERR_CONFIG', `Extra Magento config path ${path} does not exist`);
  }
  if (stats.isDirectory()) {
    return searchDirectory(path, 0);
  }
  if (isConfigFileName(basename(path))) {
    return [path];
  }
  throw new SidecarError(
    'SC_ERR_CONFIG',
    `Extra Magento config path ${path} is a file but not named ${ASYNC_EVENTS_FILE_NAME} or ` +
      `${WEBAPI_FILE_NAME}; give the file one of those names or pass its directory`,
  );
}

async function searchDirectory(dir: string, depth: number): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readDirectory(dir)) {
    const path = join(dir, entry.name);
    const kind = await entryKind(entry, path);
    if (kind === 'file' && isConfigFileName(entry.name)) {
      files.push(path);
    } else if (kind === 'directory' && depth < MAX_SEARCH_DEPTH && !isSkippedDirectory(entry.name)) {
      files.push(...(await searchDirectory(path, depth + 1)));
    }
  }
  return files;
}

function isConfigFileName(name: string): boolean {
  return name === ASYNC_EVENTS_FILE_NAME || name === WEBAPI_FILE_NAME;
}

function isSkippedDirectory(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

async function subdirectories(dir: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const entry of await readDirectory(dir)) {
    const path = join(dir, entry.name);
    if (!isSkippedDirectory(entry.name) && (await entryKind(entry, path)) === 'directory') {
      dirs.push(path);
    }
  }
  return dirs;
}

/** Follows symlinks: composer path repositories install modules as links into vendor/. */
async function entryKind(entry: Dirent, path: string): Promise<'file' | 'directory' | 'other'> {
  const stats = entry.isSymbolicLink() ? await statOrUndefined(path) : entry;
  if (stats?.isDirectory() === true) {
    return 'directory';
  }
  return stats?.isFile() === true ? 'file' : 'other';
}

/** Entries of `dir` sorted by name; none when it does not exist. */
async function readDirectory(dir: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => compareStrings(a.name, b.name));
  } catch (e: unknown) {
    if (errorCodeOf(e) === 'ENOENT' || errorCodeOf(e) === 'ENOTDIR') {
      return [];
    }
    throw new SidecarError('SC_ERR_CONFIG', `Cannot list ${dir}: ${coerceError(e).message}`, { cause: e });
  }
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (e: unknown) {
    if (errorCodeOf(e) === 'ENOENT' || errorCodeOf(e) === 'ENOTDIR') {
      return undefined;
    }
    throw new SidecarError('SC_ERR_CONFIG', `Cannot read ${path}: ${coerceError(e).message}`, { cause: e });
  }
}

// Code-unit order, not localeCompare: the merge order must not depend on the machine's locale.
function compareStrings(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
