// The sequencer's view of the committed tree: the head and the right-edge tiles appends build on.
import { rightEdgeTiles } from '@signet/merkle';
import type { LogHead, LogStore, Tile, TileId } from '@signet/storage';
import { LogError } from '../errors.js';
import { type TileOverlay, type TreeAccess, storageFailure, tileKey } from './tree-access.js';
import { tileWidthAt } from './tree-reader.js';

/** A committed size, its root, and its partial right-edge tiles (raw hashes at their exact width). */
export interface EdgeState {
  size: bigint;
  root: Uint8Array;
  edge: Map<string, Uint8Array>;
}

/**
 * The state after a commit, from the tiles the batch wrote plus the unchanged old edge tiles; no
 * read needed. Undefined if a tile is unexpectedly absent (the next batch then reloads).
 */
export function nextEdgeState(st: EdgeState, result: { size: bigint; root: Uint8Array; tiles: Tile[] }): EdgeState | undefined {
  const written = new Map(result.tiles.map((t) => [tileKey(t.level, t.index), t.hashes]));
  const edge = new Map<string, Uint8Array>();
  for (const id of rightEdgeTiles(result.size)) {
    const key = tileKey(id.level, id.index);
    const width = tileWidthAt(id.level, id.index, result.size);
    const hashes = written.get(key) ?? st.edge.get(key);
    if (hashes === undefined || hashes.length !== width * 32) return undefined;
    edge.set(key, hashes);
  }
  return { size: result.size, root: result.root, edge };
}

/** The right-edge tile candidates after `size` grows a little: per level the current and next tile. */
export function tilesAround(size: bigint): TileId[] {
  const out: TileId[] = [];
  for (let level = 0; level === 0 || size >> BigInt(8 * (level - 1)) >= 256n; level++) {
    const index = (size >> BigInt(8 * level)) / 256n;
    out.push({ level, index }, { level, index: index + 1n });
  }
  return out;
}

/**
 * Reads the committed head and its right-edge tiles and checks that the tiles hash to the head's
 * root. `guess` tiles are read in parallel with the head: a stored tile at least as wide as the head
 * needs is valid whenever it was read (narrower versions are prefixes); the rest is read after.
 * Throws `LogError('STORAGE_FAILURE')`.
 */
export async function loadEdgeState(
  store: LogStore,
  name: string,
  access: TreeAccess,
  guess: TileId[],
): Promise<{ state: EdgeState; head: LogHead }> {
  let head: LogHead;
  let early: Tile[];
  try {
    [head, early] = await Promise.all([store.head(name), guess.length > 0 ? store.readTiles(name, guess) : []]);
  } catch (err) {
    throw storageFailure('reading the head', err);
  }
  const refs = rightEdgeTiles(head.size).map((id) => ({ ...id, width: tileWidthAt(id.level, id.index, head.size) }));
  const overlay: TileOverlay = new Map();
  const got = new Map(early.map((t) => [tileKey(t.level, t.index), t.hashes]));
  const rest = refs.filter((ref) => {
    const hashes = got.get(tileKey(ref.level, ref.index));
    if (hashes === undefined || hashes.length < ref.width * 32) return true;
    overlay.set(tileKey(ref.level, ref.index), access.cache.put(ref.level, ref.index, hashes));
    return false;
  });
  await access.fetch(rest, head.size, overlay);
  const edge = new Map<string, Uint8Array>();
  for (const ref of refs) {
    const key = tileKey(ref.level, ref.index);
    edge.set(key, overlay.get(key)!.rows[0]!.slice(0, ref.width * 32));
  }
  const root = await access.run(head.size, (r) => r.root(), overlay);
  if (Buffer.compare(root, head.rootHash) !== 0) {
    throw new LogError('STORAGE_FAILURE', `log ${name}: the tiles of size ${head.size} do not hash to the stored root`);
  }
  return { state: { size: head.size, root: head.rootHash, edge }, head };
}
