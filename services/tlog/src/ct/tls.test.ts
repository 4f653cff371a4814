// TLS DigitallySigned, the CT key algorithms and the §3.5 TreeHeadSignature layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EphemeralSigner } from '@signet/pki';
import { assertLogError } from '../testonly/index.js';
import { decodeDigitallySigned, encodeDigitallySigned, tlsAlgorithmsOf, treeHeadSignatureData } from './tls.js';

test('DigitallySigned round-trips and rejects a wrong length', () => {
  const ds = encodeDigitallySigned({ hash: 4, signature: 3 }, Uint8Array.of(9, 8, 7));
  assert.deepEqual(ds, Uint8Array.of(4, 3, 0, 3, 9, 8, 7));
  assert.deepEqual(decodeDigitallySigned(ds)?.signature, Uint8Array.of(9, 8, 7));
  assert.equal(decodeDigitallySigned(Uint8Array.of(4, 3, 0, 4, 9)), undefined);
});

test('CT keys: ECDSA P-256 → (sha256, ecdsa), RSA → (sha256, rsa); other keys are BAD_CONFIG', async () => {
  assert.deepEqual(tlsAlgorithmsOf({ algorithm: 'ecdsa-p256-sha256' }), { hash: 4, signature: 3 });
  assert.deepEqual(tlsAlgorithmsOf({ algorithm: 'rsa-pkcs1-sha256' }), { hash: 4, signature: 1 });
  await assertLogError(async () => tlsAlgorithmsOf(EphemeralSigner.generate('ed25519')), 'BAD_CONFIG');
  await assertLogError(async () => tlsAlgorithmsOf({ algorithm: 'ecdsa-p384-sha384' }), 'BAD_CONFIG');
});

test('TreeHeadSignature: v1, tree_hash, u64 timestamp, u64 size, root', () => {
  const d = treeHeadSignatureData(0x0102n, 5n, new Uint8Array(32).fill(0xee));
  assert.equal(Buffer.from(d).toString('hex'), '0001' + '0000000000000102' + '0000000000000005' + 'ee'.repeat(32));
});
