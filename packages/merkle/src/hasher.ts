// RFC 6962 §2.1 / RFC 9162 §2.1.1 tree hashing with SHA-256.
//
// Deliberate departure from house-style practice 2 (which names @noble/hashes): hashing runs on
// the log's hot path (every append, every proof), and node:crypto is ~10x faster there, so this
// package uses `crypto.hash` (Node >= 20.12) and has no runtime dependency at all.
import { hash } from 'node:crypto';
import { asBytes, checkHashSize } from './bytes.js';

function sha256(data: Uint8Array): Uint8Array {
  // crypto.hash allocates a fresh 32-byte buffer per call, so a view of it is safe to keep.
  return asBytes(hash('sha256', data, 'buffer'));
}

/** MTH({}) = SHA-256 of the empty string: the root of the empty tree (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** Leaf hash MTH({d}) = SHA-256(0x00 || data) (RFC 9162 §2.1.1). Any data length is valid. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(data.length + 1);
  buf.set(data, 1);
  return sha256(buf);
}

/**
 * Interior node hash SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). Inputs are taken as raw
 * bytes of any length, so upstream test vectors with odd-sized children still reproduce.
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/**
 * The Merkle tree hash of a list of leaf hashes (RFC 9162 §2.1.1), computed bottom-up in O(n)
 * without recursion. The empty list gives `EMPTY_ROOT`.
 * @throws MerkleError `BAD_HASH_SIZE` if a leaf hash is not 32 bytes.
 */
export function rootOf(leafHashes: Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  leafHashes.forEach((h, i) => checkHashSize(h, `leaf hash ${i}`));
  // Pair neighbours level by level; an odd last node is promoted unchanged, which is exactly the
  // "largest power of two smaller than n" split of the RFC applied from the left.
  let level = leafHashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** Raw SHA-256, exported for note key IDs and tile digests inside the package. */
export { sha256 };
