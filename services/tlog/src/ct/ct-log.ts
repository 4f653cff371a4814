// The RFC 6962 Certificate Transparency personality over the log engine: submissions become
// MerkleTreeLeafs whose timestamp, static-ct-api leaf_index and SCT signature are made when the
// sequencer places them (`atSequencing`), reads are views of the engine's tree, and
// tree heads are signed as RFC 6962 STHs. HTTP-free; `http/*.ts` calls this. See docs/design/ct-log.md.
import type { Signer } from '@signet/pki';
import { LogError } from '../errors.js';
import type { Appended, Log, PlacedEntry } from '../log/index.js';
import { decodeExtraData, decodeStoredExtra, encodeExtraData, encodeStoredExtra } from './extra.js';
import { decodeLeaf, leafIndexExtensions, leafTemplate, placeLeaf } from './leaf.js';
import { staticCheckpoint, tileLeafOf } from './static-ct.js';
import { SthSigner, type SignedTreeHead } from './sth.js';
import { type AcceptedRoots, fingerprint, type Submission, validateSubmission } from './submission.js';
import { encodeDigitallySigned, tlsAlgorithmsOf, type TlsAlgorithms } from './tls.js';

/** The engine operations the CT personality uses (`Log` satisfies it). */
export type CtEngine = Pick<Log, 'logId' | 'head' | 'inclusionProof' | 'consistencyProof' | 'entries' | 'search' | 'tile'> & {
  append(e: { body: Uint8Array; searchKeys: string[]; extra?: Uint8Array | null }): Promise<Appended>;
};

/** Most entries one get-entries answers (clients page; RFC 6962 §4.6 lets the log return fewer). */
export const MAX_GET_ENTRIES = 256;
/** Search-key prefixes in the CT log's own index. */
const LEAF_KEY = 'ct-leaf:';
const ISSUER_KEY = 'ct-issuer:';

/** add-chain / add-pre-chain response (RFC 6962 §4.1). */
export interface AddChainResponse {
  sct_version: 0;
  id: string;
  timestamp: number;
  extensions: string;
  signature: string;
}

/** get-sth response (§4.3). */
export interface SthResponse {
  tree_size: number;
  timestamp: number;
  sha256_root_hash: string;
  tree_head_signature: string;
}

/** One get-entries item (§4.6). */
export interface EntryResponse {
  leaf_input: string;
  extra_data: string;
}

/** Options of `CtLog`. */
export interface CtLogOptions {
  engine: CtEngine;
  signer: Signer;
  roots: AcceptedRoots;
  /** static-ct-api checkpoint origin: the submission prefix without scheme or trailing slash. */
  origin: string;
  /** Unix milliseconds, injected. */
  now: () => number;
}

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const toNumber = (n: bigint): number => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new LogError('BAD_REQUEST', `${n} does not fit a JSON number`);
  return Number(n);
};

/** The CT log. */
export class CtLog {
  readonly logId: Uint8Array;
  readonly origin: string;
  readonly #engine: CtEngine;
  readonly #signer: Signer;
  readonly #alg: TlsAlgorithms;
  readonly #roots: AcceptedRoots;
  readonly #now: () => number;
  readonly #sth: SthSigner;
  readonly #inflight = new Map<string, Promise<AddChainResponse>>();
  /** DER (latin1 strings) of the configured roots and intermediates. */
  readonly #configuredIssuers: Set<string>;
  /** Issuer search keys this process has committed at least once (see #issuerKeysToWrite). */
  readonly #indexedIssuers = new Set<string>();
  /** Duplicate lookups waiting for the next turn of the event loop (see #findExisting). */
  #lookups: { key: string; resolve: (index: bigint | undefined) => void; reject: (err: unknown) => void }[] = [];

  /** Throws `LogError('BAD_CONFIG')` if the key is not ECDSA P-256 or RSA (RFC 6962 §2.1.4). */
  constructor(opts: CtLogOptions) {
    this.#engine = opts.engine;
    this.#signer = opts.signer;
    this.#alg = tlsAlgorithmsOf(opts.signer);
    this.#roots = opts.roots;
    this.#configuredIssuers = new Set([...opts.roots.anchors, ...opts.roots.intermediates].map((c) => Buffer.from(c.der).toString('latin1')));
    this.#now = opts.now;
    this.logId = opts.engine.logId;
    this.origin = opts.origin;
    this.#sth = new SthSigner(opts.signer, this.#alg, opts.now);
  }

  /** RFC 6962 §4.1. Throws BAD_REQUEST / CHAIN_REJECTED naming the reason, and the engine's errors. */
  addChain(chain: unknown): Promise<AddChainResponse> {
    return this.#add(validateSubmission(chain, 'x509', this.#roots, new Date(this.#now())));
  }

  /** RFC 6962 §4.2. Throws BAD_REQUEST / CHAIN_REJECTED naming the reason, and the engine's errors. */
  addPreChain(chain: unknown): Promise<AddChainResponse> {
    return this.#add(validateSubmission(chain, 'precert', this.#roots, new Date(this.#now())));
  }

  /** One SCT per submitted leaf: concurrent and later duplicates get the first one's SCT. */
  #add(sub: Submission): Promise<AddChainResponse> {
    const key = `${sub.type}:${sub.leafFingerprint}`;
    let p = this.#inflight.get(key);
    if (p === undefined) {
      p = this.#addOnce(sub).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, p);
    }
    return p;
  }

  async #addOnce(sub: Submission): Promise<AddChainResponse> {
    const dedupKey = `${LEAF_KEY}${sub.type}:${sub.leafFingerprint}`;
    const existing = await this.#findExisting(dedupKey);
    if (existing !== undefined) return this.#storedSct(existing);
    // The timestamp, the leaf_index extension and the SCT's signature are made when the sequencer
    // places the entry (atSequencing); the SCT signature is absent from the template's extra.
    const body = leafTemplate(sub.entry);
    const extra = encodeStoredExtra({ sctSignature: new Uint8Array(0), extraData: encodeExtraData(sub.type, sub.leafDer, sub.issuers) });
    const issuerKeys = this.#issuerKeysToWrite(sub.issuers);
    let a: Appended;
    try {
      a = await this.#engine.append({ body, searchKeys: [dedupKey, ...issuerKeys], extra });
    } catch (e) {
      // The same template twice in one batch (the second is the engine's follower): the first's SCT.
      if (e instanceof LogError && e.code === 'ENTRY_EXISTS' && e.details.index !== undefined) return this.#storedSct(e.details.index);
      throw e;
    }
    for (const k of issuerKeys) this.#indexedIssuers.add(k);
    return this.#sctResponse(BigInt(a.integratedTime), leafIndexExtensions(a.index), decodeStoredExtra(a.extra).sctSignature);
  }

  /**
   * The engine's `bodyAtSequencing` for this log: the template's leaf with the SCT timestamp (the
   * batch's integration time) and the entry's own index (static-ct-api `leaf_index`), and the stored
   * extra with the SCT's signature over that leaf (§3.2: the signed struct is byte-identical to the
   * Merkle leaf, see leaf.ts).
   */
  async atSequencing(e: PlacedEntry): Promise<{ body: Uint8Array; extra: Uint8Array }> {
    const timestamp = BigInt(e.integratedTime);
    const body = placeLeaf(e.body, timestamp, e.index);
    this.#sth.observeSct(timestamp);
    const sctSignature = encodeDigitallySigned(this.#alg, await this.#signer.sign(body));
    return { body, extra: encodeStoredExtra({ sctSignature, extraData: decodeStoredExtra(e.extra).extraData }) };
  }

  /**
   * Issuer search keys this entry must carry so that `issuer(fingerprint)` finds every issuer an
   * entry's chain holds: none for the configured roots and intermediates (served from the
   * configuration), and for any other issuer only until one entry with its key has been committed
   * by this process (one indexed entry is enough; a restart indexes it once more).
   */
  #issuerKeysToWrite(issuers: readonly Uint8Array[]): string[] {
    const keys: string[] = [];
    for (const der of issuers) {
      if (this.#configuredIssuers.has(Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1'))) continue;
      const key = ISSUER_KEY + fingerprint(der);
      if (!this.#indexedIssuers.has(key)) keys.push(key);
    }
    return keys;
  }

  /**
   * The index of an earlier entry with this duplicate key, if any. Lookups started in the same turn
   * of the event loop share one search for all their keys (a CA's submissions are all new, so that
   * search almost always finds nothing); only when it finds something does each key get its own.
   */
  #findExisting(key: string): Promise<bigint | undefined> {
    return new Promise((resolve, reject) => {
      if (this.#lookups.push({ key, resolve, reject }) === 1) setImmediate(() => void this.#flushLookups());
    });
  }

  async #flushLookups(): Promise<void> {
    const batch = this.#lookups;
    this.#lookups = [];
    try {
      const any = await this.#engine.search(batch.map((l) => l.key), 'or', 1);
      if (any.length === 0) {
        for (const l of batch) l.resolve(undefined);
        return;
      }
    } catch (err) {
      for (const l of batch) l.reject(err);
      return;
    }
    await Promise.all(
      batch.map(async (l) => {
        try {
          const [index] = await this.#engine.search([l.key], 'or', 1);
          l.resolve(index);
        } catch (err) {
          l.reject(err);
        }
      }),
    );
  }

  async #storedSct(index: bigint): Promise<AddChainResponse> {
    const [entry] = await this.#engine.entries({ indices: [index] });
    if (entry === undefined) throw new LogError('STORAGE_FAILURE', `CT entry ${index} is indexed but missing`);
    const leaf = decodeLeaf(entry.body);
    return this.#sctResponse(leaf.timestamp, leaf.extensions, decodeStoredExtra(entry.extra).sctSignature);
  }

  #sctResponse(timestamp: bigint, extensions: Uint8Array, signature: Uint8Array): AddChainResponse {
    return { sct_version: 0, id: b64(this.logId), timestamp: toNumber(timestamp), extensions: b64(extensions), signature: b64(signature) };
  }

  /** The signed tree head of the current tree (§3.5). */
  async signedTreeHead(): Promise<SignedTreeHead> {
    const head = await this.#engine.head();
    return this.#sth.sign(head.size, head.rootHash, async () => {
      if (head.size === 0n) return 0n;
      const [last] = await this.#engine.entries({ indices: [head.size - 1n] });
      return last === undefined ? 0n : decodeLeaf(last.body).timestamp;
    });
  }

  /** get-sth (§4.3). */
  async getSth(): Promise<SthResponse> {
    const s = await this.signedTreeHead();
    return {
      tree_size: toNumber(s.treeSize),
      timestamp: toNumber(s.timestamp),
      sha256_root_hash: b64(s.rootHash),
      tree_head_signature: b64(s.signature),
    };
  }

  /** get-sth-consistency (§4.4): BAD_REQUEST unless 0 ≤ first ≤ second ≤ the tree size. */
  async getSthConsistency(first: bigint, second: bigint): Promise<{ consistency: string[] }> {
    if (first > second) throw new LogError('BAD_REQUEST', `first (${first}) must not exceed second (${second})`);
    const head = await this.#engine.head();
    if (second > head.size) throw new LogError('BAD_REQUEST', `second (${second}) is beyond the tree size ${head.size}`);
    if (first === 0n || first === second) return { consistency: [] };
    const p = await this.#engine.consistencyProof(first, second);
    return { consistency: p.hashes.map(b64) };
  }

  /** get-proof-by-hash (§4.5): NOT_FOUND for an unknown leaf hash, BAD_REQUEST if it is not in that tree. */
  async getProofByHash(hashB64: string, treeSize: bigint): Promise<{ leaf_index: number; audit_path: string[] }> {
    const hash = Buffer.from(hashB64, 'base64');
    if (hash.length !== 32 || hash.toString('base64') !== hashB64) throw new LogError('BAD_REQUEST', 'hash must be the base64 of a 32-byte leaf hash');
    if (treeSize < 1n) throw new LogError('BAD_REQUEST', 'tree_size must be at least 1');
    const [entry] = await this.#engine.entries({ leafHashes: [new Uint8Array(hash)] });
    if (entry === undefined) throw new LogError('NOT_FOUND', `no entry with leaf hash ${hashB64} in this log`);
    if (entry.index >= treeSize) throw new LogError('BAD_REQUEST', `the leaf is at index ${entry.index}, outside the tree of size ${treeSize}`);
    const p = await this.#engine.inclusionProof(entry.index, treeSize);
    return { leaf_index: toNumber(entry.index), audit_path: p.hashes.map(b64) };
  }

  /** get-entries (§4.6), at most MAX_GET_ENTRIES, clipped to the tree; BAD_REQUEST if start > end or start ≥ size. */
  async getEntries(start: bigint, end: bigint): Promise<{ entries: EntryResponse[] }> {
    if (start > end) throw new LogError('BAD_REQUEST', `start (${start}) must not exceed end (${end})`);
    const head = await this.#engine.head();
    if (start >= head.size) throw new LogError('BAD_REQUEST', `start (${start}) is beyond the last entry (tree size ${head.size})`);
    let last = end < head.size - 1n ? end : head.size - 1n;
    if (last - start + 1n > BigInt(MAX_GET_ENTRIES)) last = start + BigInt(MAX_GET_ENTRIES) - 1n;
    const entries = await this.#engine.entries({ from: start, count: Number(last - start + 1n) });
    return { entries: entries.map((e) => ({ leaf_input: b64(e.body), extra_data: b64(decodeStoredExtra(e.extra).extraData) })) };
  }

  /** get-entry-and-proof (§4.8). */
  async getEntryAndProof(index: bigint, treeSize: bigint): Promise<EntryResponse & { audit_path: string[] }> {
    if (index >= treeSize) throw new LogError('BAD_REQUEST', `leaf_index (${index}) must be below tree_size (${treeSize})`);
    const p = await this.#engine.inclusionProof(index, treeSize);
    const [e] = await this.#engine.entries({ indices: [index] });
    if (e === undefined) throw new LogError('NOT_FOUND', `no entry at index ${index}`);
    return { leaf_input: b64(e.body), extra_data: b64(decodeStoredExtra(e.extra).extraData), audit_path: p.hashes.map(b64) };
  }

  /** get-roots (§4.7): the trust anchors. */
  getRoots(): { certificates: string[] } {
    return { certificates: this.#roots.anchors.map((c) => b64(c.der)) };
  }

  /** static-ct-api `/checkpoint`: the current STH as a signed note. */
  async checkpoint(): Promise<string> {
    return staticCheckpoint(this.origin, this.logId, await this.signedTreeHead());
  }

  /** static-ct-api hash tile (level, index, width); the engine's NOT_FOUND / BAD_REQUEST. */
  tile(level: number, index: bigint, width: number): Promise<Uint8Array> {
    if (level > 5) return Promise.reject(new LogError('BAD_REQUEST', 'static-ct-api tile levels are 0..5'));
    return this.#engine.tile(level, index, width);
  }

  /** static-ct-api data tile `index` at `width` entries; NOT_FOUND until the tree has them. */
  async dataTile(index: bigint, width: number): Promise<Uint8Array> {
    if (!Number.isInteger(width) || width < 1 || width > 256) throw new LogError('BAD_REQUEST', 'data tile width must be 1..256');
    const from = index * 256n;
    const head = await this.#engine.head();
    if (head.size < from + BigInt(width)) throw new LogError('NOT_FOUND', `data tile ${index} has no width ${width} yet`);
    const entries = await this.#engine.entries({ from, count: width });
    if (entries.length !== width) throw new LogError('STORAGE_FAILURE', `entries ${from}+${width} are missing from the store`);
    return new Uint8Array(Buffer.concat(entries.map(tileLeafOf)));
  }

  /** static-ct-api `/issuer/<fingerprint>`: an issuer some entry's chain holds; NOT_FOUND otherwise. */
  async issuer(fp: string): Promise<Uint8Array> {
    if (!/^[0-9a-f]{64}$/.test(fp)) throw new LogError('BAD_REQUEST', 'an issuer fingerprint is 64 lower-case hex digits');
    const configured = [...this.#roots.anchors, ...this.#roots.intermediates].find((c) => fingerprint(c.der) === fp);
    if (configured !== undefined) return configured.der;
    const [index] = await this.#engine.search([ISSUER_KEY + fp], 'or', 1);
    if (index !== undefined) {
      const [e] = await this.#engine.entries({ indices: [index] });
      if (e !== undefined) {
        const { chain } = decodeExtraData(decodeLeaf(e.body).entry.type, decodeStoredExtra(e.extra).extraData);
        const found = chain.find((c) => fingerprint(c) === fp);
        if (found !== undefined) return found;
      }
    }
    throw new LogError('NOT_FOUND', `no issuer with fingerprint ${fp}`);
  }
}
