// The CT log's Merkle leaf (RFC 6962 §3.4): MerkleTreeLeaf { version v1, leaf_type
// timestamped_entry, TimestampedEntry { timestamp, entry_type, signed_entry, extensions } }.
//
// Byte for byte this is the struct an SCT signs (§3.2) with its first two bytes (version 0,
// signature_type certificate_timestamp = 0) read as (version 0, leaf_type timestamped_entry = 0),
// so the leaf is built with pki's `sctSignedData` and the identity is pinned by a test.
import { type SctEntry, sctSignedData } from '@signet/pki';
import { LogError } from '../errors.js';

/** `LogEntryType` (RFC 6962 §3.1). */
export const ENTRY_TYPE = { x509: 0, precert: 1 } as const;

/** A decoded MerkleTreeLeaf. Byte fields are views into the input. */
export interface CtLeaf {
  /** The SCT timestamp, Unix milliseconds. */
  timestamp: bigint;
  entry: SctEntry;
  /** The SCT's CtExtensions (opaque). */
  extensions: Uint8Array;
}

/** Encodes a MerkleTreeLeaf. Throws `LogError('ENTRY_INVALID')` for out-of-range lengths. */
export function encodeLeaf(leaf: CtLeaf): Uint8Array {
  try {
    return sctSignedData(leaf);
  } catch (e) {
    throw new LogError('ENTRY_INVALID', `cannot encode the CT leaf: ${(e as Error).message}`, {}, { cause: e });
  }
}

/**
 * Decodes a MerkleTreeLeaf. Throws `LogError('STORAGE_FAILURE')` when the bytes are not one (the
 * log only ever stores leaves it encoded, so a bad one means the database was altered).
 */
export function decodeLeaf(b: Uint8Array): CtLeaf {
  const bad = (why: string): never => {
    throw new LogError('STORAGE_FAILURE', `stored CT leaf is malformed: ${why}`);
  };
  if (b.length < 2 + 8 + 2 || b[0] !== 0 || b[1] !== 0) bad('not a v1 timestamped_entry');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const timestamp = v.getBigUint64(2);
  const type = v.getUint16(10);
  let at = 12;
  const u24 = (): number => {
    if (at + 3 > b.length) bad('truncated');
    const n = (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
    at += 3;
    if (at + n > b.length) bad('truncated');
    return n;
  };
  let entry: SctEntry;
  if (type === ENTRY_TYPE.x509) {
    const n = u24();
    entry = { type: 'x509', certDer: b.subarray(at, (at += n)) };
  } else if (type === ENTRY_TYPE.precert) {
    if (at + 32 > b.length) bad('truncated');
    const issuerKeyHash = b.subarray(at, (at += 32));
    const n = u24();
    entry = { type: 'precert', issuerKeyHash, tbs: b.subarray(at, (at += n)) };
  } else {
    return bad(`unknown entry type ${type}`);
  }
  if (at + 2 > b.length) bad('truncated');
  const extLen = v.getUint16(at);
  at += 2;
  if (at + extLen !== b.length) bad('extensions length does not match');
  return { timestamp, entry, extensions: b.subarray(at) };
}

/** The TimestampedEntry inside a MerkleTreeLeaf (static-ct-api's TileLeaf starts with it). */
export function timestampedEntryOf(leafBody: Uint8Array): Uint8Array {
  return leafBody.subarray(2);
}

/** static-ct-api's `leaf_index` CtExtension type. */
const LEAF_INDEX_EXTENSION = 0;
/** Largest index a uint40 holds. */
const MAX_LEAF_INDEX = (1n << 40n) - 1n;

/**
 * The SCT extensions of the entry at `index` (C2SP static-ct-api): one `leaf_index` extension,
 * type 0, 5 bytes of data, the index as a big-endian uint40.
 */
export function leafIndexExtensions(index: bigint): Uint8Array {
  if (index < 0n || index > MAX_LEAF_INDEX) throw new LogError('STORAGE_FAILURE', `leaf index ${index} does not fit a uint40`);
  const out = new Uint8Array(8);
  out[0] = LEAF_INDEX_EXTENSION;
  out[2] = 5;
  for (let i = 0, v = index; i < 5; i++, v >>= 8n) out[7 - i] = Number(v & 0xffn);
  return out;
}

/** The index a `leafIndexExtensions` encoding holds, or undefined for any other extensions. */
export function leafIndexOf(extensions: Uint8Array): bigint | undefined {
  if (extensions.length !== 8 || extensions[0] !== LEAF_INDEX_EXTENSION || extensions[1] !== 0 || extensions[2] !== 5) return undefined;
  let v = 0n;
  for (let i = 3; i < 8; i++) v = (v << 8n) | BigInt(extensions[i]!);
  return v;
}

/**
 * A leaf for `entry` whose timestamp and index the sequencer fills in (`placeLeaf`): timestamp 0
 * and the `leaf_index` extension of index 0.
 */
export function leafTemplate(entry: SctEntry): Uint8Array {
  return encodeLeaf({ timestamp: 0n, entry, extensions: leafIndexExtensions(0n) });
}

/**
 * The template's leaf placed at `index` at `timestamp`: a copy with both written in (the timestamp
 * at bytes 2-9, the index in the last 5 bytes). Throws `LogError('STORAGE_FAILURE')` if `template`
 * is not a `leafTemplate`.
 */
export function placeLeaf(template: Uint8Array, timestamp: bigint, index: bigint): Uint8Array {
  const ext = leafIndexExtensions(index);
  const at = template.length - ext.length;
  if (at < 14 || template[at - 2] !== 0 || template[at - 1] !== ext.length || leafIndexOf(template.subarray(at)) !== 0n) {
    throw new LogError('STORAGE_FAILURE', 'a CT leaf template must end with the leaf_index extension of index 0');
  }
  const leaf = template.slice();
  new DataView(leaf.buffer, leaf.byteOffset, leaf.byteLength).setBigUint64(2, timestamp);
  leaf.set(ext, at);
  return leaf;
}
