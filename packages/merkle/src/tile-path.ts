// C2SP tlog-tiles path encoding: "tile/<L>/<N>[.p/<W>]" and "tile/entries/<N>[.p/<W>]", where N is
// written in 3-digit groups, every group but the last prefixed with "x" (x001/x234/067).
import { MerkleError } from './errors.js';

/** Tile height in tree levels (C2SP tlog-tiles: fixed at 8). */
export const TILE_HEIGHT = 8;
/** Hashes (or entries) in a full tile: 2^TILE_HEIGHT. */
export const TILE_WIDTH = 256;
/** Highest tile level a path may name (C2SP tlog-tiles: 0..63). */
export const MAX_TILE_LEVEL = 63;
const MAX_INDEX = (1n << 64n) - 1n;

/** A tile: `level` in tile levels (tree level 8·level), `index` among that level's tiles. */
export interface TileId {
  level: number;
  index: bigint;
}

/**
 * Path of hash tile (level, index); `width` 1..255 names a partial tile, omitted (or 256) the full
 * one. Example: tilePath(0, 1234067n, 5) = "tile/0/x001/x234/067.p/5".
 * @throws MerkleError `BAD_TILE_PATH` for a level outside 0..63, an index outside 0..2^64-1, or
 *   a width outside 1..256.
 */
export function tilePath(level: number, index: bigint, width?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new MerkleError('BAD_TILE_PATH', `tile level ${level} not in 0..${MAX_TILE_LEVEL}`);
  }
  return `tile/${level}/${encodeIndex(index, width)}`;
}

/**
 * Path of entry bundle `index` (entries 256·index ..), partial when `width` is 1..255.
 * @throws MerkleError `BAD_TILE_PATH` as `tilePath`.
 */
export function entriesPath(index: bigint, width?: number): string {
  return `tile/entries/${encodeIndex(index, width)}`;
}

/** Path of the entry bundle holding log entry `index` in a tree of `size` entries. */
export function entriesPathForLogIndex(index: bigint, size: bigint): string {
  if (index < 0n || index >= size) {
    throw new MerkleError('INDEX_OUT_OF_RANGE', `entry ${index} not in a tree of size ${size}`);
  }
  const n = index / 256n;
  const left = size - n * 256n;
  return entriesPath(n, left >= 256n ? undefined : Number(left));
}

function encodeIndex(index: bigint, width: number | undefined): string {
  if (index < 0n || index > MAX_INDEX) throw new MerkleError('BAD_TILE_PATH', `tile index ${index} out of range`);
  if (width !== undefined && (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)) {
    throw new MerkleError('BAD_TILE_PATH', `tile width ${width} not in 1..${TILE_WIDTH}`);
  }
  let digits = index.toString();
  digits = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  const n = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return width === undefined || width === TILE_WIDTH ? n : `${n}.p/${width}`;
}

/**
 * Parses a tile or entry-bundle path. `width` is 256 for a full tile.
 * Strict: no leading zeros in the level or width, exactly three digits per group, index below 2^64.
 * @throws MerkleError `BAD_TILE_PATH` naming the first problem.
 */
export function parseTilePath(path: string): { level: number | 'entries'; index: bigint; width: number } {
  const m = /^tile\/([^/]+)\/(.+)$/.exec(path);
  if (!m) throw new MerkleError('BAD_TILE_PATH', `not a tile path: ${JSON.stringify(path)}`);
  const [, levelStr, rest] = m as unknown as [string, string, string];
  let level: number | 'entries';
  if (levelStr === 'entries') level = 'entries';
  else if (/^(0|[1-9][0-9]?)$/.test(levelStr) && Number(levelStr) <= MAX_TILE_LEVEL) level = Number(levelStr);
  else throw new MerkleError('BAD_TILE_PATH', `bad tile level ${JSON.stringify(levelStr)}`);

  let width = TILE_WIDTH;
  let nPart = rest;
  const p = /^(.*)\.p\/([^/]*)$/.exec(rest);
  if (p) {
    const w = p[2]!;
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) >= TILE_WIDTH) {
      throw new MerkleError('BAD_TILE_PATH', `bad partial width ${JSON.stringify(w)}`);
    }
    width = Number(w);
    nPart = p[1]!;
  }
  const groups = nPart.split('/');
  const ok = groups.every((g, i) => (i < groups.length - 1 ? /^x[0-9]{3}$/ : /^[0-9]{3}$/).test(g));
  if (!ok) throw new MerkleError('BAD_TILE_PATH', `bad tile index ${JSON.stringify(nPart)}`);
  const index = BigInt(groups.map((g) => g.replace('x', '')).join(''));
  if (index > MAX_INDEX) throw new MerkleError('BAD_TILE_PATH', `tile index ${index} out of range`);
  return { level, index, width };
}
