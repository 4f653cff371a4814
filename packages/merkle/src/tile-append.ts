// Growing a tiled tree: only the right edge changes. Each level-L partial tile takes new hashes
// until it has 256; a full tile's root (the MTH of its 256 hashes) becomes the next hash of the
// level-(L+1) tile. Follows C2SP tlog-tiles; the persistence order is the caller's business.
import { concatBytes, checkHashSize, HASH_SIZE } from './bytes.js';
import { MerkleError } from './errors.js';
import { TILE_HEIGHT, TILE_WIDTH } from './tile-path.js';
import { fullTileRoot, growTileTree, rootFromTiles, tileWidthAt, type TileRef, type TileSource } from './tiles.js';

/** A tile written by `appendLeaves`, at its new width (`hashes.length / 32`). */
export interface TileWrite {
  level: number;
  index: bigint;
  hashes: Uint8Array;
}

/**
 * The partial tiles at tree size `size`, one per level at most: exactly what `appendLeaves` reads.
 * A level whose last tile is full (or empty) contributes nothing.
 */
export function rightEdgeTiles(size: bigint): TileRef[] {
  if (size < 0n) throw new MerkleError('BAD_SIZES', `negative tree size ${size}`);
  const out: TileRef[] = [];
  for (let level = 0; size >> BigInt(TILE_HEIGHT * level) > 0n; level++) {
    const count = size >> BigInt(TILE_HEIGHT * level); // hashes on this tile level
    const index = count / BigInt(TILE_WIDTH);
    const width = tileWidthAt(level, index, size);
    if (width > 0) out.push({ level, index, width });
  }
  return out;
}

/**
 * Appends leaf hashes to the tree of `size` leaves whose right-edge tiles `tiles` serves
 * (`rightEdgeTiles(size)`). Returns the new size and root, and every tile created or grown, at
 * its new width, lowest level first; a tile that becomes full also adds its hash one level up.
 * Appending nothing returns the current root and no tiles.
 * @throws MerkleError `BAD_HASH_SIZE` for a leaf hash that is not 32 bytes, `BAD_TILE`.
 */
export function appendLeaves(
  size: bigint,
  tiles: TileSource,
  leafHashes: Uint8Array[],
): { size: bigint; root: Uint8Array; tiles: TileWrite[] } {
  if (size < 0n) throw new MerkleError('BAD_SIZES', `negative tree size ${size}`);
  leafHashes.forEach((h, i) => checkHashSize(h, `leaf hash ${i}`));
  const writes: TileWrite[] = [];
  let incoming = leafHashes;
  for (let level = 0; incoming.length > 0; level++) {
    incoming = appendToLevel(level, size >> BigInt(TILE_HEIGHT * level), tiles, incoming, writes);
  }
  const newSize = size + BigInt(leafHashes.length);
  // Serve the root computation from the new tiles first, then the caller's unchanged ones.
  const written = new Map(writes.map((w) => [`${w.level}/${w.index}`, w.hashes]));
  const overlay: TileSource = (level, index) => written.get(`${level}/${index}`) ?? tiles(level, index);
  return { size: newSize, root: rootFromTiles(newSize, overlay), tiles: writes };
}

/** Adds `incoming` hashes after the `count` existing ones of a tile level; returns full-tile roots. */
function appendToLevel(
  level: number,
  count: bigint,
  tiles: TileSource,
  incoming: Uint8Array[],
  writes: TileWrite[],
): Uint8Array[] {
  let index = count / BigInt(TILE_WIDTH);
  const width = Number(count % BigInt(TILE_WIDTH));
  let partial = width > 0 ? tiles(level, index) : undefined;
  let current: Uint8Array[] = partial !== undefined ? splitPartial(level, index, width, partial) : [];
  const up: Uint8Array[] = [];
  // Fill the current tile, emit it at its new width, and start the next one when it is full; a
  // batch spanning several tiles emits each exactly once.
  for (let i = 0; i < incoming.length; ) {
    const take = Math.min(TILE_WIDTH - current.length, incoming.length - i);
    current = current.concat(incoming.slice(i, i + take));
    i += take;
    const hashes = concatBytes(...current);
    // The partial tile grows: its interior nodes computed for the last root carry over to this one.
    if (partial !== undefined) growTileTree(partial, width, hashes, { level, index });
    partial = undefined;
    writes.push({ level, index, hashes });
    if (current.length === TILE_WIDTH) {
      up.push(fullTileRoot(hashes, { level, index }));
      current = [];
      index++;
    }
  }
  return up;
}

function splitPartial(level: number, index: bigint, width: number, bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < width * HASH_SIZE || bytes.length % HASH_SIZE !== 0) {
    throw new MerkleError('BAD_TILE', `tile ${level}/${index} has ${bytes.length} bytes, need ${width} hashes`);
  }
  const out: Uint8Array[] = [];
  // A wider tile than expected would mean the caller's tree is not of size `size`: only the first
  // `width` hashes are ours; the rest are ignored and overwritten by the returned tile.
  for (let j = 0; j < width; j++) out.push(bytes.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE));
  return out;
}
