import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { assertThrowsCode } from '../testonly/assert-code.js';
import {
  ed25519ReferenceSign,
  ed25519SeedOf,
  ed25519SignWithNonce,
  ed25519TorsionPoints,
  expandEd25519Seed,
  textbookPowMod,
} from '../testonly/ed25519-reference.js';
import { DOM2_PH, ed25519phChallenge, verifyEd25519ph } from './ed25519ph.js';
import { D, L, P, add, canon, decodePoint, encodePoint, equal, IDENTITY, linearCombination, toLittleEndian32 } from './edwards25519.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const sha512 = (m: Uint8Array | string) => new Uint8Array(createHash('sha512').update(m).digest());

// RFC 8032 §7.3, "TEST abc" (Ed25519ph).
const RFC = {
  secretKey: hex('833fe62409237b9d62ec77587520911e 9a759cec1d19755b7da901b96dca3d42'),
  publicKey: hex('ec172b93ad5e563bf4932c70e1245034 c35467ef2efd4d64ebf819683467e2bf'),
  message: hex('616263'),
  signature: hex(`98a70222f0b8121aa9d30f813d683f80 9e462b469c7ff87639499bb94e6dae41
                  31f85042463c2a355a2003d062adf5aa a10b8c61e636062aaad11c2a26083406`),
};

/** A fresh key: node's private key, its seed and raw public key. */
function freshKey() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).x!, 'base64url'));
  return { privateKey, seed: ed25519SeedOf(privateKey), publicKey };
}

function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = b.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** The encoding of the smallest y ≥ 2 with no curve point (about every other y has none). */
function offCurve(): Uint8Array {
  for (let y = 2n; y < 64n; y++) {
    const b = toLittleEndian32(y);
    const x2 = ((y * y - 1n) * textbookPowMod(canon(D * y * y + 1n), P - 2n, P)) % P;
    if (textbookPowMod(x2, (P - 1n) / 2n, P) === P - 1n) return b; // Euler: x² is not a square
  }
  throw new Error('unreachable: half of all y are off the curve');
}

/** Verifier verdict where a key that does not decode counts as a rejection. */
function accepts(key: Uint8Array, digest: Uint8Array, sig: Uint8Array): boolean {
  try {
    return verifyEd25519ph(key, digest, sig);
  } catch (e) {
    if ((e as { code?: string }).code === 'BAD_PUBLIC_KEY') return false;
    throw e;
  }
}

describe('Ed25519ph (RFC 8032 §5.1, phflag 1, empty context)', () => {
  it('RFC 8032 §7.3 test vector: key derivation, signature bytes and verification', () => {
    const ph = sha512(RFC.message);
    assert.equal(Buffer.from(DOM2_PH).toString('hex'), Buffer.from('SigEd25519 no Ed25519 collisions').toString('hex') + '0100');
    assert.deepEqual(expandEd25519Seed(RFC.secretKey).publicKey, RFC.publicKey);
    assert.deepEqual(ed25519ReferenceSign(RFC.secretKey, ph, 'ph'), RFC.signature);
    assert.equal(verifyEd25519ph(RFC.publicKey, ph, RFC.signature), true);
    assert.equal(verifyEd25519ph(RFC.publicKey, sha512('abd'), RFC.signature), false);
    // node derives the same public key from the RFC's secret key
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), RFC.secretKey]);
    const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
    assert.deepEqual(new Uint8Array(Buffer.from(jwk.x!, 'base64url')), RFC.publicKey);
  });

  it('the pure-Ed25519 variant of the reference signer matches node:crypto byte for byte', () => {
    for (let i = 0; i < 48; i++) {
      const k = freshKey();
      const msg = randomBytes(i * 5);
      const ours = ed25519ReferenceSign(k.seed, msg, 'pure');
      assert.deepEqual(expandEd25519Seed(k.seed).publicKey, k.publicKey);
      assert.deepEqual(ours, new Uint8Array(sign(null, msg, k.privateKey)));
      assert.ok(verify(null, msg, k.privateKey, ours));
    }
  });

  it('accepts Ed25519ph signatures of random keys, and not their pure-Ed25519 signatures', () => {
    for (let i = 0; i < 24; i++) {
      const k = freshKey();
      const ph = sha512(randomBytes(i * 3));
      assert.equal(verifyEd25519ph(k.publicKey, ph, ed25519ReferenceSign(k.seed, ph, 'ph')), true);
      assert.equal(verifyEd25519ph(k.publicKey, ph, ed25519ReferenceSign(k.seed, ph, 'pure')), false);
      assert.equal(verifyEd25519ph(k.publicKey, ph, sign(null, ph, k.privateKey)), false);
    }
  });

  it('rejects every single-bit flip of the signature, the key and the digest', () => {
    const k = freshKey();
    const ph = sha512('every bit counts');
    const sig = ed25519ReferenceSign(k.seed, ph, 'ph');
    assert.equal(verifyEd25519ph(k.publicKey, ph, sig), true);
    for (let bit = 0; bit < 512; bit++) {
      assert.equal(accepts(k.publicKey, ph, flipBit(sig, bit)), false, `signature bit ${bit}`);
      assert.equal(accepts(k.publicKey, flipBit(ph, bit), sig), false, `digest bit ${bit}`);
    }
    for (let bit = 0; bit < 256; bit++) assert.equal(accepts(flipBit(k.publicKey, bit), ph, sig), false, `key bit ${bit}`);
  });

  it('rejects S ≥ L even where the group equation holds (S + L), and signatures of the wrong length', () => {
    const k = freshKey();
    const ph = sha512('malleability');
    const sig = ed25519ReferenceSign(k.seed, ph, 'ph');
    const s = BigInt('0x' + Buffer.from(sig.subarray(32)).reverse().toString('hex'));
    for (const bad of [s + L, s + 2n * L, s + 15n * L]) {
      assert.equal(verifyEd25519ph(k.publicKey, ph, new Uint8Array([...sig.subarray(0, 32), ...toLittleEndian32(bad)])), false);
    }
    for (const bad of [sig.subarray(0, 63), new Uint8Array([...sig, 0]), new Uint8Array(0), new Uint8Array(64)]) {
      assert.equal(verifyEd25519ph(k.publicKey, ph, bad), false);
    }
    assertThrowsCode(() => verifyEd25519ph(k.publicKey, ph.subarray(0, 32), sig), 'BAD_DIGEST');
  });

  it('rejects an R that is not a canonical encoding of a curve point', () => {
    const k = freshKey();
    const ph = sha512('bad R');
    const sig = ed25519ReferenceSign(k.seed, ph, 'ph');
    const rs = [toLittleEndian32(P + 1n), toLittleEndian32(P), toLittleEndian32(1n + (1n << 255n)), toLittleEndian32(P - 1n + (1n << 255n))];
    rs.push(offCurve());
    for (const r of rs) assert.equal(verifyEd25519ph(k.publicKey, ph, new Uint8Array([...r, ...sig.subarray(32)])), false);
  });

  it('refuses as BAD_PUBLIC_KEY keys that are small-order, non-canonical, off the curve or not 32 bytes', () => {
    const ph = sha512('bad A');
    const sig = new Uint8Array(64);
    const keys = ed25519TorsionPoints().map(encodePoint);
    keys.push(toLittleEndian32(P + 3n), toLittleEndian32(1n + (1n << 255n)), new Uint8Array(31), new Uint8Array(33));
    keys.push(offCurve());
    for (const key of keys) assertThrowsCode(() => verifyEd25519ph(key, ph, sig), 'BAD_PUBLIC_KEY');
  });

  it('is cofactorless like Go: R = identity passes, a small-order part in R fails, in A passes iff [k]T = 0', () => {
    const k = freshKey();
    const key = expandEd25519Seed(k.seed);
    const ph = sha512('cofactor');
    // r = 0: R is the identity and S = k·s; [S]B - [k]A = identity = R.
    assert.equal(verifyEd25519ph(k.publicKey, ph, ed25519SignWithNonce(key, 0n, ph, DOM2_PH)), true);
    const torsion = ed25519TorsionPoints();
    for (const t of torsion.slice(1)) {
      // R = [r]B + T: the cofactored equation holds, the cofactorless one does not.
      const sig = ed25519SignWithNonce(key, 12345n, ph, DOM2_PH, t);
      assert.equal(verifyEd25519ph(k.publicKey, ph, sig), false);
    }
    // A' = A + T (mixed order, which decodes): the signature verifies exactly when [k]T = identity.
    let seen = { pass: 0, fail: 0 };
    for (let i = 0; i < 64 && (seen.pass === 0 || seen.fail === 0); i++) {
      const t = torsion[1 + (i % 7)]!;
      const mixed = encodePoint(add(decodePoint(k.publicKey)!, t));
      const digest = sha512(`cofactor ${i}`);
      const sig = ed25519SignWithNonce({ ...key, publicKey: mixed }, 777n + BigInt(i), digest, DOM2_PH);
      const challenge = ed25519phChallenge(sig.subarray(0, 32), mixed, digest);
      const want = equal(linearCombination(0n, challenge, t), IDENTITY);
      assert.equal(verifyEd25519ph(mixed, digest, sig), want);
      seen = want ? { ...seen, pass: seen.pass + 1 } : { ...seen, fail: seen.fail + 1 };
    }
    assert.ok(seen.pass > 0 && seen.fail > 0, 'both outcomes seen');
  });
});
