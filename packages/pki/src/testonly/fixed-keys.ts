// Private keys fixed by the test itself, and deterministic ECDSA signing: fixtures whose bytes are the
// same on every run (seeded fuzz tests replay a reported case exactly). Ed25519 and PKCS#1 RSA
// signatures are deterministic already; ECDSA gets a chosen nonce. Tests only.
import { createECDH, createPrivateKey, type KeyObject } from 'node:crypto';
import { encodeEcdsaSignature, referenceSign } from './ecdsa-reference.js';

/** The Ed25519 private key whose 32-byte seed is `byte` repeated. */
export function fixedEd25519Key(byte: number): KeyObject {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, byte)]);
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

const P256_D = 0x1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988n;

/** A fixed P-256 private key and its scalar `d` (for `fixedNonceP256Sign`). */
export function fixedP256Key(): { privateKey: KeyObject; d: bigint } {
  const d = Buffer.from(P256_D.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  const jwk = { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url') };
  return { privateKey: createPrivateKey({ key: jwk, format: 'jwk' }), d: P256_D };
}

/** A DER ECDSA P-256 signature of `digest` with scalar `d` and a fixed nonce: the same bytes every time. */
export function fixedNonceP256Sign(d: bigint, digest: Uint8Array): Uint8Array {
  const { r, s } = referenceSign('P-256', d, 0x1234567890abcdefn, digest)!;
  return encodeEcdsaSignature(r, s);
}
