import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { loadMigrations, migrate } from './migrate.js';
import { openDb } from './open-db.js';
import { assertRejectsCode } from './testonly/index.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A temp migrations folder holding `files`; returned as a directory URL. */
async function folder(files: Record<string, string>): Promise<URL> {
  const dir = await mkdtemp(join(tmpdir(), 'signet-migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return pathToFileURL(dir + '/');
}

test('the repository migrations load in order, starting with 001_log.sql', async () => {
  const ms = await loadMigrations();
  assert.equal(ms[0]?.name, '001_log.sql');
  assert.deepEqual(ms.map((m) => m.version), [...ms.map((m) => m.version)].sort((a, b) => a - b));
});

test('files are ordered by number; non-SQL files are ignored', async () => {
  const dir = await folder({ '002_b.sql': 'SELECT 2', '001_a.sql': 'SELECT 1', 'README.md': 'x' });
  assert.deepEqual((await loadMigrations(dir)).map((m) => m.name), ['001_a.sql', '002_b.sql']);
});

test('a misnamed or repeated migration file is BAD_MIGRATION', async () => {
  await assertRejectsCode(loadMigrations(await folder({ '1_a.sql': 'SELECT 1' })), 'BAD_MIGRATION');
  await assertRejectsCode(loadMigrations(await folder({ '001-a.sql': 'SELECT 1' })), 'BAD_MIGRATION');
  await assertRejectsCode(loadMigrations(await folder({ '001_a.sql': 'SELECT 1', '001_b.sql': 'SELECT 1' })), 'BAD_MIGRATION');
});

test('a failing migration leaves the schema untouched (all pending files run in one transaction)', async () => {
  const { db, schema } = await openDb({ schema: 'mig_fail' });
  try {
    const good = await loadMigrations(await folder({ '001_a.sql': 'CREATE TABLE a (x int); CREATE TABLE b (y int);' }));
    const bad = await loadMigrations(await folder({ '002_b.sql': 'CREATE TABLE c (z int); SELEC oops;' }));
    await assertRejectsCode(migrate(db, schema, [...good, ...bad]), 'DB_ERROR');
    const { rows } = await db.query("SELECT 1 FROM pg_namespace WHERE nspname = 'mig_fail'");
    assert.deepEqual(rows, [], 'even the schema creation was rolled back');
    assert.deepEqual(await migrate(db, schema, good), ['001_a.sql']);
    await assertRejectsCode(migrate(db, schema, [...good, ...bad]), 'DB_ERROR');
    const tables = await db.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'mig_fail' ORDER BY tablename",
    );
    assert.deepEqual(tables.rows.map((r) => r.tablename), ['a', 'b', 'schema_migrations']);
    assert.deepEqual(await migrate(db, schema, good), []);
  } finally {
    await db.close();
  }
});
