// A naive, test-only computation of every C2SP tile of a tree, straight from its leaf hashes.
import { hashChildren } from '@signet/merkle';

/** One tile as computed from the leaves. */
export interface ComputedTile {
  level: number;
  index: bigint;
  hashes: Uint8Array;
}

/**
 * Every tile (full and partial) of the tree of `leafHashes`, keyed `level/index`: level-L tiles hold
 * the complete nodes of height 8·L, 256 per tile. Independent of the engine's code on purpose.
 */
export function tilesOf(leafHashes: readonly Uint8Array[]): Map<string, ComputedTile> {
  const out = new Map<string, ComputedTile>();
  let row: Uint8Array[] = [...leafHashes];
  for (let level = 0; row.length > 0; level++) {
    for (let i = 0; i * 256 < row.length; i++) {
      const part = row.slice(i * 256, i * 256 + 256);
      const hashes = new Uint8Array(part.length * 32);
      part.forEach((h, j) => hashes.set(h, j * 32));
      out.set(`${level}/${i}`, { level, index: BigInt(i), hashes });
    }
    for (let h = 0; h < 8; h++) {
      const next: Uint8Array[] = [];
      for (let j = 0; j + 1 < row.length; j += 2) next.push(hashChildren(row[j]!, row[j + 1]!));
      row = next;
    }
  }
  return out;
}
