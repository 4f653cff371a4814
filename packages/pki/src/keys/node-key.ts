// Signing with a node:crypto private KeyObject: shared by the ephemeral and file backends.
import { type KeyObject, constants, createPublicKey, sign } from 'node:crypto';
import { PkiError } from '../errors.js';
import { nativeSignP256, nativeSignP384 } from '../native/index.js';
import type { SignatureAlgorithm } from './signer.js';

/** Every algorithm a Signer can have, in a fixed order (for config validation and messages). */
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'ecdsa-p521-sha512',
  'ed25519',
  'rsa-pkcs1-sha256',
];

const CURVE_ALGORITHM: Record<string, SignatureAlgorithm> = {
  prime256v1: 'ecdsa-p256-sha256',
  secp384r1: 'ecdsa-p384-sha384',
  secp521r1: 'ecdsa-p521-sha512',
};

/** True when `value` names a SignatureAlgorithm. */
export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * The signature algorithm a private (or public) KeyObject signs with. RSA keys must be 2048-4096
 * bits with e = 65537. Throws `PkiError('UNSUPPORTED_KEY')` for other key types or curves,
 * `PkiError('WEAK_KEY')` for RSA keys outside those bounds.
 */
export function algorithmOfKey(key: KeyObject): SignatureAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const alg = CURVE_ALGORITHM[details.namedCurve ?? ''];
      if (alg === undefined) {
        throw new PkiError('UNSUPPORTED_KEY', `unsupported EC curve ${details.namedCurve ?? '(unnamed)'}`);
      }
      return alg;
    }
    case 'ed25519':
      return 'ed25519';
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < 2048 || bits > 4096 || details.publicExponent !== 65537n) {
        throw new PkiError('WEAK_KEY', `RSA key of ${bits} bits, e=${details.publicExponent}: need 2048-4096 bits, e=65537`);
      }
      return 'rsa-pkcs1-sha256';
    }
    default:
      throw new PkiError('UNSUPPORTED_KEY', `unsupported key type ${key.asymmetricKeyType ?? '(none)'}`);
  }
}

/** The SubjectPublicKeyInfo DER of a private or public KeyObject. */
export function spkiOf(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(pub.export({ format: 'der', type: 'spki' }));
}

/**
 * Signs `data` with `key` under `algorithm` (ECDSA: DER signature over the hashed data; Ed25519:
 * pure; RSA: PKCS#1 v1.5 with SHA-256). The caller guarantees the key matches the algorithm.
 */
export function signWithKey(algorithm: SignatureAlgorithm, key: KeyObject, data: Uint8Array): Uint8Array {
  switch (algorithm) {
    case 'ecdsa-p256-sha256':
      return nativeSignP256(key, data) ?? sign('sha256', data, { key, dsaEncoding: 'der' });
    case 'ecdsa-p384-sha384':
      // OpenSSL 3.0's P-384 is generic code (~1.4 ms a signature); the addon's is several times faster.
      return nativeSignP384(key, data) ?? sign('sha384', data, { key, dsaEncoding: 'der' });
    case 'ecdsa-p521-sha512':
      return sign('sha512', data, { key, dsaEncoding: 'der' });
    case 'ed25519':
      return sign(null, data, key);
    case 'rsa-pkcs1-sha256':
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING });
  }
}
