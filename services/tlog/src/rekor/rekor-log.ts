// The Rekor v1 personality over the log engine: create, read, retrieve and search entries and serve
// log info, proofs and the public key in Rekor's shapes. HTTP-free; `http/*.ts` calls this.
import { hashLeaf } from '@signet/merkle';
import { pemEncode, type Signer } from '@signet/pki';
import { LogError } from '../errors.js';
import { canonicalizeProposedEntry, DEFAULT_KINDS, type CanonicalEntry, type Kind } from './kinds/index.js';
import { entryIdOf, parseEntryId, toHex } from './entry-id.js';
import { entryTextOf, LogEntryWriter, renderLogEntry, toSafeNumber, type EntryWithProof, type RekorIdentity, type RekorLogEntry } from './log-entry.js';
import type { LogEngine, StoredEntry, StoredEntryText } from './engine.js';
import { searchIndexKeys, type SearchIndexQuery } from './search-index.js';
import { DEFAULT_SET_CACHE_ENTRIES, SetCache } from './set-cache.js';
import { setFieldsOfText, storedSet } from './set.js';
import { TurnGate } from './turn-gate.js';

/** Rekor's limit on the items of one POST /api/v1/log/entries/retrieve. */
export const MAX_RETRIEVE_ITEMS = 10;
/** Default cap on the IDs one POST /api/v1/index/retrieve returns (Rekor has none; see api-compatibility.md). */
export const DEFAULT_MAX_SEARCH_RESULTS = 10_000;

/** Options of `RekorLog`. */
export interface RekorLogOptions {
  engine: LogEngine;
  signer: Signer;
  treeId: bigint;
  kinds?: readonly Kind[];
  maxSearchResults?: number;
  /** SETs kept for reuse across reads of the same entry (default DEFAULT_SET_CACHE_ENTRIES; 0 = sign every time). */
  setCacheEntries?: number;
}

/** `GET /api/v1/log` body. */
export interface RekorLogInfo {
  rootHash: string;
  treeSize: number;
  signedTreeHead: string;
  treeID: string;
}

/** `POST /api/v1/log/entries/retrieve` body (SearchLogQuery). */
export interface SearchLogQuery {
  entryUUIDs?: string[];
  logIndexes?: number[];
  entries?: unknown[];
}

/** The Rekor v1 log. */
export class RekorLog {
  readonly #engine: LogEngine;
  readonly #id: RekorIdentity;
  readonly #kinds: readonly Kind[];
  readonly #maxSearchResults: number;
  readonly #sets: SetCache;
  readonly #writer: LogEntryWriter;
  readonly #logIdHex: string;
  /** Canonicalization (certificate parsing, signature verification) one entry per event-loop turn. */
  readonly #turns = new TurnGate();

  constructor(opts: RekorLogOptions) {
    this.#engine = opts.engine;
    this.#id = { treeId: opts.treeId, logId: opts.engine.logId, signer: opts.signer };
    this.#kinds = opts.kinds ?? DEFAULT_KINDS;
    this.#maxSearchResults = opts.maxSearchResults ?? DEFAULT_MAX_SEARCH_RESULTS;
    this.#sets = new SetCache(opts.signer, opts.setCacheEntries ?? DEFAULT_SET_CACHE_ENTRIES);
    this.#writer = new LogEntryWriter(this.#id);
    this.#logIdHex = toHex(this.#id.logId);
  }

  /** The tree ID used in entryIDs and the checkpoint origin. */
  get treeId(): bigint {
    return this.#id.treeId;
  }

  /**
   * Validates, canonicalizes and appends a ProposedEntry; resolves once it is durable, with the
   * LogEntry (inclusion proof + checkpoint + SET). Throws ENTRY_INVALID / UNSUPPORTED_KIND for bad
   * input, ENTRY_EXISTS (details.entryId) for a duplicate, and the engine's PUSHBACK etc.
   */
  async createEntry(proposed: unknown): Promise<{ entryId: string; entry: RekorLogEntry }> {
    return renderLogEntry(this.#id, await this.#append(proposed), this.#sets);
  }

  /**
   * `createEntry` for the HTTP route: the LogEntry as UTF-8 JSON (`LogEntryWriter`), the same bytes
   * serialising `createEntry`'s object gives, without building or serialising that object.
   */
  async createEntryJson(proposed: unknown): Promise<{ entryId: string; json: Buffer }> {
    const e = await this.#append(proposed);
    const text = { ...entryTextOf(e), extra: e.extra };
    return { entryId: entryIdOf(this.#id.treeId, e.leafHash), json: this.#writer.write(text, e.proof, await this.#setOf(text)) };
  }

  /** Canonicalizes and appends; a duplicate's ENTRY_EXISTS gets the existing entry's entryID. */
  async #append(proposed: unknown): Promise<EntryWithProof> {
    const canonical = await this.#canonicalize(proposed);
    try {
      const r = await this.#engine.append({ body: canonical.body, searchKeys: canonical.searchKeys });
      return {
        index: r.index,
        leafHash: r.leafHash,
        body: canonical.body,
        integratedTime: r.integratedTime,
        extra: r.extra,
        proof: { treeSize: r.treeSize, rootHash: r.rootHash, hashes: r.proof, checkpoint: r.checkpoint },
      };
    } catch (e) {
      if (e instanceof LogError && e.code === 'ENTRY_EXISTS') {
        const [existing] = await this.#engine.entries({ indices: e.details.index === undefined ? [] : [e.details.index] });
        const entryId = entryIdOf(this.#id.treeId, existing?.leafHash ?? hashLeaf(canonical.body));
        throw new LogError('ENTRY_EXISTS', `an equivalent entry already exists in the transparency log with UUID ${entryId}`, {
          ...e.details,
          entryId,
        }, { cause: e });
      }
      throw e;
    }
  }

  /**
   * Validates and canonicalizes a ProposedEntry on its own event-loop turn (`TurnGate`): a burst of
   * appends does not hold the loop for milliseconds while the sequencer's database answer waits.
   */
  async #canonicalize(proposed: unknown): Promise<CanonicalEntry> {
    await this.#turns.wait();
    return canonicalizeProposedEntry(proposed, this.#kinds);
  }

  /** The entry at global `index`. Throws NOT_FOUND. */
  async entryByIndex(index: bigint): Promise<RekorLogEntry> {
    const [entry] = await this.#engine.entries({ indices: [index] });
    return (await this.#render([found(entry, index)]))[0]!;
  }

  /** `entryByIndex` as the UTF-8 JSON the GET routes send (the bytes serialising its object gives). */
  async entryJsonByIndex(index: bigint): Promise<Buffer> {
    const [entry] = await this.#engine.entryTexts({ indices: [index] });
    return this.#json(found(entry, index));
  }

  /** The entry with a 64-hex UUID or 80-hex entryID. Throws BAD_REQUEST (malformed) or NOT_FOUND. */
  async entryById(id: string): Promise<RekorLogEntry> {
    const leafHash = this.#leafHashOf(id);
    const [entry] = await this.#engine.entries({ leafHashes: [leafHash] });
    return (await this.#render([found(entry, leafHash)]))[0]!;
  }

  /** `entryById` as the UTF-8 JSON the GET routes send (the bytes serialising its object gives). */
  async entryJsonById(id: string): Promise<Buffer> {
    const leafHash = this.#leafHashOf(id);
    const [entry] = await this.#engine.entryTexts({ leafHashes: [leafHash] });
    return this.#json(found(entry, leafHash));
  }

  /** The leaf hash an entry ID names; NOT_FOUND for an entry ID of another tree. */
  #leafHashOf(id: string): Uint8Array {
    const parsed = parseEntryId(id);
    if (parsed.treeId !== undefined && parsed.treeId !== this.#id.treeId) {
      throw new LogError('NOT_FOUND', `no entry ${id}: tree ID ${parsed.treeId} is not served by this log`);
    }
    return parsed.leafHash;
  }

  /**
   * SearchLogQuery: entries by UUID/entryID, by proposed entry (canonicalized, looked up by leaf
   * hash) and by index; misses are left out. Throws TOO_MANY over 10 items in total.
   */
  async retrieve(q: SearchLogQuery): Promise<RekorLogEntry[]> {
    const ids = q.entryUUIDs ?? [];
    const proposed = q.entries ?? [];
    const indexes = q.logIndexes ?? [];
    const total = ids.length + proposed.length + indexes.length;
    if (total > MAX_RETRIEVE_ITEMS) throw new LogError('TOO_MANY', `more than max allowed ${MAX_RETRIEVE_ITEMS} entries in request`);
    const leafHashes: Uint8Array[] = [];
    for (const id of ids) {
      const parsed = parseEntryId(id);
      if (parsed.treeId === undefined || parsed.treeId === this.#id.treeId) leafHashes.push(parsed.leafHash);
    }
    for (const p of proposed) leafHashes.push(hashLeaf((await this.#canonicalize(p)).body));
    const byHash = leafHashes.length ? await this.#engine.entries({ leafHashes }) : [];
    const hashOrder = new Map(leafHashes.map((h, i) => [toHex(h), i] as const).reverse());
    byHash.sort((a, b) => hashOrder.get(toHex(a.leafHash))! - hashOrder.get(toHex(b.leafHash))!);
    const byIndex = indexes.length ? await this.#engine.entries({ indices: indexes.map((i) => BigInt(i)) }) : [];
    return this.#render([...byHash, ...byIndex]);
  }

  /** `POST /api/v1/index/retrieve`: entryIDs matching the query (synchronous index: never misses). */
  async searchIndex(q: SearchIndexQuery): Promise<string[]> {
    // One query: the database intersects (or unites) the criteria before the cap is applied, so an
    // `and` of a rare and a common criterion finds every match however common the other one is.
    const indices = await this.#engine.search(searchIndexKeys(q), q.operator ?? 'or', this.#maxSearchResults);
    if (indices.length === 0) return [];
    const entries = await this.#engine.entries({ indices });
    return entries.map((e) => entryIdOf(this.#id.treeId, e.leafHash));
  }

  /** `GET /api/v1/log`. */
  async logInfo(): Promise<RekorLogInfo> {
    const head = await this.#engine.head();
    return {
      rootHash: toHex(head.rootHash),
      treeSize: toSafeNumber(head.size),
      signedTreeHead: head.checkpoint,
      treeID: this.#id.treeId.toString(10),
    };
  }

  /**
   * `GET /api/v1/log/proof`: consistency proof from `firstSize` to `lastSize`, with the root at
   * `lastSize`. Throws BAD_REQUEST (Rekor's messages) for an inverted or unobservable range.
   */
  async consistencyProof(firstSize: bigint, lastSize: bigint, treeId?: bigint): Promise<{ rootHash: string; hashes: string[] }> {
    this.#checkTreeId(treeId);
    if (firstSize > lastSize) throw new LogError('BAD_REQUEST', `firstSize(${firstSize}) must be less than or equal to lastSize(${lastSize})`);
    // The engine refuses a lastSize beyond the log with Rekor's message, after re-reading the head
    // when its cached one is smaller (another worker may have grown the log since).
    const p = await this.#engine.consistencyProof(firstSize, lastSize);
    return { rootHash: toHex(p.rootHash), hashes: p.hashes.map(toHex) };
  }

  /** `GET /api/v1/log/publicKey`: the log key as a PEM "PUBLIC KEY". */
  publicKeyPem(treeId?: bigint): string {
    this.#checkTreeId(treeId);
    return pemEncode('PUBLIC KEY', this.#id.signer.publicKeyDer);
  }

  #checkTreeId(treeId: bigint | undefined): void {
    if (treeId !== undefined && treeId !== this.#id.treeId) {
      throw new LogError('BAD_REQUEST', `tree ID ${treeId} is not served by this log (active tree: ${this.#id.treeId})`);
    }
  }

  /** Renders stored entries with inclusion proofs to the current signed head and their SETs. */
  async #render(entries: StoredEntry[]): Promise<RekorLogEntry[]> {
    return Promise.all(
      entries.map(async (e) => {
        const proof = await this.#engine.inclusionProof(e.index);
        const { entry } = await renderLogEntry(this.#id, { ...e, proof }, this.#sets);
        return entry;
      }),
    );
  }

  /** The JSON of one stored entry with its inclusion proof to the current signed head and its SET. */
  async #json(e: StoredEntryText): Promise<Buffer> {
    const proof = await this.#engine.inclusionProof(e.index);
    return this.#writer.write(e, proof, await this.#setOf(e));
  }

  /** The entry's SET: the one stored at sequencing, else signed (and cached) as `renderLogEntry` does. */
  #setOf(e: StoredEntryText): string | Promise<string> {
    return storedSet(e.extra) ?? this.#sets.get(Buffer.from(e.leafHashHex, 'hex'), setFieldsOfText(this.#logIdHex, e));
  }
}

/** `entry`, or NOT_FOUND naming what was asked for (a log index or a leaf hash). */
function found<E>(entry: E | undefined, key: bigint | Uint8Array): E {
  if (entry !== undefined) return entry;
  throw new LogError('NOT_FOUND', typeof key === 'bigint' ? `no entry at log index ${key}` : `no entry with UUID ${toHex(key)}`);
}
