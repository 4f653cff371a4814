// Node addressing shared by proofs and tiles: a node is a perfect subtree, named by its height and
// its position among the nodes of that height (transparency-dev "compact.NodeID" convention).

/** A perfect subtree: `level` = height (0 = leaf), `index` = position at that level, from 0. */
export interface NodeId {
  level: number;
  index: bigint;
}

/** Leaf range [begin, end) covered by `id`. */
export function nodeCoverage(id: NodeId): { begin: bigint; end: bigint } {
  const l = BigInt(id.level);
  return { begin: id.index << l, end: (id.index + 1n) << l };
}

/**
 * The perfect subtrees that tile the leaf range [begin, end), left to right, each as large as
 * alignment allows (the "compact range"). For [0, n) these are the subtrees whose roots are
 * folded right-to-left into MTH(D[0:n]).
 */
export function rangeNodes(begin: bigint, end: bigint): NodeId[] {
  const out: NodeId[] = [];
  while (begin < end) {
    let level = 0;
    // Grow while `begin` stays aligned to the next size and the subtree still fits in the range.
    while (((begin >> BigInt(level)) & 1n) === 0n && begin + (2n << BigInt(level)) <= end) level++;
    out.push({ level, index: begin >> BigInt(level) });
    begin += 1n << BigInt(level);
  }
  return out;
}

/** Number of significant bits of a non-negative bigint (0 for 0). */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Number of trailing zero bits of a positive bigint. */
export function trailingZeros(x: bigint): number {
  let n = 0;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

/** Number of set bits of a non-negative bigint. */
export function popCount(x: bigint): number {
  let n = 0;
  for (; x > 0n; x >>= 1n) if (x & 1n) n++;
  return n;
}
