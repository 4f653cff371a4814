// Proof verification: RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), with the proof
// length checked up front so that a too-long or too-short proof is named as such.
import { bytesEqual, checkHashSize } from './bytes.js';
import { MerkleError } from './errors.js';
import { hashChildren } from './hasher.js';
import { bitLength, popCount, trailingZeros } from './node-id.js';

/**
 * Number of hashes in the inclusion proof of leaf `index` in a tree of `size` (0 <= index < size):
 * the levels below the point where the path leaves the perfect part, plus one per left sibling
 * above it.
 */
export function inclusionProofSize(index: bigint, size: bigint): number {
  const inner = bitLength(index ^ (size - 1n));
  return inner + popCount(index >> BigInt(inner));
}

/**
 * Number of hashes in the consistency proof between 0 < size1 < size2.
 * It is the inclusion-path length of the old tree's last perfect subtree, plus that subtree
 * itself unless it is the whole old tree (size1 a power of two).
 */
export function consistencyProofSize(size1: bigint, size2: bigint): number {
  const shift = trailingZeros(size1);
  const pathLen = inclusionProofSize(size1 - 1n, size2) - shift;
  return (size1 === 1n << BigInt(shift) ? 0 : 1) + pathLen;
}

/**
 * Recomputes the tree root from leaf `index`'s hash and its audit path (RFC 9162 §2.1.3.2).
 * The result is meaningful only when compared with a trusted root.
 * @throws MerkleError `INDEX_OUT_OF_RANGE` unless 0 <= index < size; `BAD_HASH_SIZE` if the leaf
 *   hash or a proof hash is not 32 bytes; `WRONG_PROOF_SIZE` if the proof length is wrong.
 */
export function rootFromInclusionProof(
  index: bigint,
  size: bigint,
  leafHash: Uint8Array,
  proof: Uint8Array[],
): Uint8Array {
  if (index < 0n || index >= size) {
    throw new MerkleError('INDEX_OUT_OF_RANGE', `leaf index ${index} not in a tree of size ${size}`);
  }
  checkHashSize(leafHash, 'leaf hash');
  const want = inclusionProofSize(index, size);
  if (proof.length !== want) {
    throw new MerkleError('WRONG_PROOF_SIZE', `inclusion proof has ${proof.length} hashes, want ${want}`);
  }
  proof.forEach((p, i) => checkHashSize(p, `proof hash ${i}`));
  // RFC 9162 §2.1.3.2: fn walks the leaf's position up the tree, sn the last node's position;
  // fn odd (or fn the last node) means the proof hash is a left sibling.
  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  for (const p of proof) {
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      // Skip the levels where this node is the last one and has no right sibling.
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return r;
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`.
 * @throws MerkleError as `rootFromInclusionProof`, or `ROOT_MISMATCH`.
 */
export function verifyInclusion(
  index: bigint,
  size: bigint,
  leafHash: Uint8Array,
  proof: Uint8Array[],
  root: Uint8Array,
): void {
  const got = rootFromInclusionProof(index, size, leafHash, proof);
  if (!bytesEqual(got, root)) throw new MerkleError('ROOT_MISMATCH', 'inclusion proof leads to another root');
}

/**
 * Checks a consistency proof against the old root and returns the new root it implies
 * (RFC 9162 §2.1.4.2). Requires 0 < size1 < size2; equal sizes are handled by `verifyConsistency`.
 * @throws MerkleError `BAD_SIZES`, `BAD_HASH_SIZE`, `WRONG_PROOF_SIZE`, or `ROOT_MISMATCH` (old root).
 */
export function rootFromConsistencyProof(
  size1: bigint,
  size2: bigint,
  proof: Uint8Array[],
  root1: Uint8Array,
): Uint8Array {
  if (size1 <= 0n || size1 >= size2) {
    throw new MerkleError('BAD_SIZES', `need 0 < size1 < size2, got ${size1} and ${size2}`);
  }
  const want = consistencyProofSize(size1, size2);
  if (proof.length !== want) {
    throw new MerkleError('WRONG_PROOF_SIZE', `consistency proof has ${proof.length} hashes, want ${want}`);
  }
  proof.forEach((p, i) => checkHashSize(p, `proof hash ${i}`));
  // When size1 is a power of two the old root is itself the first node of the path.
  const path = size1 === 1n << BigInt(trailingZeros(size1)) ? [root1, ...proof] : proof;
  // RFC 9162 §2.1.4.2: fr rebuilds the old root, sr the new one, from the same path. Start at the
  // old tree's last perfect subtree: skip the levels where its last node is a right child.
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      // A right sibling exists only in the new tree: it changes sr but not fr.
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (!bytesEqual(fr, root1)) throw new MerkleError('ROOT_MISMATCH', 'consistency proof does not match the old root');
  return sr;
}

/**
 * Verifies that the tree (size2, root2) extends the tree (size1, root1).
 * Upstream semantics (transparency-dev/merkle): size1 = 0 is always an error, since the empty
 * tree is trivially consistent and a proof "from 0" usually signals a client bug; equal sizes
 * need an empty proof and byte-equal roots.
 * @throws MerkleError `BAD_SIZES`, `WRONG_PROOF_SIZE`, `BAD_HASH_SIZE`, `ROOT_MISMATCH`.
 */
export function verifyConsistency(
  size1: bigint,
  size2: bigint,
  proof: Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  if (size1 <= 0n || size2 < size1) {
    throw new MerkleError('BAD_SIZES', `no consistency proof from size ${size1} to ${size2}`);
  }
  if (size1 === size2) {
    if (proof.length !== 0) throw new MerkleError('WRONG_PROOF_SIZE', 'equal sizes need an empty proof');
    if (!bytesEqual(root1, root2)) throw new MerkleError('ROOT_MISMATCH', 'equal sizes but different roots');
    return;
  }
  const got = rootFromConsistencyProof(size1, size2, proof, root1);
  if (!bytesEqual(got, root2)) throw new MerkleError('ROOT_MISMATCH', 'consistency proof does not match the new root');
}
