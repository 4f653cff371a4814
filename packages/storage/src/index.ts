/**
 * `@signet/storage`: the transparency log's persistent state in PostgreSQL (a server through `pg`,
 * or embedded PGlite). See docs/design/log-storage.md.
 */
import { migrate } from './migrate.js';
import { openDb, type OpenStoreOptions } from './open-db.js';
import { SqlLogStore } from './sql-store.js';
import type { LogStore } from './store.js';

export type { CommitBatch, EntryQuery, LogEntry, LogEntryText, LogHead, LogStore, NewEntry, SearchCriterion, Tile, TileId } from './store.js';
export { StorageError, type StorageErrorCode } from './errors.js';
export { DEFAULT_SCHEMA, type OpenStoreOptions } from './open-db.js';

/**
 * Opens the store: no `url` → PGlite (in memory, or persisted under `dataDir`); a `postgres://` /
 * `postgresql://` URL → a pg pool. Creates the schema if needed and applies pending migrations
 * (safe when several processes start at once), then returns the store. The caller must `close()` it.
 * Throws `StorageError('BAD_URL' | 'BAD_SCHEMA' | 'INVALID_ARGUMENT' | 'BAD_MIGRATION' | 'DB_ERROR')`.
 */
export async function openStore(opts: OpenStoreOptions = {}): Promise<LogStore> {
  const { db, schema } = await openDb(opts);
  try {
    await migrate(db, schema);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqlLogStore(db);
}
