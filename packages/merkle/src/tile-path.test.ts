import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertThrowsCode, loadVector } from './testonly/index.js';
import { entriesPath, entriesPathForLogIndex, parseTilePath, tilePath } from './tile-path.js';

// Vector file: tile-paths.json
const v = loadVector('tile-paths.json');
const big = (x: number | string) => BigInt(x);
const width = (w: number) => (w === 0 ? undefined : w);

test('tilePath and entriesPath encode the upstream vectors', () => {
  for (const c of v.tilePath) assert.equal(tilePath(c.level, big(c.n), width(c.width)), c.path);
  for (const c of v.entriesPath) assert.equal(entriesPath(big(c.n), width(c.width)), c.path);
  for (const c of v.entriesPathForLogIndex) assert.equal(entriesPathForLogIndex(big(c.index), big(c.treeSize)), c.path);
  assert.equal(tilePath(0, 1234067n, 5), 'tile/0/x001/x234/067.p/5');
  assert.equal(tilePath(2, 0n, 256), 'tile/2/000');
});

test('parseTilePath accepts every valid vector and rejects every wantErr vector', () => {
  let rejected = 0;
  for (const c of v.parse) {
    const path = `tile/${c.level}/${c.index}`;
    if (c.wantErr) {
      assertThrowsCode(() => parseTilePath(path), 'BAD_TILE_PATH', path);
      rejected++;
    } else {
      assert.deepEqual(parseTilePath(path), { level: c.wantLevel, index: big(c.wantN), width: c.wantWidth || 256 }, path);
    }
  }
  assert.equal(rejected, 15);
});

test('paths round-trip through parseTilePath', () => {
  for (const c of v.tilePath) {
    assert.deepEqual(parseTilePath(c.path), { level: c.level, index: big(c.n), width: c.width || 256 });
  }
  for (const c of v.entriesPath) {
    assert.deepEqual(parseTilePath(c.path), { level: 'entries', index: big(c.n), width: c.width || 256 });
  }
});

test('bad paths and arguments are rejected with codes', () => {
  for (const p of ['', 'tile/0', 'tile/0/', 'tiles/0/000', 'tile/00/000', 'tile/0/000.p/0', 'tile/0/000.p/007', 'tile/0/x000', 'tile/entries/00']) {
    assertThrowsCode(() => parseTilePath(p), 'BAD_TILE_PATH', p);
  }
  assertThrowsCode(() => tilePath(64, 0n), 'BAD_TILE_PATH');
  assertThrowsCode(() => tilePath(-1, 0n), 'BAD_TILE_PATH');
  assertThrowsCode(() => tilePath(0, -1n), 'BAD_TILE_PATH');
  assertThrowsCode(() => tilePath(0, 1n << 64n), 'BAD_TILE_PATH');
  assertThrowsCode(() => tilePath(0, 0n, 0), 'BAD_TILE_PATH');
  assertThrowsCode(() => entriesPath(0n, 257), 'BAD_TILE_PATH');
  assertThrowsCode(() => entriesPathForLogIndex(5n, 5n), 'INDEX_OUT_OF_RANGE');
});
