import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from './bytes.js';
import { EMPTY_ROOT, hashLeaf } from './hasher.js';
import { appendLeaves, rightEdgeTiles } from './tile-append.js';
import { assertThrowsCode, ReferenceTree } from './testonly/index.js';
import { consistencyProofFromTiles, inclusionProofFromTiles, rootFromTiles, tileWidthAt, type TileSource } from './tiles.js';

/** A tile store in memory, as the log keeps it: only the newest version of each tile. */
class MemoryTiles {
  readonly tiles = new Map<string, Uint8Array>();
  readonly source: TileSource = (l, i) => {
    const t = this.tiles.get(`${l}/${i}`);
    if (!t) throw new Error(`no tile ${l}/${i}`);
    return t;
  };
}

/** What tile (level, index) must hold at `size`, from the reference tree. */
function expectedTile(ref: ReferenceTree, level: number, index: number, size: number): Uint8Array {
  const span = 256 ** level;
  const width = tileWidthAt(level, BigInt(index), BigInt(size));
  const hashes = [];
  for (let j = 0; j < width; j++) {
    const start = (index * 256 + j) * span;
    hashes.push(ref.mth(start, start + span));
  }
  return concatBytes(...hashes);
}

/** Appends `batches` from size 0, checking root, written tiles and reads after every batch. */
function build(leafHashes: Uint8Array[], ref: ReferenceTree, batches: number[]): MemoryTiles {
  const store = new MemoryTiles();
  let size = 0;
  for (const n of batches) {
    const reads = new Set<string>();
    const spy: TileSource = (l, i) => (reads.add(`${l}/${i}`), store.source(l, i));
    const res = appendLeaves(BigInt(size), spy, leafHashes.slice(size, size + n));
    const edge = rightEdgeTiles(BigInt(size)).map((t) => `${t.level}/${t.index}`);
    assert.deepEqual([...reads].sort(), edge.sort(), `reads at ${size}+${n}`);
    const newSize = size + n;
    assert.equal(res.size, BigInt(newSize));
    assert.deepEqual(res.root, ref.mth(0, newSize), `root at ${newSize}`);
    for (const t of res.tiles) {
      assert.deepEqual(t.hashes, expectedTile(ref, t.level, Number(t.index), newSize), `tile ${t.level}/${t.index} at ${newSize}`);
      store.tiles.set(`${t.level}/${t.index}`, t.hashes);
    }
    // Exactly the tiles whose width changed were written.
    const changed = [...store.tiles.keys()].filter((k) => {
      const [l, i] = k.split('/').map(Number) as [number, number];
      return tileWidthAt(l, BigInt(i), BigInt(size)) !== tileWidthAt(l, BigInt(i), BigInt(newSize));
    });
    assert.deepEqual(res.tiles.map((t) => `${t.level}/${t.index}`).sort(), changed.sort());
    size = newSize;
  }
  return store;
}

const small = Array.from({ length: 1100 }, (_, i) => hashLeaf(Uint8Array.of(i & 255, i >> 8, 7)));
const smallRef = new ReferenceTree(small, { hashed: true });

test('appendLeaves: every batch shape gives the reference root and the exact tiles', () => {
  const shapes: Record<string, number[]> = {
    'all at once': [1100],
    'tile-sized': [256, 256, 256, 256, 76],
    'off by one around tile edges': [255, 1, 257, 255, 2, 330],
    'crossing two tile edges at once': [3, 600, 497],
    'ragged': [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 115],
  };
  let finalTiles: Map<string, Uint8Array> | undefined;
  for (const [name, batches] of Object.entries(shapes)) {
    assert.equal(batches.reduce((a, b) => a + b), 1100, name);
    const store = build(small, smallRef, batches);
    if (finalTiles) assert.deepEqual(store.tiles, finalTiles, name);
    finalTiles = store.tiles;
  }
});

test('appendLeaves one leaf at a time up to 300', () => {
  build(small, smallRef, Array.from({ length: 300 }, () => 1));
});

test('70,000 leaves crossing the 256² boundary: level-2 tile, roots and proofs equal the reference', () => {
  const leaves = Array.from({ length: 70000 }, (_, i) => hashLeaf(Uint8Array.of(i >> 16, (i >> 8) & 255, i & 255)));
  const ref = new ReferenceTree(leaves, { hashed: true });
  // 65535 → 65536 fills tile 0/255, tile 1/0 and creates tile 2/0; the last batch crosses again.
  const store = build(leaves, ref, [60000, 5535, 1, 1, 4000, 463]);
  assert.deepEqual(store.tiles.get('2/0'), ref.mth(0, 65536));
  assert.equal(store.tiles.get('1/0')!.length, 256 * 32);
  assert.equal(store.tiles.get('1/1')!.length, 17 * 32);
  assert.equal(store.tiles.get('0/273')!.length, 112 * 32);
  const src = store.source;
  for (const n of [65535, 65536, 65537, 69999, 70000]) {
    assert.deepEqual(rootFromTiles(BigInt(n), src), ref.mth(0, n));
    for (const m of [0, 1, 255, 256, 65279, 65535, n - 1]) {
      if (m >= n) continue;
      assert.deepEqual(inclusionProofFromTiles(BigInt(m), BigInt(n), src), ref.path(m, n), `PATH(${m}, ${n})`);
    }
    for (const m of [1, 256, 1000, 65535, 65536, n - 1, n]) {
      if (m > n) continue;
      assert.deepEqual(consistencyProofFromTiles(BigInt(m), BigInt(n), src), ref.proof(m, n), `PROOF(${m}, ${n})`);
    }
  }
});

test('appendLeaves edge cases and bad input', () => {
  assert.deepEqual(appendLeaves(0n, () => assert.fail('no read'), []), { size: 0n, root: EMPTY_ROOT, tiles: [] });
  const store = build(small, smallRef, [300]);
  assert.deepEqual(appendLeaves(300n, store.source, []), { size: 300n, root: smallRef.mth(0, 300), tiles: [] });
  assertThrowsCode(() => appendLeaves(300n, store.source, [new Uint8Array(31)]), 'BAD_HASH_SIZE');
  assertThrowsCode(() => appendLeaves(-1n, store.source, []), 'BAD_SIZES');
  assertThrowsCode(() => rightEdgeTiles(-1n), 'BAD_SIZES');
  // The stored partial tile is narrower than the claimed size needs.
  assertThrowsCode(() => appendLeaves(301n, store.source, [small[301]!]), 'BAD_TILE');
});

test('a source serving a wider tile than the size being grown: its nodes past the size are not reused', () => {
  // The tile as a longer tree (or a forked writer) left it: the first 100 hashes are ours, the
  // next 50 are not. Computing a root at size 150 caches the interior nodes of that wide tile.
  const foreign = Array.from({ length: 50 }, (_, i) => hashLeaf(Uint8Array.of(i, 0xff)));
  const wide = concatBytes(...small.slice(0, 100), ...foreign);
  const source: TileSource = () => wide;
  assert.notDeepEqual(rootFromTiles(150n, source), smallRef.mth(0, 150));
  // Growing size 100 by 60 of our leaves must give the reference root and tile anyway.
  const res = appendLeaves(100n, source, small.slice(100, 160));
  assert.deepEqual(res.root, smallRef.mth(0, 160));
  assert.deepEqual(res.tiles, [{ level: 0, index: 0n, hashes: concatBytes(...small.slice(0, 160)) }]);
  // And the grown tile serves proofs that match the reference.
  const grown = res.tiles[0]!.hashes;
  for (const m of [0, 99, 100, 127, 128, 159]) {
    assert.deepEqual(inclusionProofFromTiles(BigInt(m), 160n, () => grown), smallRef.path(m, 160), `PATH(${m}, 160)`);
  }
});
