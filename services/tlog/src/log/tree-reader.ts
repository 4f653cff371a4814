// Root, inclusion and consistency proofs of a tree size, computed from cached, expanded tiles.
import { createHash } from 'node:crypto';
import { LogError } from '../errors.js';
import { type ExpandedTile, TILE_HEIGHT, TILE_WIDTH, hashChildren } from './tile-cache.js';

/** SHA-256 of the empty string: the RFC 6962 root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = new Uint8Array(createHash('sha256').digest());

/** A tile wanted at a tree size: its coordinates and its width at that size. */
export interface TileRef {
  level: number;
  index: bigint;
  width: number;
}

/** Finds a cached tile of at least `minWidth` hashes, or undefined. */
export type TileLookup = (level: number, index: number, minWidth: number) => ExpandedTile | undefined;

const ZERO = new Uint8Array(32);
const MAX_SIZE = BigInt(Number.MAX_SAFE_INTEGER);

/** The width of tile (level, index) in a tree of `size` leaves: 0 if it does not exist yet. */
export function tileWidthAt(level: number, index: bigint, size: bigint): number {
  const nodes = size >> BigInt(TILE_HEIGHT * level);
  const start = index * BigInt(TILE_WIDTH);
  if (nodes <= start) return 0;
  const w = nodes - start;
  return w >= BigInt(TILE_WIDTH) ? TILE_WIDTH : Number(w);
}

const TWO_32 = 2 ** 32;
/** 2^h for h = 0..53. */
const POW2 = Array.from({ length: 54 }, (_, h) => 2 ** h);

/** The number of bits of the integer 0 ≤ n < 2^53 (0 for 0). */
function bitLength(n: number): number {
  return n < TWO_32 ? 32 - Math.clz32(n) : 64 - Math.clz32(Math.floor(n / TWO_32));
}

/** The largest power of two strictly below the integer `n` (2 ≤ n < 2^53). */
function splitPoint(n: number): number {
  return POW2[bitLength(n - 1) - 1]!;
}

/**
 * Hashes of the ephemeral right-edge subtrees MTH(D[lo:size]) of one tree size, by `lo`. Every
 * proof to that size folds the same few of them; a size's are at most 64 and never change.
 */
export interface EdgeMemo {
  size: bigint;
  ranges: Map<number, Uint8Array>;
}

/**
 * Answers Merkle questions about the tree of `size` leaves using RFC 6962 §2.1's recursive
 * definitions, reading every complete subtree root from tiles (node (h, k) lives in the level ⌊h/8⌋
 * tile, row h mod 8) and rehashing only the "ephemeral" right-edge nodes. Tiles the lookup lacks are
 * recorded in `missing` (and a zero hash used): the caller fetches them and asks again.
 *
 * Indices and sizes are bigints at the API and plain numbers inside: every position in a tree of
 * fewer than 2^53 leaves is an exact double, and the number arithmetic costs a fraction of the
 * BigInt one on the proof-read path (the tile cache makes the same assumption for its keys).
 */
export class TreeReader {
  /** Tiles that were needed but not found; the answer is garbage unless this stays empty. */
  readonly missing: TileRef[] = [];
  /** Lookups that found no tile (a zero hash stood in). */
  private misses = 0;

  /** `size` as a number. */
  private readonly n: number;

  /**
   * `memo`: right-edge hashes of this size computed before (read and filled). Throws
   * `LogError('STORAGE_FAILURE')` for a size of 2^53 leaves or more.
   */
  constructor(
    readonly size: bigint,
    private readonly lookup: TileLookup,
    private readonly memo?: EdgeMemo,
  ) {
    if (size > MAX_SIZE) throw new LogError('STORAGE_FAILURE', `tree size ${size} is beyond the 2^53 - 1 leaves this log supports`);
    this.n = Number(size);
  }

  /** MTH(D[0:size]). */
  root(): Uint8Array {
    return this.n === 0 ? EMPTY_ROOT : this.range(0, this.n);
  }

  /** The audit path of leaf `index` (< size), leaf to root (RFC 6962 §2.1.1). */
  inclusion(index: bigint): Uint8Array[] {
    const i = Number(index);
    const path: Uint8Array[] = [];
    let lo = 0;
    let hi = this.n;
    while (hi - lo > 1) {
      const k = splitPoint(hi - lo);
      if (i < lo + k) {
        path.push(this.range(lo + k, hi));
        hi = lo + k;
      } else {
        path.push(this.range(lo, lo + k));
        lo += k;
      }
    }
    return path.reverse();
  }

  /** The consistency proof from `oldSize` (1 ≤ oldSize ≤ size) to size (RFC 6962 §2.1.2). */
  consistency(oldSize: bigint): Uint8Array[] {
    const proof: Uint8Array[] = [];
    let lo = 0;
    let hi = this.n;
    let m = Number(oldSize);
    let complete = true; // SUBPROOF's flag b: the old tree is this whole subtree so far
    while (m !== hi - lo) {
      const k = splitPoint(hi - lo);
      if (m <= k) {
        proof.push(this.range(lo + k, hi));
        hi = lo + k;
      } else {
        proof.push(this.range(lo, lo + k));
        lo += k;
        m -= k;
        complete = false;
      }
    }
    if (!complete) proof.push(this.range(lo, hi));
    return proof.reverse();
  }

  /** MTH(D[lo:hi]) for a subtree of the recursion: lo is a multiple of the largest power ≤ hi-lo. */
  private range(lo: number, hi: number): Uint8Array {
    const memo = hi === this.n && this.memo?.size === this.size ? this.memo.ranges : undefined;
    const known = memo?.get(lo);
    if (known !== undefined) return known.slice();
    // Perfect subtrees of decreasing size, left to right, then folded from the right.
    const parts: Uint8Array[] = [];
    const misses = this.misses;
    let start = lo;
    while (start < hi) {
      const h = bitLength(hi - start) - 1;
      parts.push(this.node(h, start / POW2[h]!)); // exact: start is a multiple of 2^h
      start += POW2[h]!;
    }
    if (parts.length === 1) return parts[0]!.slice(); // never hand out a view into a cached tile
    let acc = parts[parts.length - 1]!;
    for (let i = parts.length - 2; i >= 0; i--) acc = hashChildren(parts[i]!, acc);
    if (memo !== undefined && this.misses === misses) memo.set(lo, acc.slice());
    return acc;
  }

  /** The root of the complete subtree of height h and index k (its leaves: [k·2^h, (k+1)·2^h)). */
  private node(h: number, k: number): Uint8Array {
    const level = Math.floor(h / TILE_HEIGHT);
    const r = h - level * TILE_HEIGHT;
    const perTile = TILE_WIDTH >> r;
    const tileIndex = Math.floor(k / perTile);
    const pos = k - tileIndex * perTile;
    const minWidth = (pos + 1) << r;
    const tile = this.lookup(level, tileIndex, minWidth);
    if (tile === undefined) {
      this.misses++;
      const index = BigInt(tileIndex);
      if (!this.missing.some((m) => m.level === level && m.index === index)) {
        this.missing.push({ level, index, width: tileWidthAt(level, index, this.size) });
      }
      return ZERO;
    }
    return tile.rows[r]!.subarray(pos * 32, pos * 32 + 32);
  }
}
