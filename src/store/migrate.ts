import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import type { RowDataPacket } from 'mysql2/promise';

import { type Logger, SidecarError } from '../shared/index.js';
import type { Pool } from './db.js';
import { makeNamedLock } from './namedLock.js';

/**
 * Creates and upgrades the sidecar's own tables from `migrations/NNNN_name.sql`, in order, once
 * each. Replicas starting together take a named MySQL lock (scoped to the database), so only one
 * applies a migration.
 * Magento's tables are never touched here.
 */
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK = 'async_event_sidecar_migrations';
const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (
    await readdir(dir).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') {
        return [] as string[];
      }
      throw error;
    })
  )
    .filter((file) => FILE.test(file))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const [, id = '0', name = ''] = FILE.exec(file) ?? [];
      return { id: Number(id), name, sql: await readFile(`${dir}/${file}`, 'utf8') };
    }),
  );
}

/** Applies pending migrations; returns the ids applied now. */
export async function runMigrations(
  pool: Pool,
  logger: Logger,
  migrations?: readonly Migration[],
): Promise<number[]> {
  const all = migrations ?? (await readMigrations());
  const lock = makeNamedLock(pool, LOCK);
  if (!(await lock.tryAcquire(30))) {
    throw new SidecarError(
      'SC_ERR_DB_SCHEMA',
      'Another sidecar has held the migration lock for 30 s; is one stuck?',
    );
  }
  try {
    await pool.query(
      `CREATE TABLE IF NOT EXISTS async_event_sidecar_migrations (
         id int unsigned NOT NULL PRIMARY KEY,
         name varchar(255) NOT NULL,
         applied_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP
       ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM async_event_sidecar_migrations');
    const applied = new Set(rows.map((row) => Number(row.id)));
    const now: number[] = [];
    for (const migration of all) {
      if (applied.has(migration.id)) {
        continue;
      }
      for (const statement of splitStatements(migration.sql)) {
        await pool.query(statement);
      }
      await pool.query('INSERT INTO async_event_sidecar_migrations (id, name) VALUES (?, ?)', [
        migration.id,
        migration.name,
      ]);
      logger.info(
        { migration: migration.id, name: migration.name },
        'Applied a migration of the sidecar tables',
      );
      now.push(migration.id);
    }
    return now;
  } finally {
    await lock.release();
  }
}

/** Statements of a migration file: split on `;` at line ends, comments dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}
