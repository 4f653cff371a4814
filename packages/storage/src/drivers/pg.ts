import pg from 'pg';
import type { Db, Queryable } from '../db.js';

const BYTEA = 17;
const INT8 = 20;

/** `\x0a0b…` (PostgreSQL's hex bytea output) → a fresh, unpooled Uint8Array. */
function parseBytea(text: string): Uint8Array {
  const out = new Uint8Array((text.length - 2) >>> 1);
  Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(text.slice(2), 'hex');
  return out;
}

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === BYTEA) return parseBytea;
    if (oid === INT8) return BigInt;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * A `Db` over a `pg.Pool`. Every connection starts with `search_path` set to `schema` (a startup
 * parameter, so it also holds after a reconnect) and `plan_cache_mode=force_custom_plan` (see
 * below). `schema` must already be a validated identifier.
 */
export function openPgDb(url: string, schema: string, poolSize = 10): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${schema} -c plan_cache_mode=force_custom_plan`,
    types: typeParsers as pg.CustomTypesConfig,
  });
  // An idle connection dying (server restart) must not crash the process; the pool drops it and
  // the next query reports the failure to its caller.
  pool.on('error', () => {});

  // Every parameterised statement is a named prepared statement: each connection parses it once
  // instead of on every query (the hot reads run thousands of times a second). The store's
  // statements are a small, fixed set. Plans stay custom (planned with the actual parameters):
  // PostgreSQL's generic plan for `log = $1 AND leaf_hash = ANY($2)`, chosen after five executions
  // while the table was still small, walked every entry of the log (~2,500 rows fetched per batch's
  // duplicate check, measured with workers 2: PostgreSQL at 0.5 cores for 700 appends/s).
  const names = new Map<string, string>();
  const nameOf = (sql: string): string => {
    let name = names.get(sql);
    if (name === undefined) names.set(sql, (name = `signet_${names.size}`));
    return name;
  };
  const on = (c: pg.PoolClient | pg.Pool): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = params === undefined ? await c.query(sql) : await c.query({ name: nameOf(sql), text: sql, values: params });
      return { rows: r.rows as T[] };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });

  return {
    ...on(pool),
    async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        try {
          const result = await fn(on(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch((e: Error) => {
            broken = e; // the connection is unusable: destroy it instead of returning it
          });
          throw err;
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
