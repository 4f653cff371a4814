import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogError } from '../errors.js';
import { queryInteger } from './query.js';

test('queryInteger converts safe integers', () => {
  assert.equal(queryInteger(0, 'logIndex'), 0n);
  assert.equal(queryInteger(Number.MAX_SAFE_INTEGER, 'logIndex'), 9007199254740991n);
});

test('queryInteger refuses Infinity, NaN, fractions and unsafe integers with BAD_REQUEST naming the parameter', () => {
  for (const bad of [Infinity, -Infinity, NaN, 1.5, 2 ** 64, 1e30]) {
    assert.throws(() => queryInteger(bad, 'lastSize'), (e: unknown) => e instanceof LogError && e.code === 'BAD_REQUEST' && /lastSize/.test(e.message), String(bad));
  }
});
