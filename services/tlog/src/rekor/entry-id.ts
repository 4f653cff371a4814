// Rekor v1 entry identifiers (rekor.md §1 "Identifiers"): the UUID is the RFC 6962 leaf hash in hex,
// the entryID is the 16-hex-digit tree ID followed by the UUID. Responses, ETag, Location and the
// search index use entryIDs; lookups accept both forms.
import { LogError } from '../errors.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEX80 = /^[0-9a-fA-F]{80}$/;
const MAX_INT63 = (1n << 63n) - 1n;

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Lower-case hex of each of `list`, from one hex encoding of them all (proof paths: ~20 hashes). */
export function toHexEach(list: readonly Uint8Array[]): string[] {
  if (list.length < 2) return list.map(toHex);
  const all = Buffer.concat(list).toString('hex');
  const out: string[] = [];
  let at = 0;
  for (const b of list) out.push(all.slice(at, (at += 2 * b.length)));
  return out;
}

/** The Rekor UUID of an entry: hex of its leaf hash (64 lower-case hex digits). */
export function uuidOf(leafHash: Uint8Array): string {
  return toHex(leafHash);
}

/** The Rekor entryID: `%016x` of the tree ID followed by the UUID (80 lower-case hex digits). */
export function entryIdOf(treeId: bigint, leafHash: Uint8Array): string {
  return treeId.toString(16).padStart(16, '0') + uuidOf(leafHash);
}

/** A parsed entry identifier; `treeId` is absent when a bare UUID was given. */
export interface ParsedEntryId {
  treeId?: bigint;
  leafHash: Uint8Array;
}

/**
 * Parses a 64-hex UUID or an 80-hex entryID (either case). Throws `LogError('BAD_REQUEST')` naming
 * the problem for any other length, non-hex characters, or a tree ID of 0 / above 2^63-1.
 */
export function parseEntryId(id: string): ParsedEntryId {
  if (HEX64.test(id)) return { leafHash: new Uint8Array(Buffer.from(id, 'hex')) };
  if (HEX80.test(id)) {
    const treeId = BigInt('0x' + id.slice(0, 16));
    if (treeId === 0n || treeId > MAX_INT63) {
      throw new LogError('BAD_REQUEST', `entry ID ${JSON.stringify(id)} has an invalid tree ID (must be 1..2^63-1)`);
    }
    return { treeId, leafHash: new Uint8Array(Buffer.from(id.slice(16), 'hex')) };
  }
  throw new LogError(
    'BAD_REQUEST',
    `entry ID ${JSON.stringify(id.length > 100 ? id.slice(0, 100) + '…' : id)} is neither a 64-hex-digit UUID nor an 80-hex-digit entryID`,
  );
}

/**
 * The default tree ID of a log: the first 8 bytes of its log ID read big-endian with the top bit
 * cleared (a positive int63, as Trillian tree IDs are); 1 if that is 0.
 */
export function defaultTreeId(logId: Uint8Array): bigint {
  const id = Buffer.from(logId.buffer, logId.byteOffset, 8).readBigUInt64BE(0) & MAX_INT63;
  return id === 0n ? 1n : id;
}

/** True when `treeId` is a valid Trillian-style tree ID: 1..2^63-1. */
export function isValidTreeId(treeId: bigint): boolean {
  return treeId > 0n && treeId <= MAX_INT63;
}
