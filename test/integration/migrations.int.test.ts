import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readMigrations, runMigrations } from '../../src/store/index.js';
import { captureLogs } from '../helpers/logCapture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

describe('sidecar table migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.remove();
  });

  it('applies pending migrations once, in order, even when replicas start together', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sidecar-migrations-'));
    await writeFile(
      join(dir, '0002_second.sql'),
      '-- adds a column\nALTER TABLE async_event_sidecar_demo ADD COLUMN note varchar(20) NULL;\n',
    );
    await writeFile(
      join(dir, '0001_first.sql'),
      'CREATE TABLE async_event_sidecar_demo (id int PRIMARY KEY);\nINSERT INTO async_event_sidecar_demo VALUES (1);\n',
    );
    await writeFile(join(dir, 'README.txt'), 'not a migration');
    const migrations = await readMigrations(dir);
    expect(migrations.map((migration) => migration.id)).toEqual([1, 2]);

    const logger = captureLogs().logger;
    const results = await Promise.all([
      runMigrations(db.pool, logger, migrations),
      runMigrations(db.pool, logger, migrations),
    ]);
    expect(results.flat().sort()).toEqual([1, 2]);
    expect(await runMigrations(db.pool, logger, migrations)).toEqual([]);
    const [rows] = await db.pool.query<RowDataPacket[]>('SELECT id, note FROM async_event_sidecar_demo');
    expect(rows).toEqual([{ id: 1, note: null }]);
  });

  it('reads nothing from a missing directory', async () => {
    expect(await readMigrations('/nonexistent/migrations')).toEqual([]);
  });
});
