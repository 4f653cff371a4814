import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { bitString, int, nul, oid, seq } from './der/writer.js';
import { pemEncode } from './pem.js';
import { type KeyType, keyObjectFor, parsePublicKey, parsePublicKeyText } from './public-key.js';
import { assertThrowsCode } from './testonly/assert-code.js';
import { rsaTestKey } from './testonly/fixtures.js';

const spkiOf = (k: KeyObject) => new Uint8Array(k.export({ format: 'der', type: 'spki' }));
const jwkBytes = (s: string | undefined) => new Uint8Array(Buffer.from(s!, 'base64url'));

/** An RSA SPKI with arbitrary modulus and exponent (what no generator would produce). */
function rsaSpki(n: bigint, e: bigint, params: Uint8Array | null = nul()): Uint8Array {
  const alg = params === null ? seq(oid('1.2.840.113549.1.1.1')) : seq(oid('1.2.840.113549.1.1.1'), params);
  return seq(alg, bitString(seq(int(n), int(e))));
}

describe('parsePublicKey', () => {
  const ec: [string, KeyType, number][] = [['P-256', 'ecdsa-p256', 256], ['P-384', 'ecdsa-p384', 384], ['P-521', 'ecdsa-p521', 521]];
  for (const [curve, type, bits] of ec) {
    it(`parses ${curve} keys: type, bits, uncompressed point`, () => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const key = parsePublicKey(spkiOf(publicKey));
      const jwk = publicKey.export({ format: 'jwk' });
      assert.equal(key.type, type);
      assert.equal(key.bits, bits);
      assert.deepEqual(key.raw, new Uint8Array([4, ...jwkBytes(jwk.x), ...jwkBytes(jwk.y)]));
      assert.deepEqual(key.spki, spkiOf(publicKey));
      assert.ok(keyObjectFor(key).equals(publicKey));
      assert.equal(keyObjectFor(key), keyObjectFor(key), 'cached');
    });
  }

  it('parses Ed25519 and RSA 2048/3072/4096 keys', () => {
    const ed = generateKeyPairSync('ed25519').publicKey;
    const k = parsePublicKey(spkiOf(ed));
    assert.deepEqual([k.type, k.bits], ['ed25519', 256]);
    assert.deepEqual(k.raw, jwkBytes(ed.export({ format: 'jwk' }).x));
    assert.ok(keyObjectFor(k).equals(ed));
    for (const bits of [2048, 3072, 4096]) {
      const publicKey = createPublicKey(rsaTestKey(bits as 2048 | 3072 | 4096));
      const r = parsePublicKey(spkiOf(publicKey));
      assert.deepEqual([r.type, r.bits], ['rsa', bits]);
      assert.deepEqual(r.raw, jwkBytes(publicKey.export({ format: 'jwk' }).n));
      assert.ok(keyObjectFor(r).equals(publicKey));
    }
  });

  it('rejects malformed SPKI with BAD_PUBLIC_KEY', () => {
    const good = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    const p256 = '1.2.840.10045.3.1.7';
    const ecAlg = seq(oid('1.2.840.10045.2.1'), oid(p256));
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      good.subarray(0, good.length - 1), // truncated
      new Uint8Array([...good, 0]), // trailing byte
      new Uint8Array([0x31, ...good.subarray(1)]), // SET instead of SEQUENCE
      seq(ecAlg), // no key
      seq(ecAlg, bitString(good.subarray(27, 27 + 40))), // short point
      seq(ecAlg, bitString(new Uint8Array([2, ...good.subarray(27, 27 + 40)]))), // compressed prefix, wrong length
      seq(ecAlg, bitString(new Uint8Array([3, ...good.subarray(27)]))), // compressed prefix, uncompressed length
      seq(ecAlg, bitString(new Uint8Array([5, ...good.subarray(28)]))), // bad point prefix
      seq(seq(oid('1.2.840.10045.2.1')), bitString(good.subarray(26))), // no curve parameter
      seq(seq(oid('1.3.101.112')), bitString(new Uint8Array(31))), // Ed25519 of 31 bytes
      seq(seq(oid('1.3.101.112'), nul()), bitString(new Uint8Array(32))), // Ed25519 with parameters
      rsaSpki(0n, 65537n), // zero modulus
      rsaSpki(-5n, 65537n), // negative modulus
      rsaSpki(3n ** 1300n, 65537n, null), // no NULL parameters
    ];
    for (const c of cases) assertThrowsCode(() => parsePublicKey(c), 'BAD_PUBLIC_KEY');
  });

  it('rejects other curves and key types with UNSUPPORTED_KEY', () => {
    const cases: KeyObject[] = [
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey,
      generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }).publicKey,
      generateKeyPairSync('ed448').publicKey,
      generateKeyPairSync('x25519').publicKey,
      generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).publicKey,
      generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).publicKey,
    ];
    for (const k of cases) assertThrowsCode(() => parsePublicKey(spkiOf(k)), 'UNSUPPORTED_KEY');
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const compressed = p256.export({ format: 'jwk' });
    const x = jwkBytes(compressed.x);
    const point = new Uint8Array([2 + (jwkBytes(compressed.y)[31]! & 1), ...x]);
    assertThrowsCode(() => parsePublicKey(seq(seq(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')), bitString(point))), 'UNSUPPORTED_KEY');
  });

  it('rejects weak keys with WEAK_KEY', () => {
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const rsaE3 = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey;
    assertThrowsCode(() => parsePublicKey(spkiOf(rsa1024)), 'WEAK_KEY');
    assertThrowsCode(() => parsePublicKey(spkiOf(rsaE3)), 'WEAK_KEY');
    assertThrowsCode(() => parsePublicKey(rsaSpki((1n << 4200n) + 1n, 65537n)), 'WEAK_KEY'); // > 4096 bits
    assertThrowsCode(() => parsePublicKey(rsaSpki((1n << 2047n) + 2n, 65537n)), 'WEAK_KEY'); // even modulus
    const good = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    const offCurve = good.slice();
    offCurve[offCurve.length - 1]! ^= 1;
    assertThrowsCode(() => parsePublicKey(offCurve), 'WEAK_KEY');
  });
});

describe('parsePublicKeyText', () => {
  it('accepts PEM and base64 DER, rejects anything else', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = spkiOf(publicKey);
    assert.deepEqual(parsePublicKeyText(pemEncode('PUBLIC KEY', der)).spki, der);
    assert.deepEqual(parsePublicKeyText(Buffer.from(der).toString('base64')).spki, der);
    assertThrowsCode(() => parsePublicKeyText('not a key!'), 'BAD_PUBLIC_KEY');
    assertThrowsCode(() => parsePublicKeyText(''), 'BAD_PUBLIC_KEY');
    assertThrowsCode(() => parsePublicKeyText(pemEncode('CERTIFICATE', der)), 'BAD_PEM');
    assertThrowsCode(() => parsePublicKeyText(Buffer.from('hello').toString('base64')), 'BAD_PUBLIC_KEY');
  });
});
