// The Rekor v1 `LogEntry` JSON (rekor.md §1, sigstore-js-client.md §1.3): an object with exactly one
// key, the entryID, whose value carries the body, times, IDs and the verification material.
import type { Signer } from '@signet/pki';
import type { StoredEntryText } from './engine.js';
import { entryIdOf, toHex, toHexEach } from './entry-id.js';
import { setFieldsOf, signSet, storedSet, toSafeNumber } from './set.js';
import type { SetCache } from './set-cache.js';

export { toSafeNumber };

/** `verification.inclusionProof` of a Rekor v1 LogEntry. */
export interface RekorInclusionProof {
  logIndex: number;
  rootHash: string;
  treeSize: number;
  hashes: string[];
  checkpoint: string;
}

/** The value under the entryID key ("LogEntryAnon" in Rekor's OpenAPI). */
export interface RekorLogEntryAnon {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: { signedEntryTimestamp: string; inclusionProof: RekorInclusionProof };
}

/** A Rekor v1 LogEntry: `{[entryID]: LogEntryAnon}`. */
export type RekorLogEntry = Record<string, RekorLogEntryAnon>;

/** What the engine knows about an entry, plus the proof to a signed checkpoint. */
export interface EntryWithProof {
  index: bigint;
  leafHash: Uint8Array;
  body: Uint8Array;
  /** Unix milliseconds, as the engine records it. */
  integratedTime: number;
  /** What the engine stores beside the entry: its SET when it was signed at sequencing. */
  extra: Uint8Array | null;
  proof: { treeSize: bigint; rootHash: Uint8Array; hashes: Uint8Array[]; checkpoint: string };
}

/** The log identity needed to render entries. */
export interface RekorIdentity {
  treeId: bigint;
  /** SHA-256 of the log key's DER SPKI. */
  logId: Uint8Array;
  signer: Signer;
}

/**
 * Builds the LogEntry for `e` with a SET over {body, integratedTime (seconds), logID, logIndex}: the
 * one stored in `e.extra` when there is one, else from `sets` when given (signed once per entry while
 * it stays cached), else freshly signed with the log signer. Returns the entryID with the entry.
 */
export async function renderLogEntry(
  id: RekorIdentity,
  e: EntryWithProof,
  sets?: SetCache,
): Promise<{ entryId: string; entry: RekorLogEntry }> {
  const entryId = entryIdOf(id.treeId, e.leafHash);
  const fields = setFieldsOf(toHex(id.logId), e);
  const { body, integratedTime, logID, logIndex } = fields;
  const signedEntryTimestamp = storedSet(e.extra) ?? (sets ? await sets.get(e.leafHash, fields) : await signSet(id.signer, fields));
  const anon: RekorLogEntryAnon = {
    body,
    integratedTime,
    logID,
    logIndex,
    verification: {
      signedEntryTimestamp,
      inclusionProof: {
        logIndex,
        rootHash: toHex(e.proof.rootHash),
        treeSize: toSafeNumber(e.proof.treeSize),
        hashes: toHexEach(e.proof.hashes),
        checkpoint: e.proof.checkpoint,
      },
    },
  };
  return { entryId, entry: { [entryId]: anon } };
}

/** The JSON text of the parts of a LogEntry that every entry proved against one tree shares. */
interface TreeText {
  checkpoint: string;
  treeSize: bigint;
  rootHash: Uint8Array;
  /** `","rootHash":"…","treeSize":N,"hashes":[` (ASCII). */
  middle: string;
  /** `],"checkpoint":"…"}}}}` as UTF-8 (a signed note has an em dash). */
  tail: Buffer;
}

/** What `LogEntryWriter` prints of an entry: its index and time, its leaf hash in hex, its body in base64. */
export type EntryText = Pick<StoredEntryText, 'index' | 'leafHashHex' | 'bodyBase64' | 'integratedTime'>;

/** `EntryText` of an entry held as bytes (one just appended). */
export function entryTextOf(e: { index: bigint; leafHash: Uint8Array; body: Uint8Array; integratedTime: number }): EntryText {
  return {
    index: e.index,
    leafHashHex: toHex(e.leafHash),
    bodyBase64: Buffer.from(e.body.buffer, e.body.byteOffset, e.body.byteLength).toString('base64'),
    integratedTime: e.integratedTime,
  };
}

/** Scratch space for hex-encoding a proof path in one call (grown on demand). */
let scratch = Buffer.allocUnsafe(32 * 64);

/**
 * Writes the JSON of a LogEntry straight from the entry's text (`EntryText`), its inclusion proof
 * and its SET: byte for byte `JSON.stringify` of what `renderLogEntry` builds (so also what
 * fastify's schema serialiser writes for it), without building that object. Every string except
 * the checkpoint is base64 or hex (nothing to escape); the checkpoint, the root hash and the tree
 * size are written once per tree and reused while the answers are proved against it.
 */
export class LogEntryWriter {
  /** `{"` and the tree ID as 16 hex digits: the start of every answer, up to the UUID. */
  readonly #open: string;
  /** `,"logID":"…","logIndex":`: the log ID is the same in every answer. */
  readonly #logId: string;
  #tree: TreeText | undefined;

  constructor(id: RekorIdentity) {
    this.#open = `{"${id.treeId.toString(16).padStart(16, '0')}`;
    this.#logId = `,"logID":"${toHex(id.logId)}","logIndex":`;
  }

  /** The UTF-8 JSON of the LogEntry of `e` with its `proof` and `signedEntryTimestamp` (standard base64). */
  write(e: EntryText, proof: EntryWithProof['proof'], signedEntryTimestamp: string): Buffer {
    const tree = this.#treeText(proof);
    const hashes = proof.hashes;
    const n = hashes.length;
    if (scratch.length < 32 * n) scratch = Buffer.allocUnsafe(32 * n);
    for (let i = 0; i < n; i++) scratch.set(hashes[i]!, 32 * i);
    const hex = scratch.toString('hex', 0, 32 * n);
    let path = n === 0 ? '' : `"${hex.slice(0, 64)}"`;
    for (let i = 1; i < n; i++) path += `,"${hex.slice(64 * i, 64 * i + 64)}"`;
    const index = toSafeNumber(e.index);
    const ascii =
      `${this.#open}${e.leafHashHex}":{"body":"${e.bodyBase64}","integratedTime":${Math.floor(e.integratedTime / 1000)}${this.#logId}${index},` +
      `"verification":{"signedEntryTimestamp":"${signedEntryTimestamp}","inclusionProof":{"logIndex":${index}${tree.middle}${path}`;
    const out = Buffer.allocUnsafe(ascii.length + tree.tail.length);
    out.write(ascii, 0, 'latin1');
    tree.tail.copy(out, ascii.length);
    return out;
  }

  #treeText(proof: EntryWithProof['proof']): TreeText {
    const t = this.#tree;
    if (t !== undefined && t.checkpoint === proof.checkpoint && t.treeSize === proof.treeSize && sameBytes(t.rootHash, proof.rootHash)) return t;
    const text: TreeText = {
      checkpoint: proof.checkpoint,
      treeSize: proof.treeSize,
      rootHash: proof.rootHash.slice(),
      middle: `,"rootHash":"${toHex(proof.rootHash)}","treeSize":${toSafeNumber(proof.treeSize)},"hashes":[`,
      tail: Buffer.from(`],"checkpoint":${JSON.stringify(proof.checkpoint)}}}}}`, 'utf8'),
    };
    this.#tree = text;
    return text;
  }
}

/** Byte equality of two hashes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
