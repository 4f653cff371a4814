// Signature verification for every key type Signet accepts: over a message, and PREHASHED over a
// digest (Rekor hashedrekord gives the server only the artifact digest).
import { constants, hash as digestOf, verify } from 'node:crypto';
import { PkiError } from './errors.js';
import { nativeVerifyEcdsaDigest } from './native/index.js';
import { verifyEcdsaDigest } from './prehash/ecdsa.js';
import { verifyEd25519ph } from './prehash/ed25519ph.js';
import { verifyRsaPkcs1Digest } from './prehash/rsa.js';
import { type PublicKey, ecDetailsOf, keyObjectFor } from './public-key.js';

/** Digest algorithms of hashedrekord (and of our signatures). */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** Digest length in bytes, by algorithm. */
export const HASH_SIZE: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };

function checkHash(hash: HashAlgorithm): void {
  if (!Object.hasOwn(HASH_SIZE, hash)) throw new PkiError('UNSUPPORTED_ALGORITHM', `unsupported hash algorithm ${JSON.stringify(hash)}`);
}

/**
 * Verifies `signature` over `message`: ECDSA (DER signature) and RSA PKCS#1 v1.5 with `hash`;
 * Ed25519 pure (`hash` ignored). ECDSA goes to the native addon when it is loaded (no KeyObject
 * import per key); otherwise node:crypto with the key's cached KeyObject. Returns false
 * for a wrong or malformed signature; throws `PkiError('UNSUPPORTED_ALGORITHM')` for an unknown hash.
 */
export function verifyMessage(key: PublicKey, hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): boolean {
  checkHash(hash);
  const native = nativeVerifyMessage(key, hash, message, signature);
  if (native !== undefined) return native;
  const ko = keyObjectFor(key);
  try {
    switch (key.type) {
      case 'ed25519':
        return verify(null, message, ko, signature);
      case 'rsa':
        return verify(hash, message, { key: ko, padding: constants.RSA_PKCS1_PADDING }, signature);
      default:
        return verify(hash, message, { key: ko, dsaEncoding: 'der' }, signature);
    }
  } catch {
    return false;
  }
}

/** ECDSA over a message by the native addon (hash here, verify the digest there); undefined without it. */
function nativeVerifyMessage(key: PublicKey, hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): boolean | undefined {
  if (key.type !== 'ecdsa-p256' && key.type !== 'ecdsa-p384' && key.type !== 'ecdsa-p521') return undefined;
  const digest = digestOf(hash, message, 'buffer');
  return nativeVerifyEcdsaDigest(ecDetailsOf(key).curve, key.raw, digest, signature);
}

/**
 * Verifies `signature` over the message whose `hash` digest is `digest` (PREHASHED, as Rekor's
 * hashedrekord does): ECDSA with exact FIPS 186-5 semantics (native scalar multiplications, see
 * prehash/ecdsa.ts), RSA PKCS#1 v1.5 via DigestInfo, Ed25519 as Ed25519ph (RFC 8032 §5.1, empty
 * context, SHA-512 only; our own arithmetic, see prehash/ed25519ph.ts, as node:crypto on OpenSSL
 * 3.0 lacks it). Returns false for a wrong or malformed signature. Throws `PkiError`: BAD_DIGEST
 * (length does not match `hash`), UNSUPPORTED_ALGORITHM (unknown hash; Ed25519 with a hash other
 * than SHA-512), BAD_PUBLIC_KEY (an Ed25519 key that is not a canonical point of large order).
 */
export function verifyDigest(key: PublicKey, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  checkHash(hash);
  if (digest.length !== HASH_SIZE[hash]) {
    throw new PkiError('BAD_DIGEST', `a ${hash} digest has ${HASH_SIZE[hash]} bytes, got ${digest.length}`);
  }
  switch (key.type) {
    case 'ed25519':
      if (hash !== 'sha512') throw new PkiError('UNSUPPORTED_ALGORITHM', `Ed25519 over a digest is Ed25519ph, which takes sha512, not ${hash}`);
      return verifyEd25519ph(key.raw, digest, signature);
    case 'rsa':
      return verifyRsaPkcs1Digest(keyObjectFor(key), key.raw.length, hash, digest, signature);
    default: {
      const { curve, q } = ecDetailsOf(key);
      return nativeVerifyEcdsaDigest(curve, key.raw, digest, signature) ?? verifyEcdsaDigest(curve, q, digest, signature);
    }
  }
}

/**
 * Enforces Rekor's hashedrekord allow-list of (key, hash) pairs: RSA 2048/3072/4096 with SHA-256,
 * ECDSA P-256/P-384/P-521 with SHA-256/384/512, Ed25519 with SHA-512 (verified as Ed25519ph).
 * Throws `PkiError('UNSUPPORTED_ALGORITHM')` naming the pair.
 */
export function checkKeyHash(key: PublicKey, hash: HashAlgorithm): void {
  checkHash(hash);
  let ok: boolean;
  switch (key.type) {
    case 'rsa':
      ok = hash === 'sha256' && (key.bits === 2048 || key.bits === 3072 || key.bits === 4096);
      break;
    case 'ed25519':
      ok = hash === 'sha512';
      break;
    default:
      ok = true;
  }
  if (!ok) {
    const name = key.type === 'rsa' ? `rsa-${key.bits}` : key.type;
    throw new PkiError('UNSUPPORTED_ALGORITHM', `key/hash pair ${name} with ${hash} is not allowed`);
  }
}
