import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable } from '../db.js';

/**
 * A `Db` over embedded PGlite (PostgreSQL compiled to WASM, in this process). PGlite is a single
 * connection, so every statement and transaction goes through one queue here: a transaction runs
 * alone from BEGIN to COMMIT, and plain statements wait for it. `dataDir` undefined → in memory.
 * `schema` must already be a validated identifier.
 */
export async function openPgliteDb(dataDir: string | undefined, schema: string): Promise<Db> {
  const pglite = await PGlite.create(dataDir ?? 'memory://', {
    parsers: { [types.INT8]: (v: string) => BigInt(v) },
  });
  await pglite.exec(`SET search_path TO ${schema}`);

  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** Runs `fn` after everything queued before it, whatever their outcome. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(() => {
      if (closed) throw new Error('PGlite database is closed');
      return fn();
    });
    queue = run.catch(() => undefined);
    return run;
  }

  const on = (c: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await c.query<T>(sql, params);
      return { rows: r.rows };
    },
    async exec(sql: string) {
      await c.exec(sql);
    },
  });
  const direct = on(pglite);

  return {
    query: (sql, params) => serial(() => direct.query(sql, params)),
    exec: (sql) => serial(() => direct.exec(sql)),
    // PGlite's own transaction() issues BEGIN/COMMIT and rolls back when `fn` throws.
    tx: (fn) => serial(() => pglite.transaction((t) => fn(on(t)))),
    close: () =>
      serial(async () => {
        closed = true;
        await pglite.close();
      }),
  };
}
