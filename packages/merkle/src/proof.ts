// Which nodes make a proof (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF, expressed as node IDs so a
// store can fetch exactly those hashes), and how to turn fetched hashes into the proof.
import { hashChildren } from './hasher.js';
import { MerkleError } from './errors.js';
import { bitLength, rangeNodes, trailingZeros, type NodeId } from './node-id.js';

/**
 * The stored nodes a proof is built from, in proof order. A proof may contain one "ephemeral"
 * node that no store holds (the root of an incomplete subtree on the right edge); it is rebuilt
 * by hashing `ids[begin..end)` together, right to left (`ids[begin]` is the rightmost). When
 * `end - begin < 2` no hashing is needed and the hashes are used as they are.
 */
export interface ProofNodes {
  ids: NodeId[];
  begin: number;
  end: number;
  /** The ephemeral node's ID in a hypothetical complete tree, or null if the proof has none. */
  ephem: NodeId | null;
}

/** Gives the hash of a perfect subtree that exists in the tree the proof is for. */
export type NodeSource = (id: NodeId) => Uint8Array;

/**
 * Nodes of the inclusion proof (audit path) for leaf `index` in a tree of `size` leaves,
 * RFC 9162 §2.1.3.1.
 * @throws MerkleError `INDEX_OUT_OF_RANGE` unless 0 <= index < size.
 */
export function inclusionNodes(index: bigint, size: bigint): ProofNodes {
  if (index < 0n || index >= size) {
    throw new MerkleError('INDEX_OUT_OF_RANGE', `leaf index ${index} not in a tree of size ${size}`);
  }
  return pathNodes(index, 0, size);
}

/**
 * Nodes of the consistency proof between tree sizes `size1` <= `size2`, RFC 9162 §2.1.4.1.
 * Empty when size1 = size2 or size1 = 0 (the RFC defines no proof from the empty tree).
 * @throws MerkleError `BAD_SIZES` if size1 > size2 or a size is negative.
 */
export function consistencyNodes(size1: bigint, size2: bigint): ProofNodes {
  if (size1 < 0n || size1 > size2) {
    throw new MerkleError('BAD_SIZES', `no consistency proof from size ${size1} to ${size2}`);
  }
  if (size1 === size2 || size1 === 0n) return { ids: [], begin: 0, end: 0, ephem: null };
  // The old tree's rightmost perfect subtree; the proof is its inclusion path in the new tree,
  // preceded by the subtree itself unless it is the whole old tree (then the verifier knows it).
  const level = trailingZeros(size1);
  const index = (size1 - 1n) >> BigInt(level);
  const p = pathNodes(index, level, size2);
  if (index === 0n) return p;
  return { ids: [{ level, index }, ...p.ids], begin: p.begin + 1, end: p.end + 1, ephem: p.ephem };
}

/** Siblings on the way from node (level, index) to the root of a tree of `size` leaves. */
function pathNodes(index: bigint, level: number, size: bigint): ProofNodes {
  // `fork` is the lowest ancestor whose range is complete but whose right sibling is not (or is
  // beyond the tree): below it the path is a plain perfect-tree path, above it the siblings are
  // the compact ranges left of the fork and right of it (the latter folded into one node).
  const inner = bitLength(index ^ (size >> BigInt(level))) - 1;
  const fork: NodeId = { level: level + inner, index: index >> BigInt(inner) };
  const forkBegin = fork.index << BigInt(fork.level);
  const forkEnd = (fork.index + 1n) << BigInt(fork.level);
  const ids: NodeId[] = [];
  for (let n: NodeId = { level, index }; n.level < fork.level; n = { level: n.level + 1, index: n.index >> 1n }) {
    ids.push({ level: n.level, index: n.index ^ 1n });
  }
  const begin = ids.length;
  ids.push(...rangeNodes(forkEnd, size).reverse());
  const end = ids.length;
  ids.push(...rangeNodes(0n, forkBegin).reverse());
  const ephem = end > begin ? { level: fork.level, index: fork.index ^ 1n } : null;
  return { ids, begin, end, ephem };
}

/**
 * Turns the hashes of `nodes.ids` (same order) into the proof, folding the ephemeral range.
 * @throws MerkleError `WRONG_PROOF_SIZE` if `hashes` does not match `nodes.ids` in length.
 */
export function rehashProof(nodes: ProofNodes, hashes: Uint8Array[]): Uint8Array[] {
  if (hashes.length !== nodes.ids.length) {
    throw new MerkleError('WRONG_PROOF_SIZE', `${hashes.length} hashes for ${nodes.ids.length} nodes`);
  }
  if (nodes.end - nodes.begin < 2) return hashes.slice();
  let eph = hashes[nodes.begin]!;
  for (let i = nodes.begin + 1; i < nodes.end; i++) eph = hashChildren(hashes[i]!, eph);
  return [...hashes.slice(0, nodes.begin), eph, ...hashes.slice(nodes.end)];
}

/**
 * Inclusion proof for leaf `index` in the tree of `size` leaves, from a source of node hashes.
 * @throws MerkleError `INDEX_OUT_OF_RANGE`; whatever `source` throws.
 */
export function inclusionProof(index: bigint, size: bigint, source: NodeSource): Uint8Array[] {
  const nodes = inclusionNodes(index, size);
  return rehashProof(nodes, nodes.ids.map(source));
}

/**
 * Consistency proof from `size1` to `size2`, from a source of node hashes of the larger tree.
 * @throws MerkleError `BAD_SIZES`; whatever `source` throws.
 */
export function consistencyProof(size1: bigint, size2: bigint, source: NodeSource): Uint8Array[] {
  const nodes = consistencyNodes(size1, size2);
  return rehashProof(nodes, nodes.ids.map(source));
}
