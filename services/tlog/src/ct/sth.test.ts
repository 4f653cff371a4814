// STH signing: one signature per tree head, timestamps that never go back or precede an SCT.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EphemeralSigner, type Signer } from '@signet/pki';
import { SthSigner } from './sth.js';

const root = new Uint8Array(32);

test('the same head is signed once; a new head never gets an earlier timestamp', async () => {
  let clock = 1000;
  let signatures = 0;
  const inner = EphemeralSigner.generate('ecdsa-p256-sha256');
  const signer: Signer = { ...inner, algorithm: inner.algorithm, publicKeyDer: inner.publicKeyDer, sign: (d) => (signatures++, inner.sign(d)), close: () => inner.close() };
  const s = new SthSigner(signer, { hash: 4, signature: 3 }, () => clock);
  const a = await s.sign(1n, root, async () => 0n);
  const b = await s.sign(1n, root, async () => 0n);
  assert.equal(a, b);
  assert.equal(signatures, 1);
  clock = 500;
  const c = await s.sign(2n, root, async () => 0n);
  assert.equal(c.timestamp, 1000n, 'not before the previous STH');
  s.observeSct(5000n);
  assert.equal((await s.sign(3n, root, async () => 0n)).timestamp, 5000n, 'not before an issued SCT');
  assert.equal((await s.sign(4n, root, async () => 9000n)).timestamp, 9000n, 'not before the last leaf');
});

test('a failed signature is not cached', async () => {
  let fail = true;
  const inner = EphemeralSigner.generate('ecdsa-p256-sha256');
  const signer: Signer = { algorithm: inner.algorithm, publicKeyDer: inner.publicKeyDer, sign: (d) => (fail ? Promise.reject(new Error('hsm down')) : inner.sign(d)), close: () => inner.close() };
  const s = new SthSigner(signer, { hash: 4, signature: 3 }, () => 1);
  await assert.rejects(s.sign(1n, root, async () => 0n), /hsm down/);
  await new Promise((r) => setImmediate(r));
  fail = false;
  assert.equal((await s.sign(1n, root, async () => 0n)).treeSize, 1n);
});
