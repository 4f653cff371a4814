import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { rootOf } from './hasher.js';
import { nodeCoverage, rangeNodes, type NodeId } from './node-id.js';
import { consistencyNodes, consistencyProof, inclusionNodes, inclusionProof, rehashProof } from './proof.js';
import { assertThrowsCode, hex, loadVector, ReferenceTree, toHex } from './testonly/index.js';
import { consistencyProofSize, inclusionProofSize, verifyConsistency, verifyInclusion } from './verify.js';

// Vector file: merkle-larger-trees.json (tree D: d[i] = the single byte i)
const larger = loadVector('merkle-larger-trees.json');
const N = 130;
const treeD = new ReferenceTree(Array.from({ length: N }, (_, i) => Uint8Array.of(i)));
// The node source a store would be: hashes of perfect subtrees, by ID.
const source = (id: NodeId) => {
  const { begin, end } = nodeCoverage(id);
  assert.ok(end <= BigInt(N), `node ${id.level}/${id.index} beyond the tree`);
  return treeD.mth(Number(begin), Number(end));
};

test('the reference reproduces the upstream subtree-hash and subtree-inclusion digests', () => {
  const [hashes, inclusions] = larger.validatedAgainst.aggregates;
  const valid = (s: number, e: number) => s === 0 || s === e || s % (1 << Math.ceil(Math.log2(e - s))) === 0;
  const h1 = createHash('sha256');
  const h2 = createHash('sha256');
  for (let end = 0; end <= N; end++) {
    for (let start = 0; start <= end; start++) {
      if (!valid(start, end)) continue;
      h1.update(`[${start}, ${end}) ${toHex(treeD.mth(start, end))}\n`);
      const sub = new ReferenceTree(Array.from({ length: end - start }, (_, i) => Uint8Array.of(start + i)));
      for (let i = start; i < end; i++) {
        h2.update(`${i} [${start}, ${end})${sub.path(i - start, end - start).map((p) => ' ' + toHex(p)).join('')}\n`);
      }
    }
  }
  assert.equal(h1.digest('hex'), hashes.want);
  assert.equal(h2.digest('hex'), inclusions.want);
});

test('roots of tree D for sizes 0..130 match the vectors and the reference', () => {
  const leaves = Array.from({ length: N }, (_, i) => treeD.mth(i, i + 1));
  for (const r of larger.treeD.roots) {
    assert.equal(toHex(rootOf(leaves.slice(0, r.treeSize))), r.root);
    assert.equal(toHex(treeD.mth(0, r.treeSize)), r.root);
  }
});

test('inclusion proofs equal the reference for every (index, size) up to 130, and verify', () => {
  let checked = 0;
  for (let n = 1; n <= N; n++) {
    const root = treeD.mth(0, n);
    for (let m = 0; m < n; m++) {
      const want = treeD.path(m, n);
      const got = inclusionProof(BigInt(m), BigInt(n), source);
      assert.deepEqual(got, want, `PATH(${m}, ${n})`);
      assert.equal(inclusionProofSize(BigInt(m), BigInt(n)), want.length);
      verifyInclusion(BigInt(m), BigInt(n), treeD.mth(m, m + 1), got, root);
      checked++;
    }
  }
  assert.equal(checked, (N * (N + 1)) / 2);
});

test('consistency proofs equal the reference for every (size1, size2) up to 130, and verify', () => {
  for (let n = 1; n <= N; n++) {
    for (let m = 1; m <= n; m++) {
      const want = treeD.proof(m, n);
      const got = consistencyProof(BigInt(m), BigInt(n), source);
      assert.deepEqual(got, want, `PROOF(${m}, ${n})`);
      if (m < n) assert.equal(consistencyProofSize(BigInt(m), BigInt(n)), want.length);
      verifyConsistency(BigInt(m), BigInt(n), got, treeD.mth(0, m), treeD.mth(0, n));
    }
  }
});

test('upstream proof vectors of tree D equal the computed proofs', () => {
  for (const p of larger.treeD.inclusionProofs) {
    assert.deepEqual(inclusionProof(BigInt(p.leafIndex), BigInt(p.treeSize), source).map(toHex), p.proof);
  }
  for (const p of larger.treeD.consistencyProofs) {
    assert.deepEqual(consistencyProof(BigInt(p.size1), BigInt(p.size2), source).map(toHex), p.proof);
  }
});

test('proof nodes are perfect subtrees inside the tree, and at most one is ephemeral', () => {
  for (const [m, n] of [[0n, 1n], [0n, 3n], [4n, 5n], [1000n, 1001n], [12345n, 70000n], [(1n << 62n) + 5n, 1n << 63n]]) {
    const nodes = inclusionNodes(m!, n!);
    for (const id of nodes.ids) assert.ok(nodeCoverage(id).end <= n!);
    assert.equal(rehashProof(nodes, nodes.ids.map(() => new Uint8Array(32))).length, inclusionProofSize(m!, n!));
  }
  const c = consistencyNodes(6n, 8n);
  assert.deepEqual(c.ids, [{ level: 1, index: 2n }, { level: 1, index: 3n }, { level: 2, index: 0n }]);
  assert.equal(c.ephem, null);
  assert.deepEqual(consistencyNodes(0n, 5n).ids, []);
  assert.deepEqual(consistencyNodes(5n, 5n).ids, []);
  assert.deepEqual(rangeNodes(0n, 7n), [{ level: 2, index: 0n }, { level: 1, index: 2n }, { level: 0, index: 6n }]);
});

test('bad arguments are rejected with codes', () => {
  assertThrowsCode(() => inclusionNodes(5n, 5n), 'INDEX_OUT_OF_RANGE');
  assertThrowsCode(() => inclusionNodes(-1n, 5n), 'INDEX_OUT_OF_RANGE');
  assertThrowsCode(() => inclusionNodes(0n, 0n), 'INDEX_OUT_OF_RANGE');
  assertThrowsCode(() => consistencyNodes(6n, 5n), 'BAD_SIZES');
  assertThrowsCode(() => consistencyNodes(-1n, 5n), 'BAD_SIZES');
  assertThrowsCode(() => rehashProof(inclusionNodes(0n, 5n), [hex('00')]), 'WRONG_PROOF_SIZE');
});
