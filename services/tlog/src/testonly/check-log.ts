// Whole-log invariant checker: everything a monitor would verify, read straight from the store.
import { verify as verifySignature, createPublicKey } from 'node:crypto';
import {
  consistencyProofFromTiles,
  hashLeaf,
  inclusionProofFromTiles,
  parseCheckpoint,
  parseSignedNote,
  rootFromTiles,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '@signet/merkle';
import type { LogHead, LogStore } from '@signet/storage';
import { tilesOf } from './tiles-of.js';

/** What a verifier knows about a log's checkpoint key. */
export interface CheckpointVerifierKey {
  /** DER SubjectPublicKeyInfo of the log key. */
  publicKeyDer: Uint8Array;
  /** Signed-note key name. */
  name: string;
  /** 4-byte key hint. */
  keyId: Uint8Array;
  /** Expected origin line. */
  origin: string;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const CHUNK = 1000;

function fail(name: string, message: string): never {
  throw new Error(`checkLog(${name}): ${message}`);
}

/**
 * Verifies a signed checkpoint against `key` and returns its size and root. Throws (plain Error)
 * if no signature by `key` verifies or the origin differs.
 */
export function verifyCheckpoint(note: string, key: CheckpointVerifierKey): { size: bigint; rootHash: Uint8Array } {
  const { text, signatures } = parseSignedNote(note);
  const ours = signatures.filter((s) => s.name === key.name && Buffer.compare(s.keyId, key.keyId) === 0);
  if (ours.length === 0) throw new Error(`checkpoint has no signature by ${key.name}/${hex(key.keyId)}`);
  const pub = createPublicKey({ key: Buffer.from(key.publicKeyDer), format: 'der', type: 'spki' });
  const digest = pub.asymmetricKeyType === 'ed25519' ? null : pub.asymmetricKeyType === 'ec' ? curveDigest(pub) : 'sha256';
  for (const s of ours) {
    if (!verifySignature(digest, new TextEncoder().encode(text), pub, s.signature)) throw new Error('checkpoint signature does not verify');
  }
  const cp = parseCheckpoint(text);
  if (cp.origin !== key.origin) throw new Error(`checkpoint origin ${JSON.stringify(cp.origin)} is not ${JSON.stringify(key.origin)}`);
  return { size: cp.size, rootHash: cp.rootHash };
}

function curveDigest(pub: ReturnType<typeof createPublicKey>): string {
  const curve = pub.asymmetricKeyDetails?.namedCurve;
  return curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
}

/**
 * Checks the whole log `name` in `store` and returns its head:
 * - the head's checkpoint is signed by `key` for exactly the head's size and root (size 0 may have
 *   no checkpoint yet);
 * - entries 0..size-1 exist, consecutive, each with leafHash = hashLeaf(body), and nothing beyond;
 * - the root of all leaf hashes equals the head root; every stored tile equals the tile recomputed
 *   from the leaves at this size; the root computed from the tiles equals the head root;
 * - an inclusion proof from tiles verifies for EVERY entry;
 * - if `prev` is given: the log did not shrink and a consistency proof from prev verifies.
 * Throws a plain Error describing the first violation.
 */
export async function checkLog(store: LogStore, name: string, key: CheckpointVerifierKey, prev?: LogHead): Promise<LogHead> {
  const head = await store.head(name);
  const size = head.size;
  if (head.checkpoint === '') {
    if (size !== 0n) fail(name, `head of size ${size} has no checkpoint`);
  } else {
    const cp = verifyCheckpoint(head.checkpoint, key);
    if (cp.size !== size || Buffer.compare(cp.rootHash, head.rootHash) !== 0) fail(name, 'checkpoint does not match the head');
  }

  const leafHashes: Uint8Array[] = [];
  for (let from = 0n; from < size + 1n; from += BigInt(CHUNK)) {
    const got = await store.readEntries(name, { from, count: CHUNK });
    for (const e of got) {
      if (e.index !== BigInt(leafHashes.length)) fail(name, `entry ${e.index} found where ${leafHashes.length} was expected`);
      if (Buffer.compare(hashLeaf(e.body), e.leafHash) !== 0) fail(name, `entry ${e.index}: leaf hash is not hashLeaf(body)`);
      leafHashes.push(e.leafHash);
    }
  }
  if (BigInt(leafHashes.length) !== size) fail(name, `head size ${size} but ${leafHashes.length} entries stored`);
  if (Buffer.compare(rootOf(leafHashes), head.rootHash) !== 0) fail(name, 'root of the stored leaves is not the head root');

  const expected = tilesOf(leafHashes);
  const ids = [...expected.values()].map((t) => ({ level: t.level, index: t.index }));
  const stored = new Map((await store.readTiles(name, ids)).map((t) => [`${t.level}/${t.index}`, t.hashes]));
  for (const [k, t] of expected) {
    const s = stored.get(k);
    if (s === undefined) fail(name, `tile ${k} is missing`);
    if (Buffer.compare(s, t.hashes) !== 0) fail(name, `tile ${k} differs from the tile recomputed from the leaves`);
  }
  const source = (level: number, index: bigint): Uint8Array => {
    const s = stored.get(`${level}/${index}`);
    if (s === undefined) fail(name, `tile ${level}/${index} is missing`);
    return s;
  };
  if (Buffer.compare(rootFromTiles(size, source), head.rootHash) !== 0) fail(name, 'root from tiles is not the head root');
  leafHashes.forEach((h, i) => {
    verifyInclusion(BigInt(i), size, h, inclusionProofFromTiles(BigInt(i), size, source), head.rootHash);
  });

  if (prev !== undefined) {
    if (prev.size > size) fail(name, `log shrank from ${prev.size} to ${size}`);
    if (prev.size === size) {
      if (Buffer.compare(prev.rootHash, head.rootHash) !== 0) fail(name, `two roots for size ${size}`);
    } else if (prev.size > 0n) {
      verifyConsistency(prev.size, size, consistencyProofFromTiles(prev.size, size, source), prev.rootHash, head.rootHash);
    }
  }
  return head;
}
