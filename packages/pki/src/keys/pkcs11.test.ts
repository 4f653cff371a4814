import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { constants, createPublicKey, verify } from 'node:crypto';
import { assertRejectsCode } from '../testonly/assert-code.js';
import { type SoftHsm, createSoftHsm, generateTokenKey, softhsmUnavailableReason, tryExtractPrivateKey } from '../testonly/softhsm.js';
import { openSigner } from './open.js';
import { Pkcs11Signer } from './pkcs11.js';

const TOKEN = 'signet-test';

/** Verification by node:crypto straight from the signer's SPKI (independent of our verify code). */
function nodeVerify(spki: Uint8Array, hash: string, data: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType === 'ed25519') return verify(null, data, key, sig);
  if (key.asymmetricKeyType === 'rsa') return verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
  return verify(hash, data, { key, dsaEncoding: 'der' }, sig);
}
const PIN = '4321';

describe('Pkcs11Signer without an HSM', () => {
  it('reports a missing pkcs11js as KEY_BACKEND_UNAVAILABLE', async () => {
    const missing = async () => {
      throw Object.assign(new Error("Cannot find package 'pkcs11js'"), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    await assertRejectsCode(Pkcs11Signer.open({ kind: 'pkcs11', module: '/nonexistent/lib.so', pin: '1', keyLabel: 'k' }, missing), 'KEY_BACKEND_UNAVAILABLE');
  });

  it('reports an unloadable module as KEY_BACKEND_UNAVAILABLE', async () => {
    await assertRejectsCode(openSigner({ kind: 'pkcs11', module: '/nonexistent/libpkcs11.so', pin: '1', keyLabel: 'k' }), 'KEY_BACKEND_UNAVAILABLE');
  });

  it('rejects malformed configs with BAD_KEY_CONFIG before touching any module', async () => {
    const base = { kind: 'pkcs11' as const, module: '/nonexistent/libpkcs11.so', pin: '1234' };
    for (const cfg of [
      { ...base, keyLabel: 'k', module: '' },
      { ...base, keyLabel: 'k', pin: '' },
      { ...base }, // neither keyLabel nor keyId
      { ...base, keyId: 'xyz' },
      { ...base, keyLabel: 'k', slot: -1 },
      { ...base, keyLabel: 'k', slot: 1.5 },
      { ...base, keyLabel: '' },
    ]) {
      await assertRejectsCode(openSigner(cfg), 'BAD_KEY_CONFIG');
    }
  });
});

const skip = softhsmUnavailableReason();
describe('Pkcs11Signer under SoftHSM2', { skip: skip ?? false }, () => {
  let hsm: SoftHsm;
  let slot: number;
  let edSupported = true;

  before(async () => {
    hsm = createSoftHsm();
    slot = hsm.initToken(TOKEN, PIN);
    hsm.initToken('other-token', '9999');
    await generateTokenKey(hsm.module, TOKEN, PIN, 'P-256', 'ca-p256', '01');
    await generateTokenKey(hsm.module, TOKEN, PIN, 'P-384', 'ca-p384', '02');
    await generateTokenKey(hsm.module, TOKEN, PIN, 'rsa-2048', 'ca-rsa', '03');
    await generateTokenKey(hsm.module, TOKEN, PIN, 'P-256', 'twin', '04');
    await generateTokenKey(hsm.module, TOKEN, PIN, 'P-256', 'twin', '05');
    try {
      await generateTokenKey(hsm.module, TOKEN, PIN, 'ed25519', 'ca-ed25519', '06');
    } catch {
      edSupported = false; // SoftHSM built without EdDSA; the ECDSA and RSA cases still run
    }
  });
  after(() => hsm.dispose());

  const cases = [
    { label: 'ca-p256', algorithm: 'ecdsa-p256-sha256', hash: 'sha256' },
    { label: 'ca-p384', algorithm: 'ecdsa-p384-sha384', hash: 'sha384' },
    { label: 'ca-rsa', algorithm: 'rsa-pkcs1-sha256', hash: 'sha256' },
  ] as const;
  for (const c of cases) {
    it(`signs with the in-token ${c.label} key; node:crypto verifies`, async () => {
      const signer = await openSigner({ kind: 'pkcs11', module: hsm.module, tokenLabel: TOKEN, pin: PIN, keyLabel: c.label });
      try {
        assert.equal(signer.algorithm, c.algorithm);
        const messages = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`checkpoint ${i}`));
        const sigs = await Promise.all(messages.map((m) => signer.sign(m))); // concurrent calls are serialised
        for (const [i, m] of messages.entries()) {
          assert.ok(nodeVerify(signer.publicKeyDer, c.hash, m, sigs[i]!), `signature ${i}`);
          assert.ok(!nodeVerify(signer.publicKeyDer, c.hash, new TextEncoder().encode('other'), sigs[i]!));
        }
      } finally {
        await signer.close();
        await signer.close();
      }
      await assertRejectsCode(signer.sign(new Uint8Array(1)), 'KEY_BACKEND_ERROR');
    });
  }

  it('signs with Ed25519 when the token supports it', async (t) => {
    if (!edSupported) return t.skip('this SoftHSM2 build cannot generate Ed25519 keys');
    const signer = await openSigner({ kind: 'pkcs11', module: hsm.module, tokenLabel: TOKEN, pin: PIN, keyLabel: 'ca-ed25519' });
    try {
      assert.equal(signer.algorithm, 'ed25519');
      const sig = await signer.sign(new TextEncoder().encode('hello'));
      assert.ok(nodeVerify(signer.publicKeyDer, 'sha512', new TextEncoder().encode('hello'), sig));
    } finally {
      await signer.close();
    }
  });

  it('finds keys by id and by slot; two signers share the module', async () => {
    const a = await openSigner({ kind: 'pkcs11', module: hsm.module, slot, pin: PIN, keyId: '02' });
    const b = await openSigner({ kind: 'pkcs11', module: hsm.module, tokenLabel: TOKEN, pin: PIN, keyLabel: 'twin', keyId: '05' });
    try {
      assert.equal(a.algorithm, 'ecdsa-p384-sha384');
      assert.equal(b.algorithm, 'ecdsa-p256-sha256');
      await a.close(); // b keeps working after a's session is gone
      const sig = await b.sign(new Uint8Array([1, 2, 3]));
      assert.ok(nodeVerify(b.publicKeyDer, 'sha256', new Uint8Array([1, 2, 3]), sig));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps the private key inside the token (CKA_SENSITIVE, not extractable)', async () => {
    assert.equal(await tryExtractPrivateKey(hsm.module, TOKEN, PIN, 'ca-p256'), 'CKR_ATTRIBUTE_SENSITIVE');
  });

  it('maps wrong PIN, missing token or key, and ambiguous labels to clear codes', async () => {
    const base = { kind: 'pkcs11' as const, module: hsm.module, tokenLabel: TOKEN, pin: PIN };
    await assertRejectsCode(openSigner({ ...base, pin: '0000', keyLabel: 'ca-p256' }), 'BAD_KEY_PASSWORD');
    await assertRejectsCode(openSigner({ ...base, keyLabel: 'no-such-key' }), 'KEY_NOT_FOUND');
    await assertRejectsCode(openSigner({ ...base, keyId: 'ff' }), 'KEY_NOT_FOUND');
    await assertRejectsCode(openSigner({ ...base, tokenLabel: 'no-such-token', keyLabel: 'ca-p256' }), 'KEY_NOT_FOUND');
    await assertRejectsCode(openSigner({ ...base, tokenLabel: undefined, slot: 987654321, keyLabel: 'ca-p256' }), 'KEY_NOT_FOUND');
    await assertRejectsCode(openSigner({ ...base, keyLabel: 'twin' }), 'BAD_KEY_CONFIG');
    await assertRejectsCode(openSigner({ ...base, tokenLabel: 'other-token', pin: '9999', keyLabel: 'ca-p256' }), 'KEY_NOT_FOUND');
    // After all those failures the module is still usable.
    const ok = await openSigner({ ...base, keyLabel: 'ca-p256' });
    await ok.close();
  });
});
