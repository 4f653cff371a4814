import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MerkleError } from './errors.js';
import { hashLeaf } from './hasher.js';
import { assertThrowsCode, hex, loadVector, ReferenceTree } from './testonly/index.js';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.js';

// Vector files: inclusion-proofs.json, consistency-proofs.json, merkle-larger-trees.json
const inc = loadVector('inclusion-proofs.json');
const con = loadVector('consistency-proofs.json');
const larger = loadVector('merkle-larger-trees.json');
const hexes = (a: string[]) => a.map(hex);

test('inclusion vectors verify (8-leaf tree and tree D up to 130)', () => {
  for (const p of [...inc.vectors, ...larger.treeD.inclusionProofs]) {
    verifyInclusion(BigInt(p.leafIndex), BigInt(p.treeSize), hex(p.leafHash), hexes(p.proof), hex(p.root));
  }
  for (const p of inc.vectors) assert.deepEqual(hashLeaf(hex(p.leafInput)), hex(p.leafHash));
});

test('consistency vectors verify (8-leaf tree and tree D up to 130)', () => {
  for (const p of [...con.vectors, ...larger.treeD.consistencyProofs]) {
    verifyConsistency(BigInt(p.size1), BigInt(p.size2), hexes(p.proof), hex(p.root1), hex(p.root2));
  }
});

// The JSON numbers include 2^64-1, which JSON.parse rounds; take those from the raw text instead.
function exactIndex(n: number): bigint {
  return n > Number.MAX_SAFE_INTEGER ? (1n << 64n) - 1n : BigInt(n);
}

test('every inclusion probe: happy paths pass, wantErr probes are rejected with a MerkleError', () => {
  let rejected = 0;
  for (const p of inc.probes) {
    const run = () =>
      verifyInclusion(exactIndex(p.leafIdx), BigInt(p.treeSize), hex(p.leafHash), hexes(p.proof), hex(p.root));
    if (p.wantErr) {
      assert.throws(run, MerkleError, `${p.file}`);
      rejected++;
    } else run();
  }
  assert.equal(rejected, inc.probes.filter((p: any) => p.wantErr).length);
  assert.ok(rejected > 80);
});

test('every consistency probe: happy paths pass, wantErr probes are rejected with a MerkleError', () => {
  let rejected = 0;
  for (const p of con.probes) {
    const run = () => verifyConsistency(BigInt(p.size1), BigInt(p.size2), hexes(p.proof), hex(p.root1), hex(p.root2));
    if (p.wantErr) {
      assert.throws(run, MerkleError, `${p.file}`);
      rejected++;
    } else run();
  }
  assert.ok(rejected > 80);
});

test('inclusion probes fail with the code naming the mutation', () => {
  const byDesc = new Map<string, string>([
    ['empty root', 'ROOT_MISMATCH'],
    ['random root', 'ROOT_MISMATCH'],
    ['inserted component', 'WRONG_PROOF_SIZE'],
    ['removed component', 'WRONG_PROOF_SIZE'],
    ['trailing garbage', 'WRONG_PROOF_SIZE'],
    ['preceding garbage', 'WRONG_PROOF_SIZE'],
    ['wrong leaf', 'BAD_HASH_SIZE'],
  ]);
  for (const p of inc.probes.filter((x: any) => x.wantErr && byDesc.has(x.desc) && /inclusion\/[0-9]\//.test(x.file))) {
    assertThrowsCode(
      () => verifyInclusion(BigInt(p.leafIdx), BigInt(p.treeSize), hex(p.leafHash), hexes(p.proof), hex(p.root)),
      byDesc.get(p.desc) as any,
      p.file,
    );
  }
});

test('consistency probes fail with the code naming the mutation', () => {
  const byDesc = new Map<string, string>([
    ['empty proof', 'WRONG_PROOF_SIZE'],
    ['truncated proof', 'WRONG_PROOF_SIZE'],
    ['trailing garbage', 'WRONG_PROOF_SIZE'],
    ['swapped roots', 'ROOT_MISMATCH'],
    ['modified proof@0 bit @4', 'ROOT_MISMATCH'],
    ['size1 is greater than size2', 'BAD_SIZES'],
    ['consistency check on empty tree (size1 is zero) is useless', 'BAD_SIZES'],
    ['sizes are equal (one) but roots are not', 'ROOT_MISMATCH'],
    ['sizes match but proof is not empty and sizes are one', 'WRONG_PROOF_SIZE'],
  ]);
  let n = 0;
  for (const p of con.probes.filter((x: any) => x.wantErr && byDesc.has(x.desc))) {
    n++;
    assertThrowsCode(
      () => verifyConsistency(BigInt(p.size1), BigInt(p.size2), hexes(p.proof), hex(p.root1), hex(p.root2)),
      byDesc.get(p.desc) as any,
      p.file,
    );
  }
  assert.ok(n >= 20);
});

// Mutation sweep over a 37-leaf tree: every bit flip, extra/missing hash and wrong size is caught.
const tree = new ReferenceTree(Array.from({ length: 37 }, (_, i) => Uint8Array.of(i, i >> 8)));
const flip = (h: Uint8Array, bit: number) => {
  const c = h.slice();
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
};

test('inclusion mutations: flipped bits, extra and missing hashes, wrong index and size', () => {
  for (const [m, n] of [[0, 37], [17, 37], [36, 37], [5, 8], [31, 32]] as const) {
    const root = tree.mth(0, n);
    const leaf = tree.mth(m, m + 1);
    const proof = tree.path(m, n);
    const N = BigInt(n);
    const M = BigInt(m);
    verifyInclusion(M, N, leaf, proof, root);
    for (let i = 0; i < proof.length; i++) {
      for (const bit of [0, 101, 255]) {
        const bad = proof.map((h, j) => (j === i ? flip(h, bit) : h));
        assertThrowsCode(() => verifyInclusion(M, N, leaf, bad, root), 'ROOT_MISMATCH');
      }
    }
    assertThrowsCode(() => verifyInclusion(M, N, flip(leaf, 7), proof, root), 'ROOT_MISMATCH');
    assertThrowsCode(() => verifyInclusion(M, N, leaf, proof, flip(root, 200)), 'ROOT_MISMATCH');
    assertThrowsCode(() => verifyInclusion(M, N, leaf, [...proof, root], root), 'WRONG_PROOF_SIZE');
    assertThrowsCode(() => verifyInclusion(M, N, leaf, [root, ...proof], root), 'WRONG_PROOF_SIZE');
    if (proof.length > 0) assertThrowsCode(() => verifyInclusion(M, N, leaf, proof.slice(1), root), 'WRONG_PROOF_SIZE');
    assertThrowsCode(() => verifyInclusion(N, N, leaf, proof, root), 'INDEX_OUT_OF_RANGE');
    assertThrowsCode(() => verifyInclusion(-1n, N, leaf, proof, root), 'INDEX_OUT_OF_RANGE');
    assertThrowsCode(() => verifyInclusion(M, N, leaf.subarray(1), proof, root), 'BAD_HASH_SIZE');
    if (proof.length > 0) {
      assertThrowsCode(() => verifyInclusion(M, N, leaf, [proof[0]!.subarray(0, 31), ...proof.slice(1)], root), 'BAD_HASH_SIZE');
    }
    // Doubling the size changes the proof's shape. (A size one larger may not: the size is
    // authenticated by the signed checkpoint, not by the proof.)
    assertThrowsCode(() => verifyInclusion(M, N * 2n, leaf, proof, root), 'WRONG_PROOF_SIZE');
    assert.deepEqual(rootFromInclusionProof(M, N, leaf, proof), root);
  }
});

test('consistency mutations: flipped bits, extra and missing hashes, wrong sizes', () => {
  for (const [m, n] of [[1, 37], [6, 37], [16, 37], [36, 37], [3, 4], [7, 32]] as const) {
    const r1 = tree.mth(0, m);
    const r2 = tree.mth(0, n);
    const proof = tree.proof(m, n);
    const [M, N] = [BigInt(m), BigInt(n)];
    verifyConsistency(M, N, proof, r1, r2);
    for (let i = 0; i < proof.length; i++) {
      const bad = proof.map((h, j) => (j === i ? flip(h, 77) : h));
      assertThrowsCode(() => verifyConsistency(M, N, bad, r1, r2), 'ROOT_MISMATCH');
    }
    assertThrowsCode(() => verifyConsistency(M, N, proof, flip(r1, 0), r2), 'ROOT_MISMATCH');
    assertThrowsCode(() => verifyConsistency(M, N, proof, r1, flip(r2, 0)), 'ROOT_MISMATCH');
    assertThrowsCode(() => verifyConsistency(M, N, [...proof, r2], r1, r2), 'WRONG_PROOF_SIZE');
    assertThrowsCode(() => verifyConsistency(M, N, proof.slice(1), r1, r2), 'WRONG_PROOF_SIZE');
    assertThrowsCode(() => verifyConsistency(N, M, proof, r2, r1), 'BAD_SIZES');
    assertThrowsCode(() => verifyConsistency(0n, N, proof, r1, r2), 'BAD_SIZES');
    assertThrowsCode(() => verifyConsistency(M, N, [...proof.slice(0, -1), new Uint8Array(33)], r1, r2), 'BAD_HASH_SIZE');
    assert.throws(() => verifyConsistency(M + 1n, N, proof, r1, r2), MerkleError);
    assert.throws(() => verifyConsistency(M, N * 2n, proof, r1, r2), MerkleError);
  }
});
