// Tiles with their interior nodes computed once, and a byte-bounded LRU cache of them.
import { hash } from 'node:crypto';

/** Hashes per full tile (C2SP tlog-tiles: tile height 8). */
export const TILE_WIDTH = 256;
/** Tree levels covered by one tile. */
export const TILE_HEIGHT = 8;
/** Default bound of the tile cache: 8,192 full tiles ≈ 128 MiB (each 511 hashes), about 2M leaves. */
export const DEFAULT_TILE_CACHE_BYTES = 128 * 1024 * 1024;

const HASH = 32;
const scratch = new Uint8Array(1 + 2 * HASH);
scratch[0] = 0x01;

/** RFC 6962 interior node hash SHA-256(0x01 || left || right), written into `out` at `offset`. */
export function hashChildrenInto(left: Uint8Array, right: Uint8Array, out: Uint8Array, offset: number): void {
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH);
  out.set(hash('sha256', scratch, 'buffer'), offset);
}

/** RFC 6962 interior node hash SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  const out = new Uint8Array(HASH);
  hashChildrenInto(left, right, out, 0);
  return out;
}

/**
 * One tile at some width with every interior node it determines: `rows[r]` holds the
 * ⌊width / 2^r⌋ complete nodes of height r inside the tile (row 0 = the tile's own hashes; row 8 of
 * a full tile is its root). A tile's content at a given width never changes (the log is append-only
 * and a narrower tile is a prefix of a wider one), so any width ≤ `width` is served by prefixes.
 */
export interface ExpandedTile {
  readonly level: number;
  readonly index: bigint;
  readonly width: number;
  readonly rows: readonly Uint8Array[];
}

/**
 * Computes the interior rows of `hashes` (width × 32 bytes). When `prev` is a narrower version of
 * the same tile, its rows are reused and only the new nodes are hashed (a growing right-edge tile).
 */
export function expandTile(level: number, index: bigint, hashes: Uint8Array, prev?: ExpandedTile): ExpandedTile {
  const width = hashes.length / HASH;
  const rows: Uint8Array[] = [hashes];
  for (let r = 1; r <= TILE_HEIGHT; r++) {
    const below = rows[r - 1]!;
    const count = Math.floor(width / 2 ** r);
    const row = new Uint8Array(count * HASH);
    let start = 0;
    const old = prev?.rows[r];
    if (old !== undefined) {
      start = Math.min(old.length / HASH, count);
      row.set(old.subarray(0, start * HASH));
    }
    for (let i = start; i < count; i++) {
      hashChildrenInto(below.subarray(2 * i * HASH, (2 * i + 1) * HASH), below.subarray((2 * i + 1) * HASH, (2 * i + 2) * HASH), row, i * HASH);
    }
    rows.push(row);
  }
  return { level, index, width, rows };
}

/** Cache key of tile (level, index): a number (indices stay far below 2^47 in a log of < 2^53 entries). */
const keyOf = (level: number, index: bigint | number): number => Number(index) * 64 + level;
const bytesOf = (t: ExpandedTile): number => t.rows.reduce((n, r) => n + r.length, 0) + 64;

/**
 * Tiles by (level, index), each at the widest width seen, evicted least-recently-used beyond
 * `maxBytes`. Only tiles read from the store or committed by this process enter it, so it never
 * holds a tile that is not (a prefix of) the log's real one.
 *
 * Recency is refreshed on a hit only when at least half the cache's worth of tiles has been put
 * since the tile's last refresh: close enough to LRU for eviction, and a warm cache that takes no
 * new tiles (proofs at the same head) pays nothing per lookup.
 */
export class TileCache {
  /** Each tile with the value of `puts` at its last refresh (or put). */
  private readonly tiles = new Map<number, { tile: ExpandedTile; at: number }>();
  private puts = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number = DEFAULT_TILE_CACHE_BYTES) {}

  /** The cached tile if it is at least `minWidth` wide. */
  get(level: number, index: bigint | number, minWidth: number): ExpandedTile | undefined {
    const key = keyOf(level, index);
    const slot = this.tiles.get(key);
    if (slot === undefined || slot.tile.width < minWidth) return undefined;
    if (slot.tile.width === TILE_WIDTH && 2 * (this.puts - slot.at) >= this.tiles.size) {
      // Refresh recency of full tiles (partial ones are replaced as they grow anyway).
      this.tiles.delete(key);
      this.tiles.set(key, slot);
      slot.at = this.puts;
    }
    return slot.tile;
  }

  /** Adds `hashes` as tile (level, index) unless a wider version is cached; returns the kept tile. */
  put(level: number, index: bigint, hashes: Uint8Array): ExpandedTile {
    const key = keyOf(level, index);
    const prev = this.tiles.get(key)?.tile;
    if (prev !== undefined && prev.width >= hashes.length / HASH) return prev;
    const tile = expandTile(level, index, hashes, prev);
    if (prev !== undefined) {
      this.tiles.delete(key);
      this.bytes -= bytesOf(prev);
    }
    this.tiles.set(key, { tile, at: ++this.puts });
    this.bytes += bytesOf(tile);
    while (this.bytes > this.maxBytes && this.tiles.size > 1) {
      const [oldestKey, oldest] = this.tiles.entries().next().value as [number, { tile: ExpandedTile }];
      this.tiles.delete(oldestKey);
      this.bytes -= bytesOf(oldest.tile);
    }
    return tile;
  }

  /** Number of cached tiles. */
  get size(): number {
    return this.tiles.size;
  }

  /** Bytes held, and the bound. */
  get usage(): { bytes: number; maxBytes: number } {
    return { bytes: this.bytes, maxBytes: this.maxBytes };
  }

  /** Whether tile (level, index) is cached at `minWidth` or wider (does not refresh recency). */
  has(level: number, index: bigint, minWidth: number): boolean {
    const slot = this.tiles.get(keyOf(level, index));
    return slot !== undefined && slot.tile.width >= minWidth;
  }
}
