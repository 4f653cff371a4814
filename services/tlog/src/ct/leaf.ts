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
