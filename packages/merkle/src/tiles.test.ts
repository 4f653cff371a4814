import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { hashLeaf } from './hasher.js';
import { appendLeaves, rightEdgeTiles } from './tile-append.js';
import { tilePath } from './tile-path.js';
import { assertThrowsCode, loadVector, ReferenceTree, toHex } from './testonly/index.js';
import {
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  nodeHashFromTiles,
  rootFromTiles,
  tileWidthAt,
  tilesForConsistency,
  tilesForInclusion,
  tilesForRoot,
  type TileSource,
} from './tiles.js';

// Vector files: merkle-larger-trees.json (tiles600), tile-paths.json (specExample)
const t600 = loadVector('merkle-larger-trees.json').tiles600;
const spec = loadVector('tile-paths.json').specExample;

const entries = Array.from({ length: 600 }, (_, i) => Uint8Array.of(i >> 8, i & 255));
const store = new Map<string, Uint8Array>();
const source: TileSource = (l, i) => {
  const t = store.get(`${l}/${i}`);
  if (!t) throw new Error(`test store has no tile ${l}/${i}`);
  return t;
};
const built = appendLeaves(0n, source, entries.map(hashLeaf));
for (const t of built.tiles) store.set(`${t.level}/${t.index}`, t.hashes);
const ref = new ReferenceTree(entries);

test('tile widths follow the C2SP example (tree of 70000)', () => {
  for (const l of spec.tiles) {
    for (let n = 0; n < l.fullTiles; n++) assert.equal(tileWidthAt(l.level, BigInt(n), 70000n), 256);
    assert.equal(tileWidthAt(l.level, BigInt(l.fullTiles), 70000n), l.partialWidth);
    assert.equal(tileWidthAt(l.level, BigInt(l.fullTiles + 1), 70000n), 0);
  }
  assert.deepEqual(rightEdgeTiles(70000n), [
    { level: 0, index: 273n, width: 112 },
    { level: 1, index: 1n, width: 17 },
    { level: 2, index: 0n, width: 1 },
  ]);
  assert.deepEqual(rightEdgeTiles(256n), [{ level: 1, index: 0n, width: 1 }]);
  assert.deepEqual(rightEdgeTiles(0n), []);
});

test('tiles600: every tile byte-exact, root, and proofs from tiles equal the vectors', () => {
  assert.equal(toHex(built.root), t600.root);
  for (const t of t600.tiles) {
    const bytes = store.get(`${t.level}/${t.n}`)!;
    assert.equal(tilePath(t.level, BigInt(t.n), t.width), t.path);
    assert.equal(bytes.length, t.bytes);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), t.sha256OfTile, t.path);
    if (t.tileHex) assert.equal(toHex(bytes), t.tileHex);
    else {
      assert.equal(toHex(bytes.subarray(0, 32)), t.firstHash);
      assert.equal(toHex(bytes.subarray(-32)), t.lastHash);
    }
  }
  assert.equal(store.size, t600.tiles.length);
  const ip = t600.inclusionProofIndex300;
  assert.deepEqual(inclusionProofFromTiles(300n, 600n, source).map(toHex), ip.proof);
  for (const c of [t600.consistency512to600, t600.consistency256to600]) {
    assert.deepEqual(consistencyProofFromTiles(BigInt(c.size1), BigInt(c.size2), source).map(toHex), c.proof);
    assert.equal(toHex(rootFromTiles(BigInt(c.size1), source)), c.root1);
  }
});

test('tilesFor* list exactly the tiles the computation reads', () => {
  const reads = (f: (s: TileSource) => unknown) => {
    const seen = new Set<string>();
    f((l, i) => (seen.add(`${l}/${i}`), source(l, i)));
    return [...seen].sort();
  };
  const keys = (ts: { level: number; index: bigint }[]) => ts.map((t) => `${t.level}/${t.index}`).sort();
  for (const [m, n] of [[0n, 600n], [300n, 600n], [599n, 600n], [255n, 256n], [256n, 513n], [10n, 11n]] as const) {
    assert.deepEqual(keys(tilesForInclusion(m, n)), reads((s) => inclusionProofFromTiles(m, n, s)), `incl ${m} ${n}`);
    assert.deepEqual(keys(tilesForConsistency(m + 1n, n)), reads((s) => consistencyProofFromTiles(m + 1n, n, s)));
    assert.deepEqual(keys(tilesForRoot(n)), reads((s) => rootFromTiles(n, s)));
  }
  assert.deepEqual(tilesForInclusion(300n, 600n), [
    { level: 0, index: 1n, width: 256 },
    { level: 0, index: 2n, width: 88 },
    { level: 1, index: 0n, width: 2 },
  ]);
});

test('proofs and roots from tiles equal the reference for sizes 1..600 (served by the size-600 tiles)', () => {
  // Every pair near the tile boundary and for small trees; a stride elsewhere keeps this fast.
  const dense = (n: number) => n <= 40 || (n >= 255 && n <= 257) || n === 513 || n === 600;
  for (let n = 1; n <= 600; n++) {
    const N = BigInt(n);
    assert.deepEqual(rootFromTiles(N, source), ref.mth(0, n), `root ${n}`);
    const step = dense(n) ? 1 : 37;
    for (let m = n - 1; m >= 0; m -= step) assert.deepEqual(inclusionProofFromTiles(BigInt(m), N, source), ref.path(m, n));
    for (let m = n; m >= 1; m -= step) assert.deepEqual(consistencyProofFromTiles(BigInt(m), N, source), ref.proof(m, n));
  }
});

test('a tile narrower than needed or malformed is rejected with BAD_TILE', () => {
  const narrow: TileSource = (l, i) => source(l, i).subarray(0, 32 * 10);
  assertThrowsCode(() => inclusionProofFromTiles(300n, 600n, narrow), 'BAD_TILE');
  assertThrowsCode(() => rootFromTiles(600n, () => new Uint8Array(33)), 'BAD_TILE');
  assertThrowsCode(() => nodeHashFromTiles({ level: 3, index: 0n }, () => new Uint8Array(32 * 7)), 'BAD_TILE');
  assertThrowsCode(() => rootFromTiles(-1n, source), 'BAD_SIZES');
  assertThrowsCode(() => tilesForInclusion(600n, 600n), 'INDEX_OUT_OF_RANGE');
});
