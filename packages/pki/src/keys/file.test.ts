import assert from 'node:assert/strict';
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pemDecode, pemEncode } from '../pem.js';
import { assertRejectsCode, assertThrowsCode } from '../testonly/assert-code.js';
import { rsaTestKey } from '../testonly/fixtures.js';
import { FileSigner, generatePrivateKeyPem, parsePrivateKeyPem, publicKeyPemOf } from './file.js';
import { SIGNATURE_ALGORITHMS } from './node-key.js';
import { openSigner } from './open.js';
import type { SignatureAlgorithm } from './signer.js';

const dir = mkdtempSync(join(tmpdir(), 'signet-file-signer-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(text: string): string {
  const path = join(dir, `key-${n++}.pem`);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

const HASH: Record<SignatureAlgorithm, string | null> = {
  'ecdsa-p256-sha256': 'sha256',
  'ecdsa-p384-sha384': 'sha384',
  'ecdsa-p521-sha512': 'sha512',
  ed25519: null,
  'rsa-pkcs1-sha256': 'sha256',
};

function nodeVerify(alg: SignatureAlgorithm, spki: Uint8Array, data: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const opts = alg === 'rsa-pkcs1-sha256' ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: 'der' as const };
  return verify(HASH[alg], data, opts, sig);
}

/** PKCS#8 PEM of every algorithm; RSA from the fixed test key (generation is slow). */
function pemFor(alg: SignatureAlgorithm, password?: string): string {
  if (alg !== 'rsa-pkcs1-sha256') return generatePrivateKeyPem(alg, password);
  const key = rsaTestKey(2048);
  return (password === undefined
    ? key.export({ format: 'pem', type: 'pkcs8' })
    : key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: password })) as string;
}

describe('FileSigner', () => {
  for (const alg of SIGNATURE_ALGORITHMS) {
    it(`${alg}: plain and encrypted PKCS#8 files sign verifiably`, async () => {
      for (const password of [undefined, 'correct horse']) {
        const pem = pemFor(alg, password);
        assert.match(pem, password === undefined ? /^-----BEGIN PRIVATE KEY-----/ : /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
        const signer = await openSigner({ kind: 'file', path: write(pem), algorithm: alg, ...(password ? { password } : {}) });
        assert.equal(signer.algorithm, alg);
        assert.deepEqual(signer.publicKeyDer, pemDecode(publicKeyPemOf(pem, password), 'PUBLIC KEY'));
        const data = new TextEncoder().encode(`signed by ${alg}`);
        const sig = await signer.sign(data);
        assert.ok(nodeVerify(alg, signer.publicKeyDer, data, sig));
        await signer.close();
        await assertRejectsCode(signer.sign(data), 'KEY_BACKEND_ERROR');
      }
    });
  }

  it('infers the algorithm when none is configured', async () => {
    const signer = await FileSigner.open(write(generatePrivateKeyPem('ecdsa-p384-sha384')));
    assert.equal(signer.algorithm, 'ecdsa-p384-sha384');
  });

  it('rejects a wrong or missing password with BAD_KEY_PASSWORD', async () => {
    const path = write(generatePrivateKeyPem('ecdsa-p256-sha256', 'right'));
    await assertRejectsCode(openSigner({ kind: 'file', path, password: 'wrong' }), 'BAD_KEY_PASSWORD');
    await assertRejectsCode(openSigner({ kind: 'file', path }), 'BAD_KEY_PASSWORD');
    assertThrowsCode(() => publicKeyPemOf(generatePrivateKeyPem('ed25519', 'x'), 'y'), 'BAD_KEY_PASSWORD');
  });

  it('rejects a key that does not match the configured algorithm with BAD_KEY_CONFIG', async () => {
    const path = write(generatePrivateKeyPem('ecdsa-p256-sha256'));
    await assertRejectsCode(openSigner({ kind: 'file', path, algorithm: 'ecdsa-p384-sha384' }), 'BAD_KEY_CONFIG');
    await assertRejectsCode(openSigner({ kind: 'file', path, algorithm: 'nope' as SignatureAlgorithm }), 'BAD_KEY_CONFIG');
  });

  it('rejects missing files, non-PKCS#8 PEM, garbage and unsupported or weak keys', async () => {
    await assertRejectsCode(openSigner({ kind: 'file', path: join(dir, 'missing.pem') }), 'BAD_KEY_CONFIG');
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }) as string;
    await assertRejectsCode(openSigner({ kind: 'file', path: write(sec1) }), 'BAD_PEM');
    await assertRejectsCode(openSigner({ kind: 'file', path: write('hello') }), 'BAD_PEM');
    await assertRejectsCode(openSigner({ kind: 'file', path: write(pemEncode('PRIVATE KEY', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))) }), 'BAD_KEY_CONFIG');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await assertRejectsCode(openSigner({ kind: 'file', path: write(k1) }), 'UNSUPPORTED_KEY');
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await assertRejectsCode(openSigner({ kind: 'file', path: write(rsa1024) }), 'WEAK_KEY');
  });

  it('generatePrivateKeyPem output is readable by node:crypto with the password', () => {
    const pem = generatePrivateKeyPem('ed25519', 'pw');
    assert.equal(createPrivateKey({ key: pem, passphrase: 'pw' }).asymmetricKeyType, 'ed25519');
    assert.equal(parsePrivateKeyPem(pem, 'pw').asymmetricKeyType, 'ed25519');
  });
});
