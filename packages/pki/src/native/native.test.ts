// The native ECDSA addon against OpenSSL (node:crypto): every result is cross-checked, never
// compared with values the addon produced itself.
import assert from 'node:assert/strict';
import { createECDH, createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { CURVES, bigintToBytes, bytesToBigint } from '../prehash/curves.js';
import { encodeEcdsaSignature, verifyEcdsaDigest } from '../prehash/ecdsa.js';
import { nativeAddonForTests, nativeEcdsaStatus, nativeSignP256, nativeSignP384, nativeVerifyEcdsaDigest } from './index.js';

const P384 = CURVES['P-384'];
const n = P384.n;
const be48 = (v: bigint) => bigintToBytes(v, 48);

function addon() {
  const status = nativeEcdsaStatus();
  assert.ok(status.loaded, `the native addon must be built (npm install runs packages/pki/native/build.mjs): ${'reason' in status ? status.reason : ''}`);
  return nativeAddonForTests()!;
}

/** x(k·G) by OpenSSL: ECDH with the generator as the peer key. */
function opensslBaseMulX(k: bigint): Buffer {
  const one = createECDH('secp384r1');
  one.setPrivateKey(be48(1n));
  const ecdh = createECDH('secp384r1');
  ecdh.setPrivateKey(be48(k));
  return ecdh.computeSecret(one.getPublicKey());
}

function p384Key() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const jwk = privateKey.export({ format: 'jwk' });
  const q = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  return { privateKey, publicKey, d: Buffer.from(jwk.d!, 'base64url'), q };
}

describe('native P-384', () => {
  it('k·G matches OpenSSL for edge and random scalars, and refuses 0 and n', () => {
    const a = addon();
    const edge = [1n, 2n, 3n, 31n, 32n, 33n, 63n, 64n, 65n, n - 1n, n - 2n, n >> 1n, 1n << 383n, (1n << 378n) - 1n, (1n << 384n) - n];
    const random = Array.from({ length: 200 }, () => (bytesToBigint(randomBytes(48)) % (n - 1n)) + 1n);
    for (const k of [...edge, ...random]) {
      assert.deepEqual(a.p384BaseMulX(be48(k)), opensslBaseMulX(k), `k = ${k.toString(16)}`);
    }
    assert.equal(a.p384BaseMulX(be48(0n)), null);
    assert.equal(a.p384BaseMulX(be48(n)), null);
    assert.equal(a.p384BaseMulX(Buffer.alloc(48, 0xff)), null);
  });

  it('signs with k = seed mod n: r = x(k·G) mod n by OpenSSL, and OpenSSL verifies (r, s)', () => {
    const a = addon();
    const { d, publicKey } = p384Key();
    for (let i = 0; i < 100; i++) {
      const message = randomBytes(1 + i);
      const e = createHash('sha384').update(message).digest();
      const seed = randomBytes(64);
      const rs = a.p384Sign(d, e, seed, randomBytes(96))!;
      const k = bytesToBigint(seed) % n;
      assert.equal(bytesToBigint(rs.subarray(0, 48)), bytesToBigint(opensslBaseMulX(k)) % n);
      const der = encodeEcdsaSignature(bytesToBigint(rs.subarray(0, 48)), bytesToBigint(rs.subarray(48)));
      assert.ok(verify('sha384', message, { key: publicKey, dsaEncoding: 'der' }, der));
    }
  });

  it('refuses a seed giving k = 0 and a private scalar outside [1, n-1]', () => {
    const a = addon();
    const e = randomBytes(48);
    const zeroSeed = Buffer.concat([Buffer.alloc(16), be48(n)]); // n mod n = 0
    assert.equal(a.p384Sign(p384Key().d, e, zeroSeed, randomBytes(96)), null);
    assert.equal(a.p384Sign(be48(0n), e, randomBytes(64), randomBytes(96)), null);
    assert.equal(a.p384Sign(be48(n), e, randomBytes(64), randomBytes(96)), null);
    assert.throws(() => a.p384Sign(Buffer.alloc(47), e, randomBytes(64), randomBytes(96)), TypeError);
    // zero blinding factors fall back to the constant-time inversion and still sign correctly
    const { d, publicKey } = p384Key();
    const message = randomBytes(20);
    const rs = a.p384Sign(d, createHash('sha384').update(message).digest(), randomBytes(64), Buffer.alloc(96))!;
    assert.ok(verify('sha384', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, rs));
  });

  it('verifies what OpenSSL signs and rejects every altered input', () => {
    const a = addon();
    const { privateKey, q } = p384Key();
    for (let i = 0; i < 50; i++) {
      const message = randomBytes(64);
      const e = createHash('sha384').update(message).digest();
      const sig = sign('sha384', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const r = sig.subarray(0, 48);
      const s = sig.subarray(48);
      assert.ok(a.p384Verify(q, e, r, s));
      // (r, n - s) is the other valid signature of the same pair
      assert.ok(a.p384Verify(q, e, r, be48(n - bytesToBigint(s))));
      const e2 = Buffer.from(e);
      e2[i % 48]! ^= 1;
      assert.equal(a.p384Verify(q, e2, r, s), false, 'other digest');
      assert.equal(a.p384Verify(q, e, be48(bytesToBigint(r) + 1n), s), false, 'r + 1');
      assert.equal(a.p384Verify(q, e, r, be48(bytesToBigint(s) ^ 1n)), false, 's altered');
    }
    const e = randomBytes(48);
    const sig = sign('sha384', e, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const r = sig.subarray(0, 48);
    const s = sig.subarray(48);
    assert.equal(a.p384Verify(q, e, be48(0n), s), false, 'r = 0');
    assert.equal(a.p384Verify(q, e, r, be48(0n)), false, 's = 0');
    assert.equal(a.p384Verify(q, e, be48(n), s), false, 'r = n');
    assert.equal(a.p384Verify(q, e, r, be48(n)), false, 's = n');
    const offCurve = Buffer.from(q);
    offCurve[96]! ^= 1;
    assert.equal(a.p384Verify(offCurve, e, r, s), false, 'point off the curve');
    const compressed = Buffer.from(q);
    compressed[0] = 2;
    assert.equal(a.p384Verify(compressed, e, r, s), false, 'not an uncompressed point');
    const big = Buffer.from(q);
    big.fill(0xff, 1, 49);
    assert.equal(a.p384Verify(big, e, r, s), false, 'x >= p');
    assert.throws(() => a.p384Verify(q.subarray(1), e, r, s), TypeError);
  });

  it('verifies with a per-key comb table exactly as without one', () => {
    const a = addon();
    const { privateKey, q } = p384Key();
    const table = a.p384KeyTable(q)!;
    const offCurve = Buffer.from(q);
    offCurve[96]! ^= 1;
    assert.equal(a.p384KeyTable(offCurve), null);
    for (let i = 0; i < 30; i++) {
      const message = randomBytes(40);
      const e = createHash('sha384').update(message).digest();
      const sig = sign('sha384', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const r = sig.subarray(0, 48);
      const s = sig.subarray(48);
      assert.ok(a.p384VerifyTable(table, e, r, s));
      const bad = Buffer.from(s);
      bad[i % 48]! ^= 4;
      assert.equal(a.p384VerifyTable(table, e, r, bad), false);
      assert.equal(a.p384Verify(q, e, r, bad), false);
    }
    assert.throws(() => a.p384VerifyTable(new ArrayBuffer(10), randomBytes(48), randomBytes(48), randomBytes(48)), TypeError);
    // through the wrapper: the key's table is built on its third use; results stay the same
    const der = sign('sha384', Buffer.from('m'), { key: privateKey, dsaEncoding: 'der' });
    const digest = createHash('sha384').update('m').digest();
    const wrong = createHash('sha384').update('n').digest();
    for (let i = 0; i < 5; i++) {
      assert.equal(nativeVerifyEcdsaDigest(P384, q, digest, der), true);
      assert.equal(nativeVerifyEcdsaDigest(P384, q, wrong, der), false);
    }
  });

  it('nativeSignP384 gives DER signatures OpenSSL verifies, a different one each time', () => {
    addon();
    const { privateKey, publicKey } = p384Key();
    const data = randomBytes(300);
    const one = nativeSignP384(privateKey, data)!;
    const two = nativeSignP384(privateKey, data)!;
    assert.notDeepEqual(one, two);
    for (const sig of [one, two]) assert.ok(verify('sha384', data, { key: publicKey, dsaEncoding: 'der' }, sig));
  });
});

describe('native prehashed verification', () => {
  for (const [curve, hash, named] of [
    ['P-256', 'sha256', 'prime256v1'],
    ['P-256', 'sha512', 'prime256v1'],
    ['P-384', 'sha384', 'secp384r1'],
    ['P-384', 'sha256', 'secp384r1'],
    ['P-384', 'sha512', 'secp384r1'],
    ['P-521', 'sha512', 'secp521r1'],
  ] as const) {
    it(`agrees with OpenSSL and with the node:crypto fallback: ${curve} ${hash}`, () => {
      addon();
      const c = CURVES[curve];
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: named });
      const jwk = publicKey.export({ format: 'jwk' });
      const qBytes = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      const q = { x: bytesToBigint(qBytes.subarray(1, 1 + c.size)), y: bytesToBigint(qBytes.subarray(1 + c.size)) };
      for (let i = 0; i < 20; i++) {
        const message = randomBytes(50);
        const digest = createHash(hash).update(message).digest();
        const sig = sign(hash, message, { key: privateKey, dsaEncoding: 'der' });
        assert.equal(nativeVerifyEcdsaDigest(c, qBytes, digest, sig), true);
        assert.equal(verifyEcdsaDigest(c, q, digest, sig), true);
        const bad = Buffer.from(sig);
        bad[bad.length - 1]! ^= 1;
        assert.equal(nativeVerifyEcdsaDigest(c, qBytes, digest, bad), false);
        assert.equal(verifyEcdsaDigest(c, q, digest, bad), false);
        const other = createHash(hash).update(randomBytes(50)).digest();
        assert.equal(nativeVerifyEcdsaDigest(c, qBytes, other, sig), false);
      }
      // malformed DER: trailing byte, truncated, non-minimal integer
      const sig = sign(hash, Buffer.from('x'), { key: privateKey, dsaEncoding: 'der' });
      const digest = createHash(hash).update('x').digest();
      assert.equal(nativeVerifyEcdsaDigest(c, qBytes, digest, Buffer.concat([sig, Buffer.of(0)])), false);
      assert.equal(nativeVerifyEcdsaDigest(c, qBytes, digest, sig.subarray(0, sig.length - 1)), false);
    });
  }
});

describe('native P-256 signing', () => {
  it('nativeSignP256 gives DER signatures OpenSSL verifies, a different one each time, for many keys', () => {
    addon();
    for (let k = 0; k < 20; k++) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const message = randomBytes(1 + k * 100);
      const a = nativeSignP256(privateKey, message)!;
      const b = nativeSignP256(privateKey, message)!;
      assert.ok(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, a));
      assert.ok(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, b));
      assert.notDeepEqual(a, b, 'a fresh nonce per signature');
      assert.equal(verify('sha256', Buffer.concat([message, Buffer.of(0)]), { key: publicKey, dsaEncoding: 'der' }, a), false);
    }
  });

  it('the key handle refuses a scalar outside [1, n-1] and calls with the wrong arguments', () => {
    const a = addon();
    const n = CURVES['P-256'].n;
    assert.equal(a.opensslSigningKey(new Uint8Array(32)), null);
    assert.equal(a.opensslSigningKey(bigintToBytes(n, 32)), null);
    assert.equal(a.opensslSigningKey(new Uint8Array(32).fill(0xff)), null);
    const key = a.opensslSigningKey(bigintToBytes(n - 1n, 32))!;
    assert.notEqual(key, null);
    assert.throws(() => a.opensslSigningKey(new Uint8Array(31)), TypeError);
    assert.throws(() => a.opensslSignDigest({}, new Uint8Array(32)), TypeError);
    assert.throws(() => a.opensslSignDigest(key, new Uint8Array(0)), TypeError);
    assert.throws(() => a.opensslSignDigest(key, new Uint8Array(65)), TypeError);
    // The largest valid scalar signs, and OpenSSL's public key for it verifies the signature.
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(bigintToBytes(n - 1n, 32));
    const digest = createHash('sha256').update('d = n - 1').digest();
    assert.equal(nativeVerifyEcdsaDigest(CURVES['P-256'], ecdh.getPublicKey(), digest, a.opensslSignDigest(key, digest)), true);
  });
});
