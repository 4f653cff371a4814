import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from './canonical-json.js';
import { TrustError } from './errors.js';

test('sorts keys, drops whitespace, escapes only quote and backslash', () => {
  assert.equal(
    canonicalJson({ b: 1, a: [true, null, 'x"y\\z\n'], c: { z: 'é', y: -2 } }),
    '{"a":[true,null,"x\\"y\\\\z\n"],"b":1,"c":{"y":-2,"z":"é"}}',
  );
});

test('omits undefined members like JSON.stringify', () => {
  assert.equal(canonicalJson({ a: undefined, b: 2 }), '{"b":2}');
});

test('refuses floats and non-JSON values', () => {
  for (const bad of [1.5, Number.NaN, 2 ** 60, () => 1, 1n]) {
    assert.throws(() => canonicalJson({ x: bad }), (e: unknown) => e instanceof TrustError && e.code === 'BAD_METADATA');
  }
});
