import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_ROOT, hashChildren, hashLeaf, rootOf } from './hasher.js';
import { assertThrowsCode, hex, loadVector, toHex } from './testonly/index.js';

// Vector file: rfc6962-roots.json
const v = loadVector('rfc6962-roots.json');

test('empty root, leaf and node hashes match RFC 6962 vectors', () => {
  assert.equal(toHex(EMPTY_ROOT), v.hasher.emptyRoot.hash);
  for (const l of v.hasher.leafHashes) assert.equal(toHex(hashLeaf(hex(l.leafInput))), l.leafHash, l.desc);
  for (const n of v.hasher.nodeHashes) assert.equal(toHex(hashChildren(hex(n.left), hex(n.right))), n.nodeHash, n.desc);
});

test('roots of the 8-leaf tree at every size, and its complete-subtree hashes', () => {
  const leaves = v.tree.leafInputs.map((s: string) => hashLeaf(hex(s)));
  for (const r of v.tree.roots) assert.equal(toHex(rootOf(leaves.slice(0, r.treeSize))), r.root, `size ${r.treeSize}`);
  v.tree.nodeHashes.forEach((row: string[], level: number) => {
    row.forEach((h, i) => {
      const span = 1 << level;
      assert.equal(toHex(rootOf(leaves.slice(i * span, (i + 1) * span))), h, `node ${level}/${i}`);
    });
  });
});

test('hashes are plain Uint8Arrays of 32 bytes', () => {
  const h = hashLeaf(new Uint8Array(0));
  assert.equal(Object.getPrototypeOf(h), Uint8Array.prototype);
  assert.equal(h.length, 32);
});

test('rootOf rejects a leaf hash that is not 32 bytes', () => {
  assertThrowsCode(() => rootOf([new Uint8Array(32), new Uint8Array(31)]), 'BAD_HASH_SIZE');
});
