import assert from 'node:assert/strict';
import { generateKeyPairSync, hash, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  type CurveName,
  encodeEcdsaSignature,
  generator,
  multiply,
  referenceSign,
  referenceVerify,
} from '../testonly/ecdsa-reference.js';
import { CURVES, bigintToBytes, bytesToBigint, mod } from './curves.js';
import { parseEcdsaSignature, rawEcdsaToDer, verifyEcdsaDigest } from './ecdsa.js';

const HASHES = ['sha256', 'sha384', 'sha512'] as const;
const ROUNDS: Record<CurveName, number> = { 'P-256': 500, 'P-384': 25, 'P-521': 12 };

function keyPair(name: CurveName) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: name });
  const jwk = privateKey.export({ format: 'jwk' });
  const b = (s: string | undefined) => bytesToBigint(Buffer.from(s!, 'base64url'));
  return { publicKey, privateKey, q: { x: b(jwk.x), y: b(jwk.y) }, d: b(jwk.d) };
}

/** Mutations of a valid DER signature; node:crypto is the judge of each. */
function corrupt(sig: Buffer, i: number, n: bigint): Uint8Array {
  const rs = parseEcdsaSignature(sig)!;
  switch (i % 10) {
    case 0: { const b = Buffer.from(sig); b[8 + (i % (b.length - 8))]! ^= 1 << (i % 8); return b; }
    case 1: return encodeEcdsaSignature(rs.s, rs.r);
    case 2: return encodeEcdsaSignature(n - rs.s > 0n ? n - rs.s : rs.s, rs.r);
    case 3: return encodeEcdsaSignature(rs.r, n - rs.s); // high-S twin: VALID in ECDSA
    case 4: return encodeEcdsaSignature(rs.r + n, rs.s);
    case 5: return encodeEcdsaSignature(rs.r, rs.s + n);
    case 6: return Buffer.concat([sig, Buffer.of(0)]); // trailing byte
    case 7: return sig.subarray(0, sig.length - 1);
    case 8: return encodeEcdsaSignature(rs.r, 0n);
    default: return encodeEcdsaSignature(rs.r, rs.s + 1n);
  }
}

describe('verifyEcdsaDigest', () => {
  for (const name of Object.keys(ROUNDS) as CurveName[]) {
    it(`${name}: agrees with node:crypto on random keys, every hash, valid and corrupted signatures`, () => {
      const c = CURVES[name];
      let valid = 0;
      let invalid = 0;
      for (let i = 0; i < ROUNDS[name]; i++) {
        const { publicKey, privateKey, q } = keyPair(name);
        for (const h of HASHES) {
          const msg = randomBytes(1 + (i % 64));
          const good = sign(h, msg, privateKey);
          const digest = hash(h, msg, 'buffer');
          for (const sig of [good, corrupt(good, i + h.length, c.n)]) {
            const want = verify(h, msg, { key: publicKey, dsaEncoding: 'der' }, sig);
            assert.equal(verifyEcdsaDigest(c, q, digest, sig), want, `${name} ${h} round ${i}`);
            if (want) valid++;
            else invalid++;
          }
        }
      }
      assert.ok(valid > ROUNDS[name] * 3 && invalid > ROUNDS[name], `${valid} valid / ${invalid} invalid`);
    });
  }

  for (const name of Object.keys(ROUNDS) as CurveName[]) {
    it(`${name}: agrees with the textbook verifier on crafted edge cases`, () => {
      const c = CURVES[name];
      const { q, d } = keyPair(name);
      const k = () => 1n + mod(bytesToBigint(randomBytes(c.size + 8)), c.n - 1n);
      const check = (digest: Uint8Array, r: bigint, s: bigint, expect?: boolean) => {
        const want = referenceVerify(name, q, digest, r, s);
        if (expect !== undefined) assert.equal(want, expect, 'reference');
        assert.equal(verifyEcdsaDigest(c, q, digest, encodeEcdsaSignature(r, s)), want);
      };
      // e = 0 (all-zero digest): u1 = 0, the v·G step is skipped.
      const zero = new Uint8Array(c.size > 64 ? 64 : c.size);
      const sz = referenceSign(name, d, k(), zero)!;
      check(zero, sz.r, sz.s, true);
      check(zero, sz.r, mod(sz.s + 1n, c.n), false);
      // e ≡ n (digest of n's bytes when it fits): also u1 = 0 after reduction.
      if (c.bits <= 512) {
        const nDigest = bigintToBytes(c.n, c.size);
        const sn = referenceSign(name, d, k(), nDigest)!;
        check(nDigest, sn.r, sn.s, true);
      }
      // v = e/r = d: T = Q + d·G = 2Q, the doubling branch.
      const kk = k();
      const r = mod(multiply(c, kk, generator(name))!.x, c.n);
      const eDouble = mod(d * r, c.n);
      const dDouble = bigintToBytes(eDouble, c.size).subarray(0, Math.min(c.size, 64));
      if (c.bits <= 512) {
        const sd = referenceSign(name, d, kk, dDouble)!;
        check(dDouble, sd.r, sd.s, true);
      }
      // v = -d: T = Q - Q = ∞, so R = ∞ and the signature must be rejected.
      if (c.bits <= 512) {
        const eInf = bigintToBytes(mod(-d * r, c.n), c.size);
        check(eInf, r, k(), false);
      }
      // r, s at and beyond the bounds.
      const digest = randomBytes(32);
      for (const [rr, ss] of [[0n, 1n], [1n, 0n], [c.n, 1n], [1n, c.n], [c.n - 1n, c.n - 1n], [1n, 1n]] as const) check(digest, rr, ss, false);
    });
  }

  it('rejects non-DER signature encodings that OpenSSL rejects', () => {
    const c = CURVES['P-256'];
    const { privateKey, publicKey, q } = keyPair('P-256');
    const msg = Buffer.from('signet');
    const sig = sign('sha256', msg, privateKey);
    const digest = hash('sha256', msg, 'buffer');
    const rs = parseEcdsaSignature(sig)!;
    const body = sig.subarray(2);
    const variants: Uint8Array[] = [
      Buffer.concat([Buffer.of(0x30, 0x81, body.length), body]), // long-form length for a short length
      Buffer.concat([Buffer.of(0x30, 0x80), body, Buffer.of(0, 0)]), // indefinite length
      Buffer.concat([Buffer.of(0x31, body.length), body]), // SET, not SEQUENCE
      (() => { const r = Buffer.concat([Buffer.of(0x02, 33, 0), bigintToBytes(rs.r, 32)]); return Buffer.concat([Buffer.of(0x30, r.length + 2 + body.length - (2 + body[1]!)), r, body.subarray(2 + body[1]!)]); })(),
      new Uint8Array(0),
      randomBytes(70),
    ];
    for (const v of variants) {
      assert.equal(verify('sha256', msg, { key: publicKey, dsaEncoding: 'der' }, v), false);
      assert.equal(verifyEcdsaDigest(c, q, digest, v), false);
    }
    assert.equal(verifyEcdsaDigest(c, q, digest, sig), true);
  });
});

it('rawEcdsaToDer writes what encodeEcdsaSignature writes (leading zeros, high bits, long form) and refuses odd lengths', () => {
  for (const size of [32, 48, 66]) {
    for (let i = 0; i < 200; i++) {
      const raw = randomBytes(2 * size);
      if (i % 4 === 0) raw.fill(0, 0, 3); // r with leading zero bytes
      if (i % 4 === 1) raw[size] = 0x80; // s with its high bit set
      const der = rawEcdsaToDer(raw);
      assert.deepEqual(der, encodeEcdsaSignature(BigInt('0x' + raw.subarray(0, size).toString('hex')), BigInt('0x' + raw.subarray(size).toString('hex'))));
    }
  }
  assert.equal(rawEcdsaToDer(new Uint8Array(0)), null);
  assert.equal(rawEcdsaToDer(new Uint8Array(63)), null);
});
