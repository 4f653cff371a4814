import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEntryBundle, parseEntryBundle } from './entry-bundle.js';
import { assertThrowsCode } from './testonly/index.js';

test('entry bundles round-trip, including empty and maximal entries', () => {
  const entries = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(0xffff).fill(7)];
  const b = encodeEntryBundle(entries);
  assert.equal(b.length, 2 + 5 + 2 + 0xffff);
  assert.deepEqual(parseEntryBundle(b), entries);
  assert.deepEqual(parseEntryBundle(new Uint8Array(0)), []);
});

test('bad bundles and oversized inputs are rejected with BAD_BUNDLE', () => {
  assertThrowsCode(() => parseEntryBundle(Uint8Array.of(0)), 'BAD_BUNDLE');
  assertThrowsCode(() => parseEntryBundle(Uint8Array.of(0, 3, 1, 2)), 'BAD_BUNDLE');
  assertThrowsCode(() => parseEntryBundle(new Uint8Array(2 * 257)), 'BAD_BUNDLE');
  assertThrowsCode(() => encodeEntryBundle([new Uint8Array(0x10000)]), 'BAD_BUNDLE');
  assertThrowsCode(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0))), 'BAD_BUNDLE');
});
