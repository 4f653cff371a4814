// Runs TreeReader questions against the tile cache, fetching whatever tiles it lacks from the store.
import type { LogStore } from '@signet/storage';
import { LogError } from '../errors.js';
import type { ExpandedTile, TileCache } from './tile-cache.js';
import { type EdgeMemo, type TileRef, TreeReader, tileWidthAt } from './tree-reader.js';

/** Tiles held aside for one computation, so that cache eviction cannot take them away mid-way. */
export type TileOverlay = Map<string, ExpandedTile>;

/** The overlay/cache key of a tile. */
export const tileKey = (level: number, index: bigint | number): string => `${level}/${index}`;

/** Wraps a storage failure (or anything unexpected) as `LogError('STORAGE_FAILURE')`. */
export function storageFailure(what: string, err: unknown): LogError {
  if (err instanceof LogError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new LogError('STORAGE_FAILURE', `${what}: ${detail}`, {}, { cause: err });
}

/** Answers tree questions from cached tiles, reading missing ones from the store. */
export class TreeAccess {
  /** Right-edge hashes of the largest tree size asked about (the head, for proofs to it). */
  private edge: EdgeMemo = { size: -1n, ranges: new Map() };

  constructor(
    private readonly store: LogStore,
    private readonly name: string,
    readonly cache: TileCache,
  ) {}

  /**
   * Computes `fn` over the tree of `size` leaves. Tiles the reader misses are read from the store
   * (at their widest stored width) and the computation is repeated. Throws
   * `LogError('STORAGE_FAILURE')` if the store fails or lacks a tile the size needs.
   */
  async run<T>(size: bigint, fn: (r: TreeReader) => T, overlay: TileOverlay = new Map()): Promise<T> {
    if (size > this.edge.size) this.edge = { size, ranges: new Map() };
    const memo = size === this.edge.size ? this.edge : undefined;
    for (let round = 0; round < 4; round++) {
      const reader = new TreeReader(
        size,
        (level, index, minWidth) => {
          const t = overlay.size === 0 ? undefined : overlay.get(tileKey(level, index));
          return t !== undefined && t.width >= minWidth ? t : this.cache.get(level, index, minWidth);
        },
        memo,
      );
      const result = fn(reader);
      if (reader.missing.length === 0) return result;
      await this.fetch(reader.missing, size, overlay);
    }
    throw new LogError('STORAGE_FAILURE', `tiles for tree size ${size} kept missing`);
  }

  /**
   * Loads the tiles of the tree of `size` into the cache, higher levels first and newest first
   * within a level, `chunk` tiles per query, until the cache would start evicting. Returns how many
   * tiles were read. Lets a restarted process serve proofs from memory at once.
   */
  async warm(size: bigint, chunk = 512): Promise<number> {
    const refs: TileRef[] = [];
    for (let level = 0; size >> BigInt(8 * level) > 0n; level++) {
      const count = size >> BigInt(8 * level);
      for (let index = (count - 1n) / 256n; index >= 0n; index--) {
        const width = tileWidthAt(level, index, size);
        if (!this.cache.has(level, index, width)) refs.push({ level, index, width });
      }
    }
    refs.sort((a, b) => b.level - a.level); // stable: newest first within a level
    let read = 0;
    for (let i = 0; i < refs.length; i += chunk) {
      const { bytes, maxBytes } = this.cache.usage;
      if (bytes + chunk * 16_500 > maxBytes) break;
      const part = refs.slice(i, i + chunk);
      await this.fetch(part, size, new Map());
      read += part.length;
    }
    return read;
  }

  /** Reads `refs` from the store into the cache and `overlay`. */
  async fetch(refs: TileRef[], size: bigint, overlay: TileOverlay): Promise<void> {
    let tiles;
    try {
      tiles = await this.store.readTiles(this.name, refs);
    } catch (err) {
      throw storageFailure('reading tiles', err);
    }
    const byKey = new Map(tiles.map((t) => [tileKey(t.level, t.index), t.hashes]));
    for (const ref of refs) {
      const key = tileKey(ref.level, ref.index);
      const hashes = byKey.get(key);
      if (hashes === undefined || hashes.length < ref.width * 32) {
        throw new LogError(
          'STORAGE_FAILURE',
          `tile ${key} is missing or narrower than ${ref.width} in the store, which holds a tree of size ${size}`,
        );
      }
      overlay.set(key, this.cache.put(ref.level, ref.index, hashes));
    }
  }
}
