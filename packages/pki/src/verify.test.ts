import assert from 'node:assert/strict';
import { type KeyObject, constants, createPublicKey, generateKeyPairSync, hash, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { type PublicKey, parsePublicKey } from './public-key.js';
import { assertThrowsCode } from './testonly/assert-code.js';
import { ed25519ReferenceSign, ed25519SeedOf } from './testonly/ed25519-reference.js';
import { rsaTestKey } from './testonly/fixtures.js';
import { type HashAlgorithm, checkKeyHash, verifyDigest, verifyMessage } from './verify.js';

const HASHES: HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];
/** SubjectPublicKeyInfo DER of an Ed25519 key, up to the 32 key bytes (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface Case {
  name: string;
  privateKey: KeyObject;
  key: PublicKey;
}

function load(name: string, privateKey: KeyObject): Case {
  return { name, privateKey, key: parsePublicKey(new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }))) };
}

const ecCase = (curve: string) => load(curve, generateKeyPairSync('ec', { namedCurve: curve }).privateKey);
const rsaCases = () => ([2048, 3072, 4096] as const).map((b) => load(`rsa-${b}`, rsaTestKey(b)));

/** node:crypto's own verdict (the oracle). */
function nodeVerify(c: Case, h: HashAlgorithm, msg: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey(c.privateKey);
  if (c.key.type === 'ed25519') return verify(null, msg, key, sig);
  const opts = c.key.type === 'rsa' ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: 'der' as const };
  try {
    return verify(h, msg, opts, sig);
  } catch {
    return false;
  }
}

function nodeSign(c: Case, h: HashAlgorithm, msg: Uint8Array): Buffer {
  if (c.key.type === 'ed25519') return sign(null, msg, c.privateKey);
  const opts = c.key.type === 'rsa' ? { key: c.privateKey, padding: constants.RSA_PKCS1_PADDING } : { key: c.privateKey, dsaEncoding: 'der' as const };
  return sign(h, msg, opts);
}

/** Signatures a verifier must judge: the good one and mutations of it. */
function variants(sig: Buffer, i: number): Uint8Array[] {
  const flipped = Buffer.from(sig);
  flipped[i % sig.length]! ^= 1 << (i % 8);
  return [sig, flipped, Buffer.concat([Buffer.of(0), sig]), sig.subarray(1), Buffer.concat([sig, Buffer.of(0)]), new Uint8Array(0), randomBytes(sig.length)];
}

describe('verifyMessage and verifyDigest agree with node:crypto', () => {
  const cases = [ecCase('P-256'), ecCase('P-384'), ecCase('P-521'), load('ed25519', generateKeyPairSync('ed25519').privateKey), ...rsaCases()];
  for (const c of cases) {
    for (const h of HASHES) {
      it(`${c.name} with ${h}`, () => {
        const rounds = c.name === 'P-256' ? 20 : 4;
        for (let i = 0; i < rounds; i++) {
          const msg = randomBytes(1 + i * 7);
          const digest = hash(h, msg, 'buffer');
          const sig = nodeSign(c, h, msg);
          for (const [j, v] of variants(sig, i).entries()) {
            const want = nodeVerify(c, h, msg, v);
            assert.equal(want, j === 0, `oracle, variant ${j}`);
            assert.equal(verifyMessage(c.key, h, msg, v), want, `verifyMessage, variant ${j}`);
            if (c.key.type !== 'ed25519') assert.equal(verifyDigest(c.key, h, digest, v), want, `verifyDigest, variant ${j}`);
            // A pure Ed25519 signature is never an Ed25519ph one; other hashes are not Ed25519ph at all.
            else if (h === 'sha512') assert.equal(verifyDigest(c.key, h, digest, v), false, `verifyDigest, variant ${j}`);
            else assertThrowsCode(() => verifyDigest(c.key, h, digest, v), 'UNSUPPORTED_ALGORITHM');
          }
          assert.equal(verifyMessage(c.key, h, Buffer.concat([msg, Buffer.of(1)]), sig), false);
          if (c.key.type !== 'ed25519') {
            const otherDigest = hash(h, Buffer.concat([msg, Buffer.of(1)]), 'buffer');
            assert.equal(verifyDigest(c.key, h, otherDigest, sig), false);
          }
        }
      });
    }
  }

  it('rejects a signature made with a different hash or a different key', () => {
    const [p256, rsa] = [ecCase('P-256'), rsaCases()[0]!];
    const other = ecCase('P-256');
    const msg = randomBytes(50);
    assert.equal(verifyMessage(other.key, 'sha256', msg, nodeSign(p256, 'sha256', msg)), false);
    assert.equal(verifyDigest(other.key, 'sha256', hash('sha256', msg, 'buffer'), nodeSign(p256, 'sha256', msg)), false);
    assert.equal(verifyMessage(p256.key, 'sha256', msg, nodeSign(p256, 'sha384', msg)), false);
    // RSA: a SHA-384 signature must not pass as SHA-256 even over the "same" digest bytes.
    const rsaSig = nodeSign(rsa, 'sha384', msg);
    assert.equal(verifyDigest(rsa.key, 'sha384', hash('sha384', msg, 'buffer'), rsaSig), true);
    assert.equal(verifyDigest(rsa.key, 'sha256', hash('sha384', msg, 'buffer').subarray(0, 32), rsaSig), false);
  });

  it('throws BAD_DIGEST / UNSUPPORTED_ALGORITHM for misuse', () => {
    const p256 = ecCase('P-256');
    const ed = load('ed25519', generateKeyPairSync('ed25519').privateKey);
    const sig = nodeSign(p256, 'sha256', Buffer.of(1));
    assertThrowsCode(() => verifyDigest(p256.key, 'sha256', new Uint8Array(31), sig), 'BAD_DIGEST');
    assertThrowsCode(() => verifyDigest(p256.key, 'sha384', new Uint8Array(32), sig), 'BAD_DIGEST');
    assertThrowsCode(() => verifyDigest(p256.key, 'md5' as HashAlgorithm, new Uint8Array(16), sig), 'UNSUPPORTED_ALGORITHM');
    assertThrowsCode(() => verifyMessage(p256.key, 'sha1' as HashAlgorithm, Buffer.of(1), sig), 'UNSUPPORTED_ALGORITHM');
    assertThrowsCode(() => verifyDigest(ed.key, 'sha256', new Uint8Array(32), new Uint8Array(64)), 'UNSUPPORTED_ALGORITHM');
    assertThrowsCode(() => verifyDigest(ed.key, 'sha512', new Uint8Array(32), new Uint8Array(64)), 'BAD_DIGEST');
    const identityKey = parsePublicKey(Buffer.concat([ED25519_SPKI_PREFIX, Buffer.of(1), Buffer.alloc(31)]));
    assertThrowsCode(() => verifyDigest(identityKey, 'sha512', new Uint8Array(64), new Uint8Array(64)), 'BAD_PUBLIC_KEY');
  });

  it('verifies Ed25519ph over a SHA-512 digest (RFC 8032 §7.3 vector, random keys, clones)', () => {
    const rfcKey = parsePublicKey(Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf', 'hex')]));
    const rfcSig = Buffer.from(
      '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
      'hex',
    );
    assert.equal(verifyDigest(rfcKey, 'sha512', hash('sha512', 'abc', 'buffer'), rfcSig), true);
    assert.equal(verifyDigest(rfcKey, 'sha512', hash('sha512', 'abd', 'buffer'), rfcSig), false);
    for (let i = 0; i < 4; i++) {
      const c = load('ed25519', generateKeyPairSync('ed25519').privateKey);
      const digest = hash('sha512', randomBytes(40), 'buffer');
      const sig = ed25519ReferenceSign(ed25519SeedOf(c.privateKey), digest, 'ph');
      assert.equal(verifyDigest(c.key, 'sha512', digest, sig), true);
      assert.equal(verifyDigest(structuredClone(c.key), 'sha512', digest, sig), true);
      for (const [j, v] of variants(Buffer.from(sig), i).entries()) assert.equal(verifyDigest(c.key, 'sha512', digest, v), j === 0, `variant ${j}`);
    }
  });

  it('verifies keys that were not produced by parsePublicKey (structured clones)', () => {
    const c = ecCase('P-384');
    const msg = randomBytes(10);
    const sig = nodeSign(c, 'sha384', msg);
    const clone = structuredClone(c.key);
    assert.equal(verifyDigest(clone, 'sha384', hash('sha384', msg, 'buffer'), sig), true);
    assert.equal(verifyMessage(clone, 'sha384', msg, sig), true);
  });
});

describe('checkKeyHash (hashedrekord allow-list)', () => {
  it('allows exactly RSA 2048/3072/4096 + SHA-256, ECDSA P-256/384/521 + any, Ed25519 + SHA-512', () => {
    const keys = [ecCase('P-256'), ecCase('P-384'), ecCase('P-521'), load('ed25519', generateKeyPairSync('ed25519').privateKey), ...rsaCases()];
    for (const { key } of keys) {
      for (const h of HASHES) {
        const allowed = key.type.startsWith('ecdsa') || (key.type === 'rsa' && h === 'sha256') || (key.type === 'ed25519' && h === 'sha512');
        if (allowed) checkKeyHash(key, h);
        else assertThrowsCode(() => checkKeyHash(key, h), 'UNSUPPORTED_ALGORITHM');
      }
    }
    const rsa2049: PublicKey = { ...keys[4]!.key, bits: 2049 };
    assertThrowsCode(() => checkKeyHash(rsa2049, 'sha256'), 'UNSUPPORTED_ALGORITHM');
    assertThrowsCode(() => checkKeyHash(keys[0]!.key, 'sha1' as HashAlgorithm), 'UNSUPPORTED_ALGORITHM');
  });
});
