/** Every way a storage call can fail. Tests assert these codes, never messages. */
export type StorageErrorCode =
  /** `commit`: the log's size was no longer the expected size (another writer moved the head). */
  | 'HEAD_CONFLICT'
  /** `commit`: an entry's leaf hash is already in the log, or twice in the batch; see `leafHashes`. */
  | 'DUPLICATE_ENTRY'
  /** `openLog`: the log exists with a different log ID (another key started it). */
  | 'LOG_ID_MISMATCH'
  /** The named log was never opened. */
  | 'NOT_FOUND'
  /** `openStore`: the URL is not a `postgres://`/`postgresql://` URL. */
  | 'BAD_URL'
  /** `openStore`: the schema name is not a plain lower-case SQL identifier. */
  | 'BAD_SCHEMA'
  /** A caller passed a malformed argument (inconsistent batch, bad tile width, bad log ID…). */
  | 'INVALID_ARGUMENT'
  /** `openStore`: a migration file is missing, misnamed or numbered twice. */
  | 'BAD_MIGRATION'
  /** The database failed or was unreachable; the foreign error is in `cause`. */
  | 'DB_ERROR';

/** The one error class of `@signet/storage`. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  /** For `DUPLICATE_ENTRY`: the leaf hashes of the batch that were already present or repeated. */
  readonly leafHashes?: Uint8Array[];

  constructor(
    code: StorageErrorCode,
    message: string,
    opts: { cause?: unknown; leafHashes?: Uint8Array[] } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    if (opts.leafHashes !== undefined) this.leafHashes = opts.leafHashes;
  }
}

/** Wraps anything that is not already a `StorageError` as `DB_ERROR` with the original in `cause`. */
export function wrapDbError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new StorageError('DB_ERROR', `${what}: ${detail}`, { cause: err });
}
