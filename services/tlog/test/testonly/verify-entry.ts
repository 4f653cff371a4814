// Independent verification of a Rekor v1 LogEntry, as a client does it: entryID from the body, SET
// over the JCS payload (node:crypto), inclusion proof to the checkpoint's root, checkpoint signature.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { hashLeaf, parseCheckpoint, parseSignedNote, verifyInclusion } from '@signet/merkle';
import type { RekorLogEntry, RekorLogEntryAnon } from '../../src/rekor/log-entry.js';

/** What a verifier trusts about the log. */
export interface LogTrust {
  spkiDer: Uint8Array;
  /** Checkpoint key name (Rekor v1: the hostname). */
  hostname: string;
  /** Expected tree ID of the entryID prefix and the origin; undefined to skip. */
  treeId?: bigint;
  /** Entries in earlier shards (global logIndex − proof logIndex); 0 for Signet. */
  shardOffset?: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Verifies the SET of `e` over exactly the given payload bytes (or the one rebuilt from `e`). */
export function verifySet(e: RekorLogEntryAnon, spkiDer: Uint8Array, payload?: Uint8Array): boolean {
  const data =
    payload ??
    Buffer.from(`{"body":"${e.body}","integratedTime":${e.integratedTime},"logID":"${e.logID}","logIndex":${e.logIndex}}`, 'utf8');
  const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key, Buffer.from(e.verification.signedEntryTimestamp, 'base64'));
}

/** Verifies a signed-note checkpoint with the Rekor v1 key-hint rule; returns the parsed checkpoint. */
export function verifyCheckpointNote(note: string, trust: LogTrust) {
  const { text, signatures } = parseSignedNote(note);
  const logId = createHash('sha256').update(trust.spkiDer).digest();
  const sig = signatures.find((s) => s.name === trust.hostname && hex(s.keyId) === hex(logId.subarray(0, 4)));
  assert.ok(sig, `no signature by ${trust.hostname} with key hint ${hex(logId.subarray(0, 4))}`);
  const key = createPublicKey({ key: Buffer.from(trust.spkiDer), format: 'der', type: 'spki' });
  assert.ok(verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', Buffer.from(text, 'utf8'), key, sig.signature), 'checkpoint signature');
  return parseCheckpoint(text);
}

/** Asserts everything a client checks about a LogEntry and returns its entryID and value. */
export function verifyLogEntry(entry: RekorLogEntry, trust: LogTrust): { entryId: string; anon: RekorLogEntryAnon } {
  const keys = Object.keys(entry);
  assert.equal(keys.length, 1, 'a LogEntry has exactly one key');
  const entryId = keys[0]!;
  const anon = entry[entryId]!;
  const body = new Uint8Array(Buffer.from(anon.body, 'base64'));
  const leafHash = hashLeaf(body);
  assert.match(entryId, /^[0-9a-f]{80}$/);
  assert.equal(entryId.slice(16), hex(leafHash), 'UUID = leaf hash');
  if (trust.treeId !== undefined) assert.equal(BigInt('0x' + entryId.slice(0, 16)), trust.treeId);
  assert.equal(anon.logID, hex(createHash('sha256').update(trust.spkiDer).digest()));
  assert.ok(verifySet(anon, trust.spkiDer), 'SET verifies');
  const p = anon.verification.inclusionProof;
  assert.equal(p.logIndex + (trust.shardOffset ?? 0), anon.logIndex);
  verifyInclusion(BigInt(p.logIndex), BigInt(p.treeSize), leafHash, p.hashes.map((h) => Buffer.from(h, 'hex')), Buffer.from(p.rootHash, 'hex'));
  const cp = verifyCheckpointNote(p.checkpoint, trust);
  assert.equal(cp.size, BigInt(p.treeSize));
  assert.equal(hex(cp.rootHash), p.rootHash);
  if (trust.treeId !== undefined) assert.equal(cp.origin, `${trust.hostname} - ${trust.treeId}`);
  return { entryId, anon };
}
