// The log engine's front door: appends through the sequencer, reads through the tile cache.
import { createHash } from 'node:crypto';
import { hashLeaf } from '@signet/merkle';
import type { EntryQuery, LogEntry, LogEntryText, LogHead, SearchCriterion } from '@signet/storage';
import { LogError } from '../errors.js';
import { CheckpointSigner, defaultNoteKeyId, isValidKeyName } from './checkpoint-signer.js';
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_HEAD_TTL_MS,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_COMMIT_ATTEMPTS,
  DEFAULT_PIPELINE_DEPTH,
  MAX_PIPELINE_DEPTH,
  DEFAULT_MAX_PENDING,
  type LogOptions,
  MAX_BODY_BYTES,
  MAX_ENTRIES_PER_READ,
  PUSHBACK_RETRY_AFTER_SECONDS,
  realTimers,
} from './options.js';
import type { AppendForwarder, ForwardedEntry } from './forward.js';
import { hashKeyOf, ReadCoalescer } from './read-coalescer.js';
import { type Appended, type BodyAtSequencing, type ExtraAtSequencing, Sequencer, type Waiter } from './sequencer.js';
import { DEFAULT_TILE_CACHE_BYTES, TILE_WIDTH, TileCache } from './tile-cache.js';
import { type TileOverlay, TreeAccess, storageFailure } from './tree-access.js';
import { tileWidthAt } from './tree-reader.js';

/** An entry to append: the leaf bytes, its search keys, and opaque data kept beside it. */
export interface NewLogEntry {
  body: Uint8Array;
  searchKeys: string[];
  extra?: Uint8Array | null;
}

/** An inclusion proof with the tree it is for. `checkpoint` is '' unless `treeSize` is the head. */
export interface InclusionProof {
  index: bigint;
  treeSize: bigint;
  rootHash: Uint8Array;
  hashes: Uint8Array[];
  checkpoint: string;
}

/** A consistency proof to the tree whose root is `rootHash`. */
export interface ConsistencyProof {
  rootHash: Uint8Array;
  hashes: Uint8Array[];
}

const badRequest = (message: string): LogError => new LogError('BAD_REQUEST', message);
const isIndex = (v: unknown): v is bigint => typeof v === 'bigint' && v >= 0n;

function positiveInt(value: number | undefined, fallback: number, what: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw badRequest(`LogOptions.${what} must be an integer ≥ ${min}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ''}`);
  }
  return value;
}

/**
 * A transparency log over a `LogStore`: a personality-free RFC 6962 tree of opaque entries with
 * signed C2SP checkpoints. Several `Log`s (in one or several processes) may share one store and log
 * name: the head's compare-and-swap keeps a single linear history. See docs/design/sequencer.md.
 */
export class Log {
  /** SHA-256 of the signer's DER SubjectPublicKeyInfo: Rekor's logID, RFC 6962's LogID. */
  readonly logId: Uint8Array;
  private readonly sequencer: Sequencer;
  private readonly access: TreeAccess;
  private readonly reads: ReadCoalescer<LogEntry>;
  private readonly textReads: ReadCoalescer<LogEntryText>;
  private current: LogHead;
  private headReadAt: number;
  private headRead: Promise<LogHead> | undefined;
  private closing: Promise<void> | undefined;
  /** Forwarded appends not yet answered, and who waits for there to be none (close). */
  private forwarded = 0;
  private forwardedDrained: Array<() => void> = [];

  private constructor(
    private readonly opts: Required<Pick<LogOptions, 'name' | 'store' | 'now'>> &
      Pick<LogOptions, 'forwardTo'> & { maxPending: number; headTtlMs: number; closeTimeoutMs: number },
    private readonly timers: NonNullable<LogOptions['timers']>,
    logId: Uint8Array,
    private readonly checkpoints: CheckpointSigner,
    private readonly emptyCheckpoint: string,
    head: LogHead,
    sequencerOpts: {
      maxBatch: number;
      maxAgeMs: number;
      maxCommitAttempts: number;
      pipelineDepth: number;
      tileCacheBytes: number;
      extraAtSequencing?: ExtraAtSequencing | undefined;
      bodyAtSequencing?: BodyAtSequencing | undefined;
    },
  ) {
    this.logId = logId;
    this.current = this.withCheckpoint(head);
    this.headReadAt = opts.now();
    this.access = new TreeAccess(opts.store, opts.name, new TileCache(sequencerOpts.tileCacheBytes));
    const batch = Math.min(256, MAX_ENTRIES_PER_READ);
    this.reads = new ReadCoalescer((q) => opts.store.readEntries(opts.name, q), (e) => hashKeyOf(e.leafHash), batch);
    this.textReads = new ReadCoalescer((q) => opts.store.readEntryTexts(opts.name, q), (e) => hashKeyOf(Buffer.from(e.leafHashHex, 'hex')), batch);
    this.sequencer = new Sequencer({
      name: opts.name,
      store: opts.store,
      access: this.access,
      checkpoints,
      now: opts.now,
      timers,
      maxBatch: sequencerOpts.maxBatch,
      maxAgeMs: sequencerOpts.maxAgeMs,
      maxCommitAttempts: sequencerOpts.maxCommitAttempts,
      pipelineDepth: sequencerOpts.pipelineDepth,
      extraAtSequencing: sequencerOpts.extraAtSequencing,
      bodyAtSequencing: sequencerOpts.bodyAtSequencing,
      onCommit: (h) => {
        this.observe(h);
        for (const l of this.headListeners) l(h);
      },
    });
    opts.forwardTo?.onHead?.((h) => this.observe(h));
  }

  /**
   * Calls `listener` with every head this process commits, before the appends of that batch are
   * answered (the cluster primary tells its workers, so that none serves an older head than a
   * checkpoint already handed out).
   */
  onCommittedHead(listener: (head: LogHead) => void): void {
    this.headListeners.push(listener);
  }

  /**
   * Opens (creating if new) the log `opts.name` with log ID SHA-256(signer SPKI). Throws
   * `StorageError('LOG_ID_MISMATCH')` if the store's log was started by another key (the process
   * must not start), `LogError('BAD_REQUEST')` for invalid options, `LogError('STORAGE_FAILURE')`.
   */
  static async open(opts: LogOptions): Promise<Log> {
    if (typeof opts.origin !== 'string' || opts.origin === '' || /[\n\r]/.test(opts.origin)) {
      throw badRequest('LogOptions.origin must be one non-empty line');
    }
    if (!isValidKeyName(opts.noteKeyName)) throw badRequest('LogOptions.noteKeyName must be non-empty without spaces or "+"');
    if (opts.noteKeyId !== undefined && opts.noteKeyId.length !== 4) throw badRequest('LogOptions.noteKeyId must be 4 bytes');
    const limits = {
      maxBatch: positiveInt(opts.maxBatch, DEFAULT_MAX_BATCH, 'maxBatch'),
      maxAgeMs: positiveInt(opts.maxAgeMs, DEFAULT_MAX_AGE_MS, 'maxAgeMs', 0),
      maxCommitAttempts: positiveInt(opts.maxCommitAttempts, DEFAULT_MAX_COMMIT_ATTEMPTS, 'maxCommitAttempts'),
      pipelineDepth: positiveInt(opts.pipelineDepth, DEFAULT_PIPELINE_DEPTH, 'pipelineDepth', 1, MAX_PIPELINE_DEPTH),
      tileCacheBytes: positiveInt(opts.tileCacheBytes, DEFAULT_TILE_CACHE_BYTES, 'tileCacheBytes'),
      extraAtSequencing: opts.extraAtSequencing,
      bodyAtSequencing: opts.bodyAtSequencing,
    };
    if (limits.extraAtSequencing !== undefined && typeof limits.extraAtSequencing !== 'function') {
      throw badRequest('LogOptions.extraAtSequencing must be a function');
    }
    if (limits.bodyAtSequencing !== undefined && typeof limits.bodyAtSequencing !== 'function') {
      throw badRequest('LogOptions.bodyAtSequencing must be a function');
    }
    if (limits.extraAtSequencing !== undefined && limits.bodyAtSequencing !== undefined) {
      throw badRequest('LogOptions.extraAtSequencing and bodyAtSequencing cannot be combined (bodyAtSequencing makes extra too)');
    }
    const resolved = {
      name: opts.name,
      store: opts.store,
      now: opts.now,
      maxPending: positiveInt(opts.maxPending, DEFAULT_MAX_PENDING, 'maxPending'),
      headTtlMs: positiveInt(opts.headTtlMs, DEFAULT_HEAD_TTL_MS, 'headTtlMs', 0),
      closeTimeoutMs: positiveInt(opts.closeTimeoutMs, DEFAULT_CLOSE_TIMEOUT_MS, 'closeTimeoutMs', 0),
      ...(opts.forwardTo !== undefined && { forwardTo: opts.forwardTo }),
    };
    const logId = new Uint8Array(createHash('sha256').update(opts.signer.publicKeyDer).digest());
    const keyId = opts.noteKeyId ?? defaultNoteKeyId(opts.signer, opts.noteKeyName);
    const checkpoints = new CheckpointSigner(opts.signer, opts.origin, opts.noteKeyName, keyId);
    const head = await opts.store.openLog(opts.name, logId); // LOG_ID_MISMATCH propagates as is
    // The size-0 checkpoint is consistent with every tree, so it is signed here, never stored.
    const emptyCheckpoint = await checkpoints.sign(0n, new Uint8Array(createHash('sha256').digest()));
    return new Log(resolved, opts.timers ?? realTimers, logId, checkpoints, emptyCheckpoint, head, limits);
  }

  /** The signed-note key hint of this log's checkpoints. */
  get noteKeyId(): Uint8Array {
    return this.checkpoints.keyId;
  }

  /** The signed-note key name of this log's checkpoints. */
  get noteKeyName(): string {
    return this.checkpoints.keyName;
  }

  /** The origin line of this log's checkpoints. */
  get origin(): string {
    return this.checkpoints.origin;
  }

  /**
   * Appends one entry; resolves once it is durably committed under a signed checkpoint covering it.
   * Throws `LogError`: ENTRY_EXISTS (`details.index`) if its leaf hash is already logged (also for
   * the second of two equal appends in flight), PUSHBACK (`details.retryAfterSeconds`) when
   * `maxPending` appends are outstanding, ENTRY_INVALID / BODY_TOO_LARGE for a bad entry,
   * STORAGE_FAILURE or SHUTTING_DOWN when it was not acknowledged (it may still have landed).
   */
  append(entry: NewLogEntry): Promise<Appended> {
    if (this.closing !== undefined) return Promise.reject(new LogError('SHUTTING_DOWN', 'the log is shutting down'));
    const { body, searchKeys } = entry;
    if (!(body instanceof Uint8Array) || body.length === 0) return Promise.reject(new LogError('ENTRY_INVALID', 'entry body must be non-empty bytes'));
    if (body.length > MAX_BODY_BYTES) {
      return Promise.reject(new LogError('BODY_TOO_LARGE', `entry body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}`));
    }
    // U+0000 cannot be stored in a PostgreSQL text key: refused here, alone, rather than failing
    // the commit of the whole batch it would join.
    if (!Array.isArray(searchKeys) || searchKeys.some((k) => typeof k !== 'string' || k === '' || k.includes('\u0000'))) {
      return Promise.reject(new LogError('ENTRY_INVALID', 'search keys must be non-empty strings without U+0000'));
    }
    const extra = entry.extra ?? null;
    if (extra !== null && !(extra instanceof Uint8Array)) return Promise.reject(new LogError('ENTRY_INVALID', 'extra must be bytes or null'));
    if (this.opts.forwardTo !== undefined) return this.forward(this.opts.forwardTo, { body, searchKeys, extra });
    if (this.sequencer.outstanding >= this.opts.maxPending) {
      return Promise.reject(
        new LogError('PUSHBACK', `${this.sequencer.outstanding} appends are pending; retry later`, {
          retryAfterSeconds: PUSHBACK_RETRY_AFTER_SECONDS,
        }),
      );
    }
    const leafHash = hashLeaf(body);
    return new Promise<Appended>((resolve, reject) => {
      const w: Waiter = {
        body,
        leafHash,
        key: Buffer.from(leafHash).toString('hex'),
        searchKeys: [...new Set(searchKeys.map((k) => k.toLowerCase()))],
        extra,
        arrivedAt: this.opts.now(),
        idle: false,
        settled: false,
        resolve,
        reject,
        followers: [],
      };
      this.sequencer.enqueue(w);
    });
  }

  /** Sends an append to the sequencing process; its answer's head refreshes this process's head. */
  private async forward(to: AppendForwarder, entry: ForwardedEntry): Promise<Appended> {
    this.forwarded++;
    try {
      const a = await to.append(entry);
      this.observe({ size: a.treeSize, rootHash: a.rootHash, checkpoint: a.checkpoint });
      return a;
    } finally {
      if (--this.forwarded === 0) for (const d of this.forwardedDrained.splice(0)) d();
    }
  }

  /** The latest committed head with its signed checkpoint (at most `headTtlMs` old). */
  async head(): Promise<LogHead> {
    return this.freshHead(0n);
  }

  /**
   * Inclusion proof of `index` in the tree of `treeSize` (default: the current head, with its
   * checkpoint). Throws NOT_FOUND if no entry has that index, BAD_REQUEST for index ≥ treeSize or a
   * treeSize beyond the head.
   */
  async inclusionProof(index: bigint, treeSize?: bigint): Promise<InclusionProof> {
    if (!isIndex(index)) throw badRequest('index must be a non-negative integer');
    let size: bigint;
    let head: LogHead;
    if (treeSize === undefined) {
      head = await this.freshHead(index + 1n);
      if (index >= head.size) throw new LogError('NOT_FOUND', `no entry at index ${index}; the log has ${head.size}`);
      size = head.size;
    } else {
      if (!isIndex(treeSize)) throw badRequest('tree size must be a non-negative integer');
      if (index >= treeSize) throw badRequest(`index ${index} is not below tree size ${treeSize}`);
      head = await this.freshHead(treeSize);
      if (treeSize > head.size) throw badRequest(`tree size ${treeSize} is greater than the log's size ${head.size}`);
      size = treeSize;
    }
    const atHead = size === head.size;
    const { hashes, root } = await this.access.run(size, (r) => ({ hashes: r.inclusion(index), root: atHead ? head.rootHash : r.root() }));
    return { index, treeSize: size, rootHash: root, hashes, checkpoint: atHead ? head.checkpoint : '' };
  }

  /**
   * Consistency proof from `size1` to `size2` with the root of `size2`, Rekor's rules: size1 ≥ 1,
   * size1 ≤ size2 ≤ the log's size (else BAD_REQUEST naming the problem); equal sizes → no hashes.
   */
  async consistencyProof(size1: bigint, size2: bigint): Promise<ConsistencyProof> {
    if (typeof size1 !== 'bigint' || size1 < 1n) throw badRequest('firstSize must be at least 1');
    if (!isIndex(size2)) throw badRequest('lastSize must be a non-negative integer');
    if (size1 > size2) throw badRequest(`firstSize(${size1}) must be less than or equal to lastSize(${size2})`);
    const head = await this.freshHead(size2);
    if (size2 > head.size) {
      throw badRequest(`the tree size requested(${size2}) was greater than what is currently observable(${head.size})`);
    }
    return this.access.run(size2, (r) => ({
      rootHash: size2 === head.size ? head.rootHash.slice() : r.root(),
      hashes: r.consistency(size1),
    }));
  }

  /**
   * Entries by indices, leaf hashes or a range (missing ones left out). BAD_REQUEST if malformed.
   * Single-entry reads started in the same turn of the event loop share one store query.
   */
  async entries(q: EntryQuery): Promise<LogEntry[]> {
    return this.read(q, this.reads, (query) => this.opts.store.readEntries(this.opts.name, query));
  }

  /**
   * `entries` with the leaf hash in hex and the body in base64, as JSON answers print them (the
   * store encodes them; see `LogStore.readEntryTexts`). Same checks, same coalescing.
   */
  async entryTexts(q: EntryQuery): Promise<LogEntryText[]> {
    return this.read(q, this.textReads, (query) => this.opts.store.readEntryTexts(this.opts.name, query));
  }

  private async read<E extends { index: bigint }>(q: EntryQuery, points: ReadCoalescer<E>, many: (q: EntryQuery) => Promise<E[]>): Promise<E[]> {
    if ('indices' in q) {
      if (!Array.isArray(q.indices) || q.indices.length > MAX_ENTRIES_PER_READ || !q.indices.every(isIndex)) {
        throw badRequest(`indices must be at most ${MAX_ENTRIES_PER_READ} non-negative integers`);
      }
    } else if ('leafHashes' in q) {
      if (!Array.isArray(q.leafHashes) || q.leafHashes.length > MAX_ENTRIES_PER_READ || !q.leafHashes.every((h) => h instanceof Uint8Array && h.length === 32)) {
        throw badRequest(`leafHashes must be at most ${MAX_ENTRIES_PER_READ} 32-byte hashes`);
      }
    } else if (!isIndex(q.from) || !Number.isSafeInteger(q.count) || q.count < 0 || q.count > MAX_ENTRIES_PER_READ) {
      throw badRequest(`from must be a non-negative integer and count 0..${MAX_ENTRIES_PER_READ}`);
    }
    try {
      let one: Promise<E | undefined> | undefined;
      if ('indices' in q && q.indices.length === 1) one = points.entryAt(q.indices[0]!);
      else if ('leafHashes' in q && q.leafHashes.length === 1) one = points.entryWithLeafHash(q.leafHashes[0]!);
      if (one === undefined) return await many(q);
      const e = await one;
      return e === undefined ? [] : [e];
    } catch (err) {
      throw storageFailure('reading entries', err);
    }
  }

  /**
   * Indices of entries matching every criterion (`and`) or any key (`or`), case-insensitive,
   * ascending, at most `limit`. A criterion is a key or a list of alternative keys.
   */
  async search(keys: readonly SearchCriterion[], op: 'and' | 'or', limit: number): Promise<bigint[]> {
    const validKey = (k: unknown) => typeof k === 'string' && k !== '';
    const valid = (c: unknown) => validKey(c) || (Array.isArray(c) && c.length > 0 && c.every(validKey));
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every(valid)) {
      throw badRequest('search needs at least one non-empty key');
    }
    if (op !== 'and' && op !== 'or') throw badRequest(`search operator must be 'and' or 'or'`);
    if (!Number.isSafeInteger(limit) || limit < 1) throw badRequest('search limit must be a positive integer');
    const lower = keys.map((c) => (typeof c === 'string' ? c.toLowerCase() : c.map((k: string) => k.toLowerCase())));
    try {
      return await this.opts.store.search(this.opts.name, lower, op, limit);
    } catch (err) {
      throw storageFailure('searching', err);
    }
  }

  /**
   * The C2SP tlog-tiles tile (level, index) at `width` hashes (1..256): `width × 32` bytes. NOT_FOUND
   * if the tree does not have that tile at that width yet; BAD_REQUEST for malformed coordinates.
   */
  async tile(level: number, index: bigint, width: number): Promise<Uint8Array> {
    if (!Number.isInteger(level) || level < 0 || level > 63) throw badRequest('tile level must be 0..63');
    if (!isIndex(index)) throw badRequest('tile index must be a non-negative integer');
    if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw badRequest(`tile width must be 1..${TILE_WIDTH}`);
    const needed = (index * BigInt(TILE_WIDTH) + BigInt(width)) << BigInt(8 * level);
    const head = await this.freshHead(needed);
    if (tileWidthAt(level, index, head.size) < width) throw new LogError('NOT_FOUND', `tile ${level}/${index} has no width ${width} yet`);
    let t = this.access.cache.get(level, index, width);
    if (t === undefined) {
      const overlay: TileOverlay = new Map();
      await this.access.fetch([{ level, index, width }], head.size, overlay);
      t = overlay.values().next().value!;
    }
    return t.rows[0]!.slice(0, width * 32);
  }

  /**
   * The C2SP entry bundle `index` at `width` entries: each body as uint16-BE length || bytes.
   * NOT_FOUND if the log has fewer than index·256 + width entries.
   */
  async entryBundle(index: bigint, width: number): Promise<Uint8Array> {
    if (!isIndex(index)) throw badRequest('bundle index must be a non-negative integer');
    if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw badRequest(`bundle width must be 1..${TILE_WIDTH}`);
    const from = index * BigInt(TILE_WIDTH);
    const head = await this.freshHead(from + BigInt(width));
    if (head.size < from + BigInt(width)) throw new LogError('NOT_FOUND', `entry bundle ${index} has no width ${width} yet`);
    const entries = await this.entries({ from, count: width });
    if (entries.length !== width) throw new LogError('STORAGE_FAILURE', `entries ${from}+${width} are missing from the store`);
    const out = Buffer.allocUnsafe(entries.reduce((n, e) => n + 2 + e.body.length, 0));
    let at = 0;
    for (const e of entries) {
      out.writeUInt16BE(e.body.length, at);
      out.set(e.body, at + 2);
      at += 2 + e.body.length;
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }

  /**
   * Reads the current tree's tiles into the tile cache (higher levels first, newest first) until
   * the cache is full; returns how many tiles were read. Optional: call it after `open` so that
   * proofs are served from memory at once instead of one tile read per cold proof. Throws
   * `LogError('STORAGE_FAILURE')`.
   */
  async warmTileCache(): Promise<number> {
    const head = await this.freshHead(0n);
    return this.access.warm(head.size);
  }

  /**
   * Stops accepting appends (SHUTTING_DOWN), commits what is queued (with `forwardTo`: waits for the
   * answers of forwarded appends), and after `closeTimeoutMs` rejects whatever is still queued with
   * SHUTTING_DOWN. Does not close the store or the signer.
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const timer = this.timers.setTimeout(() => {
        this.sequencer.abandon(new LogError('SHUTTING_DOWN', 'the log shut down before this entry was committed'));
        resolve();
      }, this.opts.closeTimeoutMs);
      const forwarded = this.forwarded === 0 ? undefined : new Promise<void>((r) => this.forwardedDrained.push(r));
      void Promise.all([this.sequencer.drain(), forwarded]).then(() => {
        this.timers.clearTimeout(timer);
        resolve();
      });
    });
    return this.closing;
  }

  /** A head at least `minSize` large if the store has one, re-read when older than `headTtlMs`. */
  private async freshHead(minSize: bigint): Promise<LogHead> {
    if (this.current.size >= minSize && this.opts.now() - this.headReadAt < this.opts.headTtlMs) return this.current;
    this.headRead ??= (async () => {
      try {
        const h = await this.opts.store.head(this.opts.name);
        this.observe(h);
        this.headReadAt = this.opts.now();
        return this.current;
      } catch (err) {
        throw storageFailure('reading the head', err);
      } finally {
        this.headRead = undefined;
      }
    })();
    return this.headRead;
  }

  /** Keeps the largest head seen (heads of one log only grow). */
  private observe(h: LogHead): void {
    if (h.size >= this.current.size) this.current = this.withCheckpoint(h);
  }

  private readonly headListeners: ((head: LogHead) => void)[] = [];

  private withCheckpoint(h: LogHead): LogHead {
    return h.size === 0n && h.checkpoint === '' ? { ...h, checkpoint: this.emptyCheckpoint ?? '' } : h;
  }
}
