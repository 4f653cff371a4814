import type { Db } from './db.js';
import { openPgDb } from './drivers/pg.js';
import { openPgliteDb } from './drivers/pglite.js';
import { StorageError, wrapDbError } from './errors.js';

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

/** The schema used when none is configured. */
export const DEFAULT_SCHEMA = 'public';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates `opts` and opens the matching driver (no migrations). Returns the Db and the schema name.
 * Throws `StorageError('BAD_URL' | 'BAD_SCHEMA' | 'INVALID_ARGUMENT' | 'DB_ERROR')`.
 */
export async function openDb(opts: OpenStoreOptions): Promise<{ db: Db; schema: string }> {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new StorageError('BAD_SCHEMA', `schema name ${JSON.stringify(schema)} is not a lower-case SQL identifier`);
  }
  const quoted = `"${schema}"`;
  if (opts.url === undefined) {
    try {
      return { db: await openPgliteDb(opts.dataDir, quoted), schema };
    } catch (err) {
      throw wrapDbError(err, `opening embedded PGlite ${opts.dataDir ?? 'in memory'}`);
    }
  }
  if (opts.dataDir !== undefined) {
    throw new StorageError('INVALID_ARGUMENT', 'dataDir is for embedded PGlite; do not combine it with a url');
  }
  checkUrl(opts.url);
  if (opts.poolSize !== undefined && !(Number.isSafeInteger(opts.poolSize) && opts.poolSize > 0)) {
    throw new StorageError('INVALID_ARGUMENT', 'poolSize must be a positive integer');
  }
  return { db: openPgDb(opts.url, quoted, opts.poolSize), schema };
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
