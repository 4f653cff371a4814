// The C2SP static-ct-api read formats: the checkpoint signed with an RFC6962NoteSignature (the STH
// as a signed note) and the data tile's TileLeaf entries.
import { createHash } from 'node:crypto';
import { formatCheckpoint, formatSignedNote } from '@signet/merkle';
import type { LogEntry } from '@signet/storage';
import { decodeExtraData, decodeStoredExtra } from './extra.js';
import { decodeLeaf, timestampedEntryOf } from './leaf.js';
import type { SignedTreeHead } from './sth.js';

/** Signed-note signature type of RFC6962NoteSignature (static-ct-api "Checkpoints"). */
export const RFC6962_NOTE_SIGNATURE_TYPE = 0x05;

/**
 * The note key ID of a static-ct-api log: SHA-256(key name || 0x0A || 0x05 || LogID)[:4], where the
 * key name is the checkpoint origin.
 */
export function rfc6962NoteKeyId(origin: string, logId: Uint8Array): Uint8Array {
  const h = createHash('sha256').update(origin).update(Uint8Array.of(0x0a, RFC6962_NOTE_SIGNATURE_TYPE)).update(logId).digest();
  return new Uint8Array(h.subarray(0, 4));
}

/**
 * The static-ct-api checkpoint for `sth`: body `origin / size / base64(root)` (no extension lines)
 * and one signature line by key name `origin` whose bytes are u64 timestamp || the STH's
 * TLS-encoded TreeHeadSignature. Throws MerkleError('BAD_NOTE'|'BAD_CHECKPOINT') for a bad origin.
 */
export function staticCheckpoint(origin: string, logId: Uint8Array, sth: SignedTreeHead): string {
  const text = formatCheckpoint({ origin, size: sth.treeSize, rootHash: sth.rootHash, extensions: [] });
  const signature = new Uint8Array(8 + sth.signature.length);
  new DataView(signature.buffer).setBigUint64(0, sth.timestamp);
  signature.set(sth.signature, 8);
  return formatSignedNote(text, [{ name: origin, keyId: rfc6962NoteKeyId(origin, logId), signature }]);
}

/** SHA-256 of each issuer, as TileLeaf and `/issuer/<fingerprint>` name them. */
function fingerprints(chain: Uint8Array[]): Buffer[] {
  return chain.map((c) => createHash('sha256').update(c).digest());
}

/**
 * One TileLeaf: the TimestampedEntry, then (precert entries) the u24-length precertificate, then the
 * u16-length list of issuer fingerprints. Throws LogError('STORAGE_FAILURE') for a malformed entry.
 */
export function tileLeafOf(entry: Pick<LogEntry, 'body' | 'extra'>): Uint8Array {
  const leaf = decodeLeaf(entry.body);
  const extra = decodeExtraData(leaf.entry.type, decodeStoredExtra(entry.extra).extraData);
  const parts: Uint8Array[] = [timestampedEntryOf(entry.body)];
  if (extra.precertificate !== undefined) {
    const n = extra.precertificate.length;
    parts.push(Uint8Array.of(n >>> 16, (n >>> 8) & 0xff, n & 0xff), extra.precertificate);
  }
  const fps = fingerprints(extra.chain);
  const n = fps.length * 32;
  parts.push(Uint8Array.of(n >>> 8, n & 0xff), ...fps);
  return new Uint8Array(Buffer.concat(parts));
}
