import assert from 'node:assert/strict';
import { constants, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { assertRejectsCode, assertThrowsCode } from '../testonly/assert-code.js';
import { EphemeralSigner } from './ephemeral.js';
import { SIGNATURE_ALGORITHMS } from './node-key.js';
import { openSigner } from './open.js';
import type { SignatureAlgorithm } from './signer.js';

const HASH: Record<SignatureAlgorithm, string | null> = {
  'ecdsa-p256-sha256': 'sha256',
  'ecdsa-p384-sha384': 'sha384',
  'ecdsa-p521-sha512': 'sha512',
  ed25519: null,
  'rsa-pkcs1-sha256': 'sha256',
};

/** Verifies with node:crypto directly from the signer's SPKI (independent of our verify code). */
function nodeVerify(alg: SignatureAlgorithm, spki: Uint8Array, data: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const opts = alg === 'rsa-pkcs1-sha256' ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: 'der' as const };
  return verify(HASH[alg], data, opts, sig);
}

describe('EphemeralSigner', () => {
  for (const alg of SIGNATURE_ALGORITHMS) {
    it(`signs ${alg} verifiably by node:crypto (opened via openSigner)`, async () => {
      const signer = alg === 'rsa-pkcs1-sha256' ? EphemeralSigner.generate(alg, { rsaBits: 2048 }) : await openSigner({ kind: 'ephemeral', algorithm: alg });
      assert.equal(signer.algorithm, alg);
      const data = randomBytes(100);
      const sig = await signer.sign(data);
      assert.ok(nodeVerify(alg, signer.publicKeyDer, data, sig));
      assert.ok(!nodeVerify(alg, signer.publicKeyDer, randomBytes(100), sig));
      if (alg.startsWith('ecdsa')) assert.equal(sig[0], 0x30, 'ECDSA signatures are DER');
      await signer.close();
      await signer.close();
      await assertRejectsCode(signer.sign(data), 'KEY_BACKEND_ERROR');
    });
  }

  it('wraps an existing key and rejects unsupported ones', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    assert.equal(new EphemeralSigner(privateKey).algorithm, 'ed25519');
    assertThrowsCode(() => new EphemeralSigner(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey), 'UNSUPPORTED_KEY');
    assertThrowsCode(() => new EphemeralSigner(generateKeyPairSync('ed448').privateKey), 'UNSUPPORTED_KEY');
    assertThrowsCode(() => new EphemeralSigner(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey), 'WEAK_KEY');
    assertThrowsCode(() => new EphemeralSigner(generateKeyPairSync('ed25519').publicKey), 'BAD_KEY_CONFIG');
    assertThrowsCode(() => EphemeralSigner.generate('rsa-pkcs1-sha256', { rsaBits: 1024 }), 'BAD_KEY_CONFIG');
  });

  it('openSigner rejects malformed configs with BAD_KEY_CONFIG', async () => {
    await assertRejectsCode(openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p192' as SignatureAlgorithm }), 'BAD_KEY_CONFIG');
    await assertRejectsCode(openSigner({ kind: 'hsm' } as never), 'BAD_KEY_CONFIG');
    await assertRejectsCode(openSigner(null as never), 'BAD_KEY_CONFIG');
    await assertRejectsCode(openSigner({ kind: 'file', path: '' }), 'BAD_KEY_CONFIG');
  });
});
