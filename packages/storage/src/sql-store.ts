import { createHash } from 'node:crypto';
import { sqlState, type Db } from './db.js';
import { StorageError, wrapDbError } from './errors.js';
import type { CommitBatch, EntryQuery, LogEntry, LogEntryText, LogHead, LogStore, SearchCriterion, Tile, TileId } from './store.js';

/** SHA-256 of the empty string: the RFC 6962 root of an empty tree, the head of a new log. */
const EMPTY_ROOT = new Uint8Array(createHash('sha256').digest());
const MAX_TILE_BYTES = 256 * 32;

interface HeadRow { log_id: Uint8Array; size: bigint; root: Uint8Array; checkpoint: string }
interface EntryRow<B> { idx: bigint; leaf_hash: B; body: B; integrated_time: bigint; extra: Uint8Array | null }

/** The entry columns as stored. */
const ENTRY_BYTES = 'idx, leaf_hash, body, integrated_time, extra';
/**
 * The entry columns with the leaf hash in hex and the body in base64 (PostgreSQL's base64 breaks
 * lines every 76 characters; chr(10) is that line break).
 */
const ENTRY_TEXTS = "idx, encode(leaf_hash, 'hex') AS leaf_hash, replace(encode(body, 'base64'), chr(10), '') AS body, integrated_time, extra";

/**
 * The whole commit as one statement, so one round trip and one implicit transaction: the head moves
 * by compare-and-swap (`moved`), and the three inserts read `moved`, so they write nothing unless it
 * did. `head` locks the head row first and, if another transaction holds it, waits for that one to
 * end and then reads the row as it committed (READ COMMITTED re-reads a locked row's newest
 * version); the compare is made against that. So a concurrent writer at the same size finds the
 * size moved (0 rows, inserts empty), and a writer whose expected head is the one a commit in
 * progress will produce (a pipelined batch) waits for it and then lands on top. Comparing in the
 * UPDATE's own WHERE would not do the latter: its scan sees the statement's snapshot, where the
 * row does not match yet, and skips it without waiting. A unique violation in any insert aborts
 * the whole statement. See docs/design/log-storage.md.
 */
const COMMIT_SQL = `
WITH head AS (
  SELECT size, root FROM logs WHERE name = $1 FOR UPDATE
), moved AS (
  UPDATE logs SET size = $3, root = $4, checkpoint = $5, updated_at = now()
  FROM head WHERE logs.name = $1 AND head.size = $2 AND ($21::bytea IS NULL OR head.root = $21) RETURNING 1
), new_entries AS (
  INSERT INTO entries (log, idx, leaf_hash, body, integrated_time, extra)
  SELECT $1, u.idx, substring($6::bytea FROM u.lo FOR 32), substring($7::bytea FROM u.bo FOR u.bl),
         u.t, substring($8::bytea FROM u.xo FOR u.xl)
  FROM unnest($9::int8[], $10::int4[], $11::int4[], $12::int4[], $13::int8[], $14::int4[], $15::int4[])
       AS u(idx, lo, bo, bl, t, xo, xl)
  WHERE EXISTS (SELECT 1 FROM moved)
), new_tiles AS (
  INSERT INTO tiles (log, level, idx, hashes)
  SELECT $1, u.level, u.idx, u.hashes FROM unnest($16::int4[], $17::int8[], $18::bytea[]) AS u(level, idx, hashes)
  WHERE EXISTS (SELECT 1 FROM moved)
  ON CONFLICT (log, level, idx) DO UPDATE SET hashes = EXCLUDED.hashes
  WHERE length(EXCLUDED.hashes) > length(tiles.hashes)
), new_keys AS (
  INSERT INTO search_keys (log, key, idx)
  SELECT $1, u.key, u.idx FROM unnest($19::text[], $20::int8[]) AS u(key, idx)
  WHERE EXISTS (SELECT 1 FROM moved)
)
SELECT count(*)::int AS moved FROM moved`;

function invalid(message: string): StorageError {
  return new StorageError('INVALID_ARGUMENT', message);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * The only `LogStore`: plain PostgreSQL over a `Db`, shared by the pg and PGlite drivers.
 * Every batch statement sends whole arrays (`unnest($n::type[])`), so a commit is one statement and
 * one round trip whatever its size. Tables: `migrations/001_log.sql`.
 */
export class SqlLogStore implements LogStore {
  constructor(private readonly db: Db) {}

  async openLog(name: string, logId: Uint8Array): Promise<LogHead> {
    checkName(name);
    if (!(logId instanceof Uint8Array) || logId.length !== 32) throw invalid('log ID must be 32 bytes (SHA-256)');
    const row = await this.run('opening log', async () => {
      await this.db.query(
        `INSERT INTO logs (name, log_id, size, root, checkpoint) VALUES ($1, $2, 0, $3, '')
         ON CONFLICT (name) DO NOTHING`,
        [name, logId, EMPTY_ROOT],
      );
      return (await this.db.query<HeadRow>('SELECT log_id, size, root, checkpoint FROM logs WHERE name = $1', [name])).rows[0];
    });
    if (row === undefined) throw new StorageError('DB_ERROR', `log ${name} vanished while being opened`);
    if (!sameBytes(row.log_id, logId)) {
      throw new StorageError('LOG_ID_MISMATCH', `log ${name} belongs to log ID ${hex(row.log_id)}, not ${hex(logId)}`);
    }
    return toHead(row);
  }

  async head(name: string): Promise<LogHead> {
    const { rows } = await this.run('reading head', () =>
      this.db.query<HeadRow>('SELECT log_id, size, root, checkpoint FROM logs WHERE name = $1', [name]),
    );
    if (rows[0] === undefined) throw new StorageError('NOT_FOUND', `log ${name} was never opened`);
    return toHead(rows[0]);
  }

  async commit(name: string, expectedSize: bigint, batch: CommitBatch): Promise<void> {
    checkBatch(expectedSize, batch);
    const { entries } = batch;
    const tiles = widestTiles(batch.tiles);
    const keyIdx: bigint[] = [];
    const keys: string[] = [];
    for (const e of entries) {
      for (const k of new Set(e.searchKeys)) {
        keys.push(k);
        keyIdx.push(e.index);
      }
    }
    // Byte columns travel as one binary blob each plus offsets (see packColumn): a bytea[]
    // parameter would be hex text, which costs PostgreSQL about twice as much to parse.
    const leaf = packColumn(entries.map((e) => e.leafHash));
    const body = packColumn(entries.map((e) => e.body));
    const extra = packColumn(entries.map((e) => e.extra));
    let moved: number;
    try {
      const { rows } = await this.db.query<{ moved: number }>(COMMIT_SQL, [
        name, expectedSize, batch.head.size, batch.head.rootHash, batch.head.checkpoint,
        leaf.blob, body.blob, extra.blob,
        entries.map((e) => e.index), leaf.offsets, body.offsets, body.lengths,
        entries.map((e) => e.integratedTime), extra.offsets, extra.lengths,
        tiles.map((t) => t.level), tiles.map((t) => t.index), tiles.map((t) => t.hashes),
        keys, keyIdx, batch.expectedRoot ?? null,
      ]);
      moved = rows[0]?.moved ?? 0;
    } catch (err) {
      if (sqlState(err) === '23505') throw await this.duplicateError(name, entries.map((e) => e.leafHash), err);
      throw wrapDbError(err, `committing to log ${name}`);
    }
    if (moved === 0) {
      const { rows } = await this.run('reading head after a lost compare-and-swap', () =>
        this.db.query('SELECT size FROM logs WHERE name = $1', [name]),
      );
      if (rows.length === 0) throw new StorageError('NOT_FOUND', `log ${name} was never opened`);
      const at = batch.expectedRoot === undefined ? '' : ` with root ${hex(batch.expectedRoot)}`;
      throw new StorageError('HEAD_CONFLICT', `log ${name} is no longer at size ${expectedSize}${at}`);
    }
  }

  /** After the rollback: which of the batch's leaf hashes are repeated in it or already logged. */
  private async duplicateError(name: string, hashes: Uint8Array[], cause: unknown): Promise<StorageError> {
    const seen = new Set<string>();
    const bad = new Map<string, Uint8Array>();
    for (const h of hashes) {
      const k = hex(h);
      if (seen.has(k)) bad.set(k, h);
      seen.add(k);
    }
    const { rows } = await this.run('finding duplicate entries', () =>
      this.db.query<{ leaf_hash: Uint8Array }>(
        'SELECT leaf_hash FROM entries WHERE log = $1 AND leaf_hash = ANY($2::bytea[])',
        [name, hashes],
      ),
    );
    for (const r of rows) bad.set(hex(r.leaf_hash), r.leaf_hash);
    if (bad.size === 0) return wrapDbError(cause, `committing to log ${name}: unique violation on entry index`);
    return new StorageError('DUPLICATE_ENTRY', `${bad.size} entries of the batch are already in log ${name}`, {
      cause,
      leafHashes: [...bad.values()],
    });
  }

  async readTiles(name: string, ids: TileId[]): Promise<Tile[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.run('reading tiles', () =>
      this.db.query<{ level: number; idx: bigint; hashes: Uint8Array }>(
        `SELECT level, idx, hashes FROM tiles
         WHERE log = $1 AND (level, idx) IN (SELECT * FROM unnest($2::int4[], $3::int8[]))
         ORDER BY level, idx`,
        [name, ids.map((t) => t.level), ids.map((t) => t.index)],
      ),
    );
    return rows.map((r) => ({ level: Number(r.level), index: BigInt(r.idx), hashes: r.hashes }));
  }

  async readEntries(name: string, query: EntryQuery): Promise<LogEntry[]> {
    const rows = await this.entryRows<Uint8Array>(name, query, ENTRY_BYTES);
    return rows.map((r) => ({
      index: BigInt(r.idx),
      leafHash: r.leaf_hash,
      body: r.body,
      integratedTime: Number(r.integrated_time),
      extra: r.extra,
    }));
  }

  async readEntryTexts(name: string, query: EntryQuery): Promise<LogEntryText[]> {
    const rows = await this.entryRows<string>(name, query, ENTRY_TEXTS);
    return rows.map((r) => ({
      index: BigInt(r.idx),
      leafHashHex: r.leaf_hash,
      bodyBase64: r.body,
      integratedTime: Number(r.integrated_time),
      extra: r.extra,
    }));
  }

  /** The rows of the entries `query` selects, ordered by index, with `columns`. */
  private async entryRows<B>(name: string, query: EntryQuery, columns: string): Promise<EntryRow<B>[]> {
    const cols = `SELECT ${columns} FROM entries WHERE log = $1 AND`;
    let sql: string;
    let arg: unknown[];
    if ('indices' in query) {
      if (query.indices.length === 0) return [];
      [sql, arg] = [`${cols} idx = ANY($2::int8[])`, [query.indices]];
    } else if ('leafHashes' in query) {
      if (query.leafHashes.length === 0) return [];
      [sql, arg] = [`${cols} leaf_hash = ANY($2::bytea[])`, [query.leafHashes]];
    } else {
      if (typeof query.from !== 'bigint' || query.from < 0n) throw invalid('from must be a non-negative bigint');
      if (!Number.isSafeInteger(query.count) || query.count < 0) throw invalid('count must be a non-negative integer');
      if (query.count === 0) return [];
      [sql, arg] = [`${cols} idx >= $2 AND idx < $3`, [query.from, query.from + BigInt(query.count)]];
    }
    const { rows } = await this.run('reading entries', () => this.db.query<EntryRow<B>>(`${sql} ORDER BY idx`, [name, ...arg]));
    return rows;
  }

  async search(name: string, keys: readonly SearchCriterion[], op: 'and' | 'or', limit: number): Promise<bigint[]> {
    if (op !== 'and' && op !== 'or') throw invalid(`search operator must be 'and' or 'or', not ${String(op)}`);
    if (!Number.isSafeInteger(limit) || limit < 0) throw invalid('search limit must be a non-negative integer');
    const groups = keys.map((k) => (typeof k === 'string' ? [k] : [...k]));
    if (groups.some((g) => g.length === 0)) throw invalid('a search criterion needs at least one key');
    if (groups.length === 0 || limit === 0) return [];
    const { rows } = await this.run('searching', () => {
      if (op === 'or') {
        return this.db.query<{ idx: bigint }>(
          'SELECT DISTINCT idx FROM search_keys WHERE log = $1 AND key = ANY($2::text[]) ORDER BY idx LIMIT $3',
          [name, [...new Set(groups.flat())], limit],
        );
      }
      // Every (key, criterion) pair; an entry qualifies when it matches every criterion at least once
      // (count DISTINCT: repeated keys and several alternatives of one criterion count once).
      return this.db.query<{ idx: bigint }>(
        `SELECT s.idx FROM search_keys s JOIN unnest($2::text[], $3::int4[]) AS q(key, criterion) ON s.key = q.key
         WHERE s.log = $1 GROUP BY s.idx HAVING count(DISTINCT q.criterion) = $4 ORDER BY s.idx LIMIT $5`,
        [name, groups.flat(), groups.flatMap((g, i) => g.map(() => i)), groups.length, limit],
      );
    });
    return rows.map((r) => BigInt(r.idx));
  }

  async close(): Promise<void> {
    await this.run('closing', () => this.db.close());
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw wrapDbError(err, what);
    }
  }
}

function toHead(r: HeadRow): LogHead {
  return { size: BigInt(r.size), rootHash: r.root, checkpoint: r.checkpoint };
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) throw invalid('log name must be 1-64 characters');
}

/** Rejects a batch that would corrupt the log if written (the log service's bug, not the client's). */
function checkBatch(expectedSize: bigint, batch: CommitBatch): void {
  if (typeof expectedSize !== 'bigint' || expectedSize < 0n) throw invalid('expected size must be a non-negative bigint');
  const { entries, head } = batch;
  if (head.size !== expectedSize + BigInt(entries.length)) {
    throw invalid(`new head size ${head.size} is not ${expectedSize} + ${entries.length} entries`);
  }
  if (head.rootHash.length !== 32) throw invalid('new root hash must be 32 bytes');
  if (batch.expectedRoot !== undefined && batch.expectedRoot.length !== 32) throw invalid('expected root hash must be 32 bytes');
  entries.forEach((e, i) => {
    if (e.index !== expectedSize + BigInt(i)) throw invalid(`entry ${i} has index ${e.index}, expected ${expectedSize + BigInt(i)}`);
    if (e.leafHash.length !== 32) throw invalid(`entry ${e.index}: leaf hash must be 32 bytes`);
    if (!Number.isSafeInteger(e.integratedTime)) throw invalid(`entry ${e.index}: integratedTime must be an integer`);
  });
  for (const t of batch.tiles) {
    if (!Number.isInteger(t.level) || t.level < 0 || t.level > 63 || t.index < 0n) {
      throw invalid(`tile ${t.level}/${t.index}: bad coordinates`);
    }
    if (t.hashes.length === 0 || t.hashes.length % 32 !== 0 || t.hashes.length > MAX_TILE_BYTES) {
      throw invalid(`tile ${t.level}/${t.index}: ${t.hashes.length} bytes is not 1-256 hashes`);
    }
  }
}

/**
 * Packs byte strings into one blob with 1-based offsets and lengths for `substring(blob FROM o FOR l)`;
 * `null` gets a NULL length, which makes `substring` NULL.
 */
function packColumn(values: (Uint8Array | null)[]): { blob: Uint8Array; offsets: number[]; lengths: (number | null)[] } {
  const offsets: number[] = [];
  const lengths: (number | null)[] = [];
  let total = 0;
  for (const v of values) {
    offsets.push(total + 1);
    lengths.push(v === null ? null : v.length);
    total += v?.length ?? 0;
  }
  if (total >= 2 ** 31) throw invalid('batch too large: a byte column exceeds 2 GiB');
  const blob = new Uint8Array(total);
  values.forEach((v, i) => v !== null && blob.set(v, offsets[i]! - 1));
  return { blob, offsets, lengths };
}

/** One row per tile ID (the widest), so the upsert never touches a row twice. */
function widestTiles(tiles: Tile[]): Tile[] {
  const byId = new Map<string, Tile>();
  for (const t of tiles) {
    const k = `${t.level}/${t.index}`;
    const prev = byId.get(k);
    if (prev === undefined || t.hashes.length > prev.hashes.length) byId.set(k, t);
  }
  return [...byId.values()];
}
