import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matches, verifyBundle } from './verify.js';
import { ClientError } from './errors.js';

test('exact identities match only themselves', () => {
  assert.equal(matches({ exact: 'alice@example.com' }, 'alice@example.com'), true);
  assert.equal(matches({ exact: 'alice@example.com' }, 'xalice@example.com'), false);
  assert.equal(matches({ exact: 'alice@example.com' }, 'alice@exampleZcom'), false);
});

test('regular expressions are anchored at both ends (unlike sigstore-js)', () => {
  const m = { regexp: 'alice@example\\.com' };
  assert.equal(matches(m, 'alice@example.com'), true);
  assert.equal(matches(m, 'xalice@example.com'), false);
  assert.equal(matches(m, 'alice@example.com.evil'), false);
  assert.equal(matches({ regexp: '.*@example\\.com|bob@other\\.org' }, 'x@example.com.evil'), false, 'alternation stays inside the anchors');
  assert.equal(matches({ regexp: 'https://github\\.com/acme/.+' }, 'https://github.com/acme/repo/.github/workflows/release.yml@refs/heads/main'), true);
});

test('an invalid regexp is a usage error', () => {
  assert.throws(() => matches({ regexp: '(' }, 'x'), (e: unknown) => e instanceof ClientError && e.code === 'USAGE');
});

test('a non-bundle is BAD_BUNDLE; a bundle without policy is a usage error', () => {
  assert.throws(() => verifyBundle({ bundle: { hello: 1 }, trustedRoot: {} }), (e: unknown) => e instanceof ClientError && e.code === 'BAD_BUNDLE');
});
