import { readdir, readFile } from 'node:fs/promises';
import type { Db } from './db.js';
import { StorageError, wrapDbError } from './errors.js';

/** The repository's `migrations/` folder, found relative to this source file. */
export const DEFAULT_MIGRATIONS_DIR = new URL('../../../migrations/', import.meta.url);

/** First key of the advisory lock that serialises migrations ('SIGN'); the second is the schema's hash. */
const LOCK_CLASS = 0x5349474e;
const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Reads `NNN_name.sql` files from `dir`, ordered by number.
 * Throws `StorageError('BAD_MIGRATION')` for a `.sql` file with another name or a repeated number.
 */
export async function loadMigrations(dir: URL = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const out: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE_NAME.exec(file);
    if (!m) throw new StorageError('BAD_MIGRATION', `migration file ${file} is not named NNN_name.sql`);
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) {
      throw new StorageError('BAD_MIGRATION', `migration number ${m[1]} is used twice (${file})`);
    }
    out.push({ version, name: file, sql: await readFile(new URL(file, dir), 'utf8') });
  }
  return out;
}

/**
 * Brings `schema` (the driver's search_path) up to date: creates the schema if missing, then applies
 * every migration not yet recorded in `schema_migrations`, in order.
 *
 * All of it runs in ONE transaction holding a transaction-level advisory lock keyed by the schema
 * name, so two processes starting at once are safe: the second waits, then finds nothing to do.
 * PostgreSQL DDL is transactional, so a failing migration leaves the schema exactly as it was.
 * Idempotent. Returns the names of the files applied by this call.
 * Throws `StorageError('BAD_MIGRATION' | 'DB_ERROR')`.
 */
export async function migrate(db: Db, schema: string, migrations?: Migration[]): Promise<string[]> {
  const files = migrations ?? (await loadMigrations());
  try {
    return await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
      const ns = await q.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (ns.rows.length === 0) await q.exec(`CREATE SCHEMA "${schema}"`);
      await q.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    int4        PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = await q.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(done.rows.map((r) => Number(r.version)));
      const names: string[] = [];
      for (const m of files) {
        if (applied.has(m.version)) continue;
        try {
          await q.exec(m.sql);
        } catch (err) {
          throw wrapDbError(err, `migration ${m.name} failed`);
        }
        await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        names.push(m.name);
      }
      return names;
    });
  } catch (err) {
    throw wrapDbError(err, `migrating schema ${schema}`);
  }
}
