/**
 * The log's persistent state, behind one narrow interface.
 *
 * A store holds any number of independent logs in one schema, each named (for example `rekor` and
 * `ct`) and bound to its log ID (SHA-256 of the log key's DER SubjectPublicKeyInfo). Logs never share
 * rows. Tree hashes are stored as C2SP tlog-tiles: a tile at `level` L and `index` N holds up to 256
 * hashes of the tree nodes at height 8·L, starting at node 256·N; a partial tile on the right edge is
 * stored at its latest width and overwritten as it grows (an older width is a prefix of a newer one).
 */

/** C2SP tlog-tiles coordinates of one tile. */
export interface TileId {
  level: number;
  index: bigint;
}

/** One tile: `hashes` is `width × 32` bytes, width 1..256. */
export interface Tile extends TileId {
  hashes: Uint8Array;
}

/** The signed head of a log. An empty log has size 0, the empty-tree root and an empty checkpoint. */
export interface LogHead {
  size: bigint;
  rootHash: Uint8Array;
  /** The signed note (C2SP checkpoint) for exactly this size and root; '' before the first commit. */
  checkpoint: string;
}

/** One entry as the log stores it. */
export interface LogEntry {
  /** Position in the log, 0-based. */
  index: bigint;
  /** RFC 6962 leaf hash of `body`: SHA-256(0x00 || body). Unique within a log. */
  leafHash: Uint8Array;
  /** The Merkle leaf data, exactly as hashed. */
  body: Uint8Array;
  /** When the entry was integrated, in Unix milliseconds. */
  integratedTime: number;
  /**
   * Data the personality keeps beside the leaf and serves back unchanged (for example the Rekor SET,
   * or the CT chain for get-entries). Never hashed into the tree.
   */
  extra: Uint8Array | null;
}

/** One search criterion: a key, or alternative keys of which any one satisfies it. */
export type SearchCriterion = string | readonly string[];

/**
 * One entry with its leaf hash and body as the text a JSON answer prints them in, encoded by the
 * database: the bytes are never decoded into memory (`readEntryTexts`).
 */
export interface LogEntryText {
  index: bigint;
  /** `leafHash` in lower-case hex (64 digits). */
  leafHashHex: string;
  /** `body` in standard base64 (RFC 4648 §4: `+/`, `=` padding, no line breaks). */
  bodyBase64: string;
  integratedTime: number;
  extra: Uint8Array | null;
}

/** An entry to append, with the keys under which the search index must find it. */
export interface NewEntry extends LogEntry {
  /** Lower-case search keys (artifact digests, emails, key fingerprints…); duplicates allowed. */
  searchKeys: string[];
}

/** Everything one append changes, committed atomically. */
export interface CommitBatch {
  /** Entries with consecutive indices starting at the expected size. */
  entries: NewEntry[];
  /** Every tile the batch created or grew, at its new width. */
  tiles: Tile[];
  /** The new head: size = expected size + entries.length. */
  head: LogHead;
  /**
   * The root the log must have at the expected size: when given, the compare-and-swap checks the
   * root as well, so a batch built on a state that never landed cannot land on another writer's
   * head of the same size (a pipelined sequencer sends its next batch before the previous lands).
   */
  expectedRoot?: Uint8Array;
}

/** Which entries to read. Missing entries are silently left out of the answer. */
export type EntryQuery =
  | { indices: bigint[] }
  | { leafHashes: Uint8Array[] }
  | { from: bigint; count: number };

/**
 * The one storage interface of the log. Implemented once in SQL (`SqlLogStore`) over a tiny `Db`.
 */
export interface LogStore {
  /**
   * Opens the log `name`, creating it (empty) on first use. Throws `StorageError('LOG_ID_MISMATCH')`
   * if the log already exists with another log ID: a process must never write a log that its key
   * did not start.
   */
  openLog(name: string, logId: Uint8Array): Promise<LogHead>;

  /** The current head of `name`. Throws `StorageError('NOT_FOUND')` if the log was never opened. */
  head(name: string): Promise<LogHead>;

  /**
   * Appends `batch` if and only if the log's size is still `expectedSize` (and its root
   * `batch.expectedRoot`, when given: compare-and-swap), in one transaction with its tiles, entries,
   * search keys and new head: either all of it is durable when the promise resolves, or none of it is.
   * Throws `StorageError('HEAD_CONFLICT')` if another writer moved the head first, and
   * `StorageError('DUPLICATE_ENTRY')` (with `leafHashes` of the offending entries) if an entry's leaf
   * hash is already in the log; nothing is written in either case.
   */
  commit(name: string, expectedSize: bigint, batch: CommitBatch): Promise<void>;

  /** Reads tiles at their stored (widest) width. Tiles never written are left out of the answer. */
  readTiles(name: string, ids: TileId[]): Promise<Tile[]>;

  /** Reads entries, ordered by index. */
  readEntries(name: string, query: EntryQuery): Promise<LogEntry[]>;

  /**
   * `readEntries` with the leaf hash in hex and the body in base64, for answers that print them:
   * the same entries in the same order, without turning the database's text into bytes and back.
   */
  readEntryTexts(name: string, query: EntryQuery): Promise<LogEntryText[]>;

  /**
   * Indices of the entries indexed under the given lower-case keys: those under every criterion
   * (`and`) or under any key (`or`), ascending, at most `limit`. A criterion is one key or a list of
   * alternative keys, any of which satisfies it (a public key indexed in two spellings, say); the
   * whole query runs in the database, so the limit applies to the final answer only.
   */
  search(name: string, keys: readonly SearchCriterion[], op: 'and' | 'or', limit: number): Promise<bigint[]>;

  /** Releases connections. */
  close(): Promise<void>;
}
