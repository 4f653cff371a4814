import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatTileIndex, parseTilePath } from './tile-path.js';
import { LogError } from '../errors.js';

const vectors = JSON.parse(readFileSync(new URL('../../testdata/tile-paths.json', import.meta.url), 'utf8'));

test('parses every tessera path vector and rejects every bad one', () => {
  for (const v of vectors.parse) {
    const path = `${v.level}/${v.index}`;
    if (v.wantErr) {
      assert.throws(() => parseTilePath(path), (e: unknown) => e instanceof LogError && e.code === 'BAD_REQUEST', path);
    } else {
      assert.deepEqual(parseTilePath(path), { level: v.wantLevel, index: BigInt(v.wantN), width: v.wantWidth }, path);
    }
  }
});

test('round-trips the tilePath and entriesPath vectors', () => {
  for (const v of vectors.tilePath) {
    assert.deepEqual(parseTilePath(v.path.slice('tile/'.length)), { level: v.level, index: BigInt(v.n), width: v.width });
    assert.equal(`tile/${v.level}/${formatTileIndex(BigInt(v.n))}${v.width ? `.p/${v.width}` : ''}`, v.path);
  }
  for (const v of vectors.entriesPath) {
    assert.deepEqual(parseTilePath(v.path.slice('tile/'.length)), { level: 'entries', index: BigInt(v.n), width: v.width });
  }
});

test('rejects a missing index, leading zeros in the level and width 0', () => {
  for (const p of ['0', '00/000', '0/000.p/0', '0/000.p/007', 'entries/', '0/x000']) {
    assert.throws(() => parseTilePath(p), (e: unknown) => e instanceof LogError && e.code === 'BAD_REQUEST', p);
  }
});
