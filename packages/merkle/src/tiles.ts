// C2SP tlog-tiles arithmetic: which tiles hold the nodes a proof or a root needs, and computing
// proofs and roots from tile contents. A hash tile (L, N) holds the nodes of tree level 8L with
// indices 256N .. 256N+255; a node at level 8L+r (r < 8) is rebuilt from 2^r hashes of tile L.
import { HASH_SIZE } from './bytes.js';
import { MerkleError } from './errors.js';
import { EMPTY_ROOT, hashChildren } from './hasher.js';
import type { NodeId } from './node-id.js';
import { rangeNodes } from './node-id.js';
import { consistencyNodes, inclusionNodes, rehashProof, type ProofNodes } from './proof.js';
import { TILE_HEIGHT, TILE_WIDTH, type TileId } from './tile-path.js';

/**
 * Gives the bytes of hash tile (level, index): concatenated 32-byte hashes, at least as wide as
 * the tree size being served needs (a wider, newer version of a partial tile is fine). Callers
 * prefetch the tiles listed by `tilesFor*` and answer from memory, so this is synchronous.
 */
export type TileSource = (level: number, index: bigint) => Uint8Array;
// Contract detail: the returned bytes must not be mutated afterwards; the subtree hashes derived
// from a tile are cached per returned object (see `tileTree`).

/** A tile together with its width (1..256) at the tree size it was listed for. */
export interface TileRef extends TileId {
  width: number;
}

/**
 * How many hashes tile (level, index) holds at tree size `size`: 0 (not yet started) .. 256.
 * C2SP tlog-tiles: the level-L tiles hold floor(size / 256^L) hashes in all.
 */
export function tileWidthAt(level: number, index: bigint, size: bigint): number {
  const w = (size >> BigInt(TILE_HEIGHT * level)) - index * BigInt(TILE_WIDTH);
  return w <= 0n ? 0 : w >= BigInt(TILE_WIDTH) ? TILE_WIDTH : Number(w);
}

/** The tile holding the hashes node `id` is built from, and which of them (offset, count). */
export function tileForNode(id: NodeId): { tile: TileId; offset: number; count: number } {
  const level = Math.floor(id.level / TILE_HEIGHT);
  const r = id.level % TILE_HEIGHT;
  const first = id.index << BigInt(r); // index of the first covered node at tree level 8·level
  return {
    tile: { level, index: first >> BigInt(TILE_HEIGHT) },
    offset: Number(first & BigInt(TILE_WIDTH - 1)),
    count: 1 << r,
  };
}

// Internal subtree hashes of a tile, computed once per tile object. Keyed weakly on the bytes the
// source returned, so a caller that serves many proofs from one cached tile hashes it only once.
const tileTrees = new WeakMap<Uint8Array, Uint8Array[][]>();

function tileTree(bytes: Uint8Array, tile: TileId): Uint8Array[][] {
  return tileTrees.get(bytes) ?? buildTileTree(bytes, tile);
}

/**
 * Computes and caches the subtree hashes of tile `bytes`: levels[r][j] is the hash of the perfect
 * subtree over leaves j·2^r .. (j+1)·2^r - 1 (complete ones only). With `reuse`, the nodes of
 * `reuse.levels` that lie within its first `reuse.width` leaves are taken as they are.
 */
function buildTileTree(bytes: Uint8Array, tile: TileId, reuse?: { levels: Uint8Array[][]; width: number }): Uint8Array[][] {
  if (bytes.length % HASH_SIZE !== 0 || bytes.length > TILE_WIDTH * HASH_SIZE || bytes.length < (reuse?.width ?? 0) * HASH_SIZE) {
    throw new MerkleError('BAD_TILE', `tile ${tile.level}/${tile.index} has ${bytes.length} bytes`);
  }
  const leaves: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += HASH_SIZE) leaves.push(bytes.subarray(off, off + HASH_SIZE));
  const levels = [leaves];
  for (let r = 1; r < TILE_HEIGHT; r++) {
    const below = levels[r - 1]!;
    const row = reuse === undefined ? [] : reuse.levels[r]!.slice(0, Math.floor(reuse.width / 2 ** r));
    for (let j = 2 * row.length; j + 1 < below.length; j += 2) row.push(hashChildren(below[j]!, below[j + 1]!));
    levels.push(row);
  }
  tileTrees.set(bytes, levels);
  return levels;
}

/**
 * Caches the subtree hashes of `grown`, tile bytes whose first `width` hashes are those of `old`
 * (the same right-edge tile after an append), reusing the nodes already computed for `old`: the
 * root of a growing tree then costs its new nodes, not a whole tile's worth per append. Does
 * nothing when `old` has no cached nodes. Nodes of `old` beyond its first `width` hashes are not
 * reused (a source may serve a wider tile than the tree size being grown).
 */
export function growTileTree(old: Uint8Array, width: number, grown: Uint8Array, tile: TileId): void {
  const levels = tileTrees.get(old);
  if (levels !== undefined) buildTileTree(grown, tile, { levels, width });
}

/**
 * MTH of a full tile's 256 hashes: the hash it contributes to the tile level above. Uses the
 * tile's cached subtree hashes when it has them (a right-edge tile grown by `growTileTree`).
 * @throws MerkleError `BAD_TILE` unless `bytes` holds exactly 256 hashes.
 */
export function fullTileRoot(bytes: Uint8Array, tile: TileId): Uint8Array {
  if (bytes.length !== TILE_WIDTH * HASH_SIZE) {
    throw new MerkleError('BAD_TILE', `tile ${tile.level}/${tile.index} has ${bytes.length} bytes, not a full tile`);
  }
  const top = tileTree(bytes, tile)[TILE_HEIGHT - 1]!;
  return hashChildren(top[0]!, top[1]!);
}

/**
 * Hash of the perfect subtree `id`, from the tile that holds it.
 * @throws MerkleError `BAD_TILE` if the tile is malformed or too narrow for this node.
 */
export function nodeHashFromTiles(id: NodeId, tiles: TileSource): Uint8Array {
  const { tile, offset, count } = tileForNode(id);
  const levels = tileTree(tiles(tile.level, tile.index), tile);
  const r = id.level % TILE_HEIGHT;
  const h = levels[r]![offset / count];
  if (!h) {
    throw new MerkleError('BAD_TILE', `tile ${tile.level}/${tile.index} too narrow for node ${id.level}/${id.index}`);
  }
  return h;
}

function tilesOf(ids: NodeId[], size: bigint): TileRef[] {
  const seen = new Map<string, TileRef>();
  for (const id of ids) {
    const { tile } = tileForNode(id);
    const key = `${tile.level}/${tile.index}`;
    if (!seen.has(key)) seen.set(key, { ...tile, width: tileWidthAt(tile.level, tile.index, size) });
  }
  return [...seen.values()].sort((a, b) => a.level - b.level || (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
}

/** Tiles needed by `inclusionProofFromTiles(index, size)`, with their widths at `size`, sorted by level then index. */
export function tilesForInclusion(index: bigint, size: bigint): TileRef[] {
  return tilesOf(inclusionNodes(index, size).ids, size);
}

/** Tiles (of the tree of `size2`) needed by `consistencyProofFromTiles(size1, size2)`. */
export function tilesForConsistency(size1: bigint, size2: bigint): TileRef[] {
  return tilesOf(consistencyNodes(size1, size2).ids, size2);
}

/** Tiles needed by `rootFromTiles(size)`: all lie on the right edge, so they are the partial ones. */
export function tilesForRoot(size: bigint): TileRef[] {
  if (size < 0n) throw new MerkleError('BAD_SIZES', `negative tree size ${size}`);
  return tilesOf(rangeNodes(0n, size), size);
}

/** Asks `tiles` at most once per tile during one computation. */
function memo(tiles: TileSource): TileSource {
  const got = new Map<string, Uint8Array>();
  return (level, index) => {
    const key = `${level}/${index}`;
    let t = got.get(key);
    if (!t) got.set(key, (t = tiles(level, index)));
    return t;
  };
}

function proofFromTiles(nodes: ProofNodes, tiles: TileSource): Uint8Array[] {
  const src = memo(tiles);
  return rehashProof(nodes, nodes.ids.map((id) => nodeHashFromTiles(id, src)));
}

/**
 * RFC 9162 inclusion proof for leaf `index` at tree size `size`, from tiles.
 * @throws MerkleError `INDEX_OUT_OF_RANGE`, `BAD_TILE`.
 */
export function inclusionProofFromTiles(index: bigint, size: bigint, tiles: TileSource): Uint8Array[] {
  return proofFromTiles(inclusionNodes(index, size), tiles);
}

/**
 * RFC 9162 consistency proof from `size1` to `size2`, from tiles of the tree of `size2` (or larger).
 * @throws MerkleError `BAD_SIZES`, `BAD_TILE`.
 */
export function consistencyProofFromTiles(size1: bigint, size2: bigint, tiles: TileSource): Uint8Array[] {
  return proofFromTiles(consistencyNodes(size1, size2), tiles);
}

/**
 * MTH of the first `size` leaves (RFC 9162 §2.1.1): the compact range of [0, size), folded right
 * to left. `EMPTY_ROOT` for size 0.
 * @throws MerkleError `BAD_SIZES` for a negative size, `BAD_TILE`.
 */
export function rootFromTiles(size: bigint, tiles: TileSource): Uint8Array {
  if (size < 0n) throw new MerkleError('BAD_SIZES', `negative tree size ${size}`);
  const nodes = rangeNodes(0n, size);
  if (nodes.length === 0) return EMPTY_ROOT;
  tiles = memo(tiles);
  let root = nodeHashFromTiles(nodes[nodes.length - 1]!, tiles);
  for (let i = nodes.length - 2; i >= 0; i--) root = hashChildren(nodeHashFromTiles(nodes[i]!, tiles), root);
  return root;
}
