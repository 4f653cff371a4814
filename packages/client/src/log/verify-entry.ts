import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import {
  hashLeaf,
  parseCheckpoint,
  parseSignedNote,
  verifyInclusion,
  verifyNoteSignature,
  type Checkpoint,
} from '@signet/merkle';
import { ClientError } from '../errors.js';
import type { FetchedEntry } from './log-client.js';

/**
 * Offline checks of what a Rekor v1 log answers: the signed entry timestamp, the leaf hash, the
 * inclusion proof and the checkpoint signature (Rekor v1 key hint = logID[:4]).
 */

/** A transparency log the trusted root vouches for. */
export interface LogKey {
  logId: Buffer;
  baseUrl: string;
  publicKey: KeyObject;
}

/** The `tlogs` of a trusted root as verification keys. Throws NO_TRUST for an unparseable root. */
export function logKeysOf(trustedRoot: unknown): LogKey[] {
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(trustedRoot);
  } catch (cause) {
    throw new ClientError('NO_TRUST', 'the trusted root does not parse', { cause });
  }
  return root.tlogs.map((l) => ({
    logId: Buffer.from(l.logId?.keyId ?? []),
    baseUrl: l.baseUrl,
    publicKey: createPublicKey({ key: Buffer.from(l.publicKey?.rawBytes ?? []), format: 'der', type: 'spki' }),
  }));
}

/** The trusted log with this hex log ID, or NO_TRUST naming it. */
export function logKeyFor(keys: LogKey[], logIdHex: string): LogKey {
  const key = keys.find((k) => k.logId.toString('hex') === logIdHex.toLowerCase());
  if (!key) throw new ClientError('NO_TRUST', `no transparency log in the trusted root has log ID ${logIdHex}`);
  return key;
}

/**
 * Verifies a signed checkpoint with the log's key and returns it parsed. Throws
 * `VERIFICATION_FAILED` when no signature by that key verifies.
 */
export function verifyCheckpoint(note: string, key: LogKey): Checkpoint {
  let parsed;
  try {
    parsed = parseSignedNote(note);
  } catch (cause) {
    throw new ClientError('VERIFICATION_FAILED', 'the checkpoint is not a signed note', { cause });
  }
  const hint = key.logId.subarray(0, 4);
  const ok = parsed.signatures.some((s) => Buffer.from(s.keyId).equals(hint) && verifyNoteSignature(parsed.text, s, key.publicKey));
  if (!ok) throw new ClientError('VERIFICATION_FAILED', `no valid checkpoint signature by the log ${key.logId.toString('hex')}`);
  return parseCheckpoint(parsed.text);
}

/** Rekor's SET payload: canonical JSON of the four fields, keys in lexical order. */
export function setPayload(e: Pick<FetchedEntry, 'body' | 'integratedTime' | 'logID' | 'logIndex'>): Buffer {
  return Buffer.from(JSON.stringify({ body: e.body, integratedTime: e.integratedTime, logID: e.logID, logIndex: e.logIndex }));
}

/**
 * Verifies one entry: entry ID ↔ leaf hash, SET, checkpoint signature and the inclusion proof
 * against the checkpoint. Returns the checkpoint. Throws VERIFICATION_FAILED naming the check.
 */
export function verifyLogEntry(entry: FetchedEntry, keys: LogKey[]): Checkpoint {
  const key = logKeyFor(keys, entry.logID);
  const body = Buffer.from(entry.body, 'base64');
  const leaf = Buffer.from(hashLeaf(body));
  if (!entry.entryId.toLowerCase().endsWith(leaf.toString('hex'))) {
    throw new ClientError('VERIFICATION_FAILED', `entry ${entry.entryId} does not match the hash of its body`);
  }
  const set = entry.verification?.signedEntryTimestamp;
  if (!set || !verify('sha256', setPayload(entry), key.publicKey, Buffer.from(set, 'base64'))) {
    throw new ClientError('VERIFICATION_FAILED', `the signed entry timestamp of entry ${entry.logIndex} does not verify`);
  }
  const proof = entry.verification?.inclusionProof;
  if (!proof) throw new ClientError('VERIFICATION_FAILED', `entry ${entry.logIndex} carries no inclusion proof`);
  const checkpoint = verifyCheckpoint(proof.checkpoint, key);
  try {
    verifyInclusion(BigInt(proof.logIndex), checkpoint.size, leaf, proof.hashes.map((h) => Buffer.from(h, 'hex')), checkpoint.rootHash);
  } catch (cause) {
    throw new ClientError('VERIFICATION_FAILED', `the inclusion proof of entry ${entry.logIndex} does not lead to the checkpoint root`, { cause });
  }
  return checkpoint;
}
