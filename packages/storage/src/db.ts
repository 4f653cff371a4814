/**
 * The whole surface a database driver implements. Both drivers speak PostgreSQL, so the SQL above
 * this interface (`sql-store.ts`, `migrate.ts`) is written once.
 *
 * Value mapping every driver guarantees: `bytea` ⇄ `Uint8Array` (plain, not a Buffer subclass);
 * `int8` → `bigint`; parameters may be `bigint`, `number`, `string`, `Uint8Array`, `null` and arrays
 * of those (for `unnest($1::int8[], …)`).
 */
export interface Queryable {
  /** Runs one statement with `$n` parameters. Driver errors propagate unchanged (they carry `code`). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A connection source: one-off statements, transactions, and shutdown. */
export interface Db extends Queryable {
  /**
   * Runs `fn` inside BEGIN … COMMIT on one connection (READ COMMITTED). If `fn` throws, the
   * transaction is rolled back and the error rethrown unchanged; nothing of it is visible.
   */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Releases every connection. */
  close(): Promise<void>;
}

/** The SQLSTATE of a driver error (both drivers expose PostgreSQL's `code`), if any. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The violated constraint's name of a driver error, if the driver reports it. */
export function sqlConstraint(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'constraint' in err) {
    const c = (err as { constraint: unknown }).constraint;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}
