import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashLeaf, rootOf, verifyConsistency, verifyInclusion } from '@signet/merkle';
import { tilesOf } from '../testonly/tiles-of.js';
import { TileCache, expandTile } from './tile-cache.js';
import { EMPTY_ROOT, type EdgeMemo, TreeReader, tileWidthAt } from './tree-reader.js';

const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => hashLeaf(new TextEncoder().encode(`leaf ${i}`)));

/** A reader over the tiles of `hashes[0:size]` (computed naively), all available. */
function readerFor(all: Uint8Array[], size: number): TreeReader {
  const tiles = tilesOf(all.slice(0, size));
  return new TreeReader(BigInt(size), (level, index, minWidth) => {
    const t = tiles.get(`${level}/${index}`);
    return t !== undefined && t.hashes.length >= minWidth * 32 ? expandTile(level, BigInt(index), t.hashes) : undefined;
  });
}

describe('TreeReader', () => {
  const all = leaves(600);

  it('computes the root of every size up to 600 (three tile levels)', () => {
    assert.deepEqual(readerFor(all, 0).root(), EMPTY_ROOT);
    for (let n = 1; n <= 600; n += n < 70 ? 1 : 13) {
      assert.deepEqual(readerFor(all, n).root(), rootOf(all.slice(0, n)), `size ${n}`);
    }
    assert.deepEqual(readerFor(all, 512).root(), rootOf(all.slice(0, 512)));
    assert.deepEqual(readerFor(all, 257).root(), rootOf(all.slice(0, 257)));
  });

  it('gives inclusion proofs that verify, for many (index, size) pairs', () => {
    for (const n of [1, 2, 3, 7, 8, 9, 255, 256, 257, 300, 511, 512, 513, 600]) {
      const r = readerFor(all, n);
      const root = rootOf(all.slice(0, n));
      for (let i = 0; i < n; i += n > 40 ? 17 : 1) {
        verifyInclusion(BigInt(i), BigInt(n), all[i]!, r.inclusion(BigInt(i)), root);
      }
      verifyInclusion(BigInt(n - 1), BigInt(n), all[n - 1]!, r.inclusion(BigInt(n - 1)), root);
      assert.equal(r.missing.length, 0);
    }
  });

  it('gives consistency proofs that verify, for many (size1, size2) pairs', () => {
    for (const n of [1, 2, 5, 8, 100, 256, 257, 513, 600]) {
      const r = readerFor(all, n);
      const root = rootOf(all.slice(0, n));
      for (let m = 1; m <= n; m += n > 40 ? 11 : 1) {
        verifyConsistency(BigInt(m), BigInt(n), r.consistency(BigInt(m)), rootOf(all.slice(0, m)), root);
      }
      assert.deepEqual(r.consistency(BigInt(n)), []);
    }
  });

  it('shares right-edge hashes of one size through an EdgeMemo, never ones computed with tiles missing', () => {
    const n = 599; // 0b1001010111: a right edge of seven perfect subtrees
    const tiles = tilesOf(all.slice(0, n));
    let hide = true; // first pass: the level-1 tile is missing
    const lookup = (level: number, index: number, minWidth: number) => {
      const t = tiles.get(`${level}/${index}`);
      if (t === undefined || t.hashes.length < minWidth * 32 || (hide && level === 1)) return undefined;
      return expandTile(level, BigInt(index), t.hashes);
    };
    const memo: EdgeMemo = { size: BigInt(n), ranges: new Map() };
    const first = new TreeReader(BigInt(n), lookup, memo);
    first.inclusion(3n);
    assert.notEqual(first.missing.length, 0);
    const storedWhileMissing = memo.ranges.size;
    hide = false;
    const root = rootOf(all.slice(0, n));
    for (let i = 0; i < n; i += 7) {
      const r = new TreeReader(BigInt(n), lookup, memo);
      verifyInclusion(BigInt(i), BigInt(n), all[i]!, r.inclusion(BigInt(i)), root);
      assert.deepEqual(r.root(), root);
    }
    assert.ok(memo.ranges.size > storedWhileMissing && memo.ranges.size <= 10);
    // A memo of another size is not used.
    const other: EdgeMemo = { size: 7n, ranges: new Map([[0, new Uint8Array(32)]]) };
    assert.deepEqual(new TreeReader(BigInt(n), lookup, other).root(), root);
  });

  it('reports the tiles it lacks, with their widths at the size', () => {
    const r = new TreeReader(600n, () => undefined);
    r.inclusion(5n);
    assert.deepEqual(
      r.missing.map((m) => `${m.level}/${m.index}@${m.width}`).sort(),
      ['0/0@256', '0/2@88', '1/0@2'].sort(),
    );
  });

  it('finds the right tiles in trees far beyond 2^32 leaves, and refuses sizes of 2^53 or more', () => {
    // size 2^52 + 3, leaf 2^52 + 1: the path folds MTH(D[0:2^52]) (level-6 tile 0, row 4, 16 wide at
    // this size), then leaves 2^52 + 2 and 2^52, both in level-0 tile 2^44, 3 wide at this size.
    const size = 2n ** 52n + 3n;
    const r = new TreeReader(size, () => undefined);
    assert.equal(r.inclusion(2n ** 52n + 1n).length, 3);
    assert.deepEqual(r.missing.map((m) => `${m.level}/${m.index}@${m.width}`).sort(), [`0/${2n ** 44n}@3`, '6/0@16'].sort());
    const c = new TreeReader(size, () => undefined);
    c.consistency(2n ** 52n);
    assert.deepEqual(c.missing.map((m) => `${m.level}/${m.index}@${m.width}`).sort(), [`0/${2n ** 44n}@3`].sort());
    assert.throws(() => new TreeReader(2n ** 53n, () => undefined), (e: Error & { code?: string }) => e.code === 'STORAGE_FAILURE');
  });

  it('tileWidthAt follows C2SP widths', () => {
    assert.equal(tileWidthAt(0, 0n, 0n), 0);
    assert.equal(tileWidthAt(0, 0n, 255n), 255);
    assert.equal(tileWidthAt(0, 0n, 300n), 256);
    assert.equal(tileWidthAt(0, 1n, 300n), 44);
    assert.equal(tileWidthAt(1, 0n, 300n), 1);
    assert.equal(tileWidthAt(1, 0n, 255n), 0);
    assert.equal(tileWidthAt(2, 0n, 65536n), 1);
  });
});

describe('TileCache', () => {
  it('keeps the widest version and grows a tile incrementally to the same rows', () => {
    const t = tilesOf(leaves(256)).get('0/0')!.hashes;
    const cache = new TileCache();
    cache.put(0, 0n, t.slice(0, 100 * 32));
    assert.equal(cache.get(0, 0n, 101), undefined);
    const grown = cache.put(0, 0n, t);
    assert.deepEqual(grown.rows, expandTile(0, 0n, t).rows);
    assert.equal(cache.put(0, 0n, t.slice(0, 32)).width, 256, 'a narrower put keeps the wider tile');
    assert.equal(cache.get(0, 0n, 50)!.width, 256);
  });

  it('evicts least-recently-used tiles beyond its byte bound', () => {
    const t = tilesOf(leaves(256)).get('0/0')!.hashes;
    const cache = new TileCache(40_000); // room for two expanded full tiles (~16 KiB each)
    cache.put(0, 0n, t);
    cache.put(0, 1n, t);
    cache.get(0, 0n, 1); // 0/0 is now more recent than 0/1
    cache.put(0, 2n, t);
    assert.equal(cache.size, 2);
    assert.ok(cache.get(0, 0n, 1));
    assert.equal(cache.get(0, 1n, 1), undefined);
  });
});
