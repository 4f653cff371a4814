// Ed25519ph verification (RFC 8032 §5.1, phflag = 1, empty context), as Rekor's hashedrekord
// verifies Ed25519 keys: the signature is over PH(M) = SHA-512(M), and the server is given only
// PH(M). node:crypto cannot do this on OpenSSL 3.0 (its Ed25519 has no ph/ctx instances), so the
// group arithmetic is ours (edwards25519.ts); hashing stays with node:crypto.
//
// Which equation: RFC 8032 §5.1.7 allows the cofactored [8][S]B = [8]R + [8][k]A or the
// cofactorless [S]B = R + [k]A. We check the cofactorless one, as Go's crypto/ed25519 (Rekor's
// verifier) does, so that a signature is accepted here exactly when Rekor accepts it: the two only
// differ for an R or an A with a small-order component, which honest signers never produce.
// Encodings are decoded as strictly as §5.1.3 says; for R that is what Go amounts to (it compares
// the encoding of [S]B - [k]A with R's bytes). Two deliberate differences from Go, both for keys no
// key generator produces: a non-canonical A (y ≥ p, or x = 0 with the sign bit set) and a
// small-order A (under which anyone can forge signatures) are refused as bad public keys.
import { createHash } from 'node:crypto';
import { PkiError } from '../errors.js';
import { L, decodePoint, equal, fromLittleEndian, isSmallOrder, linearCombination, negate, type Point } from './edwards25519.js';

/** dom2(1, "") of RFC 8032 §5.1: the prefix that separates Ed25519ph from pure Ed25519. */
export const DOM2_PH: Uint8Array = new Uint8Array(Buffer.concat([Buffer.from('SigEd25519 no Ed25519 collisions', 'latin1'), Buffer.of(1, 0)]));

/** Bytes of an Ed25519 public key, of PH(M), and of a signature. */
const KEY_SIZE = 32;
const DIGEST_SIZE = 64;
const SIGNATURE_SIZE = 64;

/**
 * Decodes an Ed25519 public key for verification. Throws `PkiError('BAD_PUBLIC_KEY')` unless it is
 * the canonical encoding of a curve point of order greater than 8.
 */
export function decodeEd25519PublicKey(publicKey: Uint8Array): Point {
  if (publicKey.length !== KEY_SIZE) throw new PkiError('BAD_PUBLIC_KEY', `Ed25519 key of ${publicKey.length} bytes, need 32`);
  const a = decodePoint(publicKey);
  if (a === null) throw new PkiError('BAD_PUBLIC_KEY', 'Ed25519 key is not the canonical encoding of a curve point (RFC 8032 §5.1.3)');
  if (isSmallOrder(a)) throw new PkiError('BAD_PUBLIC_KEY', 'Ed25519 key is a point of small order');
  return a;
}

/** k = SHA-512(dom2(1, "") ‖ R ‖ A ‖ PH(M)) mod L (RFC 8032 §5.1.6 step 4, §5.1.7 step 2). */
export function ed25519phChallenge(r: Uint8Array, publicKey: Uint8Array, digest: Uint8Array): bigint {
  const h = createHash('sha512').update(DOM2_PH).update(r).update(publicKey).update(digest).digest();
  return fromLittleEndian(h) % L;
}

/**
 * Verifies an Ed25519ph signature (R ‖ S, 64 bytes) by the 32-byte `publicKey` over the 64-byte
 * SHA-512 `digest` of the message (RFC 8032 §5.1.7, cofactorless, see the file comment). Returns
 * false for a wrong or malformed signature (wrong length, R not a canonical point encoding,
 * S ≥ L). Throws `PkiError`: BAD_PUBLIC_KEY (see `decodeEd25519PublicKey`), BAD_DIGEST (not 64 bytes).
 */
export function verifyEd25519ph(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const a = decodeEd25519PublicKey(publicKey);
  if (digest.length !== DIGEST_SIZE) throw new PkiError('BAD_DIGEST', `an Ed25519ph digest (SHA-512) has 64 bytes, got ${digest.length}`);
  if (signature.length !== SIGNATURE_SIZE) return false;
  const rBytes = signature.subarray(0, 32);
  const r = decodePoint(rBytes);
  if (r === null) return false;
  const s = fromLittleEndian(signature.subarray(32));
  if (s >= L) return false; // RFC 8032 §5.1.7 step 1: malleable otherwise
  const k = ed25519phChallenge(rBytes, publicKey, digest);
  // [S]B = R + [k]A  ⇔  [S]B + [k](-A) = R
  return equal(linearCombination(s, k, negate(a)), r);
}
