/**
 * `@signet/storage`: the transparency log's persistent state in PostgreSQL (a server through `pg`,
 * or embedded PGlite). See docs/design/log-storage.md.
 */
import type { Db } from './db.js';
import { openPgDb } from './drivers/pg.js';
import { openPgliteDb } from './drivers/pglite.js';
import { StorageError, wrapDbError } from './errors.js';
import { migrate } from './migrate.js';
import { SqlLogStore } from './sql-store.js';
import type { LogStore } from './store.js';

export type { CommitBatch, EntryQuery, LogEntry, LogHead, LogStore, NewEntry, Tile, TileId } from './store.js';
export { StorageError, type StorageErrorCode } from './errors.js';

/** The schema used when none is configured. */
export const DEFAULT_SCHEMA = 'public';

/** Where the store lives. */
export interface OpenStoreOptions {
  /** `postgres://` or `postgresql://` URL of a PostgreSQL server. Unset → embedded PGlite. */
  url?: string;
  /** PGlite only: directory holding the database (created if missing). Unset → in memory. */
  dataDir?: string;
  /** Schema holding the tables (created if missing): lower-case letters, digits, `_`. Default `public`. */
  schema?: string;
  /** pg only: maximum connections in the pool (default 10). */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the store: no `url` → PGlite (in memory, or persisted under `dataDir`); a `postgres://` /
 * `postgresql://` URL → a pg pool. Creates the schema if needed and applies pending migrations
 * (safe when several processes start at once), then returns the store. The caller must `close()` it.
 * Throws `StorageError('BAD_URL' | 'BAD_SCHEMA' | 'INVALID_ARGUMENT' | 'BAD_MIGRATION' | 'DB_ERROR')`.
 */
export async function openStore(opts: OpenStoreOptions = {}): Promise<LogStore> {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new StorageError('BAD_SCHEMA', `schema name ${JSON.stringify(schema)} is not a lower-case SQL identifier`);
  }
  const quoted = `"${schema}"`;
  let db: Db;
  if (opts.url !== undefined) {
    if (opts.dataDir !== undefined) throw new StorageError('INVALID_ARGUMENT', 'dataDir is for embedded PGlite; do not combine it with a url');
    checkUrl(opts.url);
    if (opts.poolSize !== undefined && !(Number.isSafeInteger(opts.poolSize) && opts.poolSize > 0)) {
      throw new StorageError('INVALID_ARGUMENT', 'poolSize must be a positive integer');
    }
    db = openPgDb(opts.url, quoted, opts.poolSize);
  } else {
    try {
      db = await openPgliteDb(opts.dataDir, quoted);
    } catch (err) {
      throw wrapDbError(err, `opening embedded PGlite ${opts.dataDir ?? 'in memory'}`);
    }
  }
  try {
    await migrate(db, schema);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqlLogStore(db);
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new StorageError('BAD_URL', 'database URL is not a valid URL', { cause: err });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StorageError('BAD_URL', `database URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
}
