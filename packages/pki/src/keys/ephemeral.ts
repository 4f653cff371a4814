// EphemeralSigner: a key generated in memory at boot and never persisted (development and tests).
import { type KeyObject, generateKeyPairSync } from 'node:crypto';
import { PkiError } from '../errors.js';
import { algorithmOfKey, isSignatureAlgorithm, signWithKey, spkiOf } from './node-key.js';
import type { SignatureAlgorithm, Signer } from './signer.js';

/** RSA modulus size of generated RSA keys unless told otherwise. */
export const DEFAULT_RSA_BITS = 3072;

/**
 * Generates a fresh node:crypto private key for `algorithm` (RSA: `rsaBits`, default 3072).
 * Throws `PkiError('BAD_KEY_CONFIG')` for an unknown algorithm.
 */
export function generatePrivateKey(algorithm: SignatureAlgorithm, rsaBits = DEFAULT_RSA_BITS): KeyObject {
  switch (algorithm) {
    case 'ecdsa-p256-sha256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'ecdsa-p384-sha384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    case 'ecdsa-p521-sha512':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey;
    case 'rsa-pkcs1-sha256':
      if (!Number.isInteger(rsaBits) || rsaBits < 2048 || rsaBits > 4096) {
        throw new PkiError('BAD_KEY_CONFIG', `RSA key size must be 2048-4096 bits, got ${rsaBits}`);
      }
      return generateKeyPairSync('rsa', { modulusLength: rsaBits, publicExponent: 65537 }).privateKey;
    default:
      throw new PkiError('BAD_KEY_CONFIG', `unknown signature algorithm ${JSON.stringify(algorithm)}`);
  }
}

/**
 * A Signer over a node:crypto private key held in process memory. `generate` makes a fresh key;
 * the constructor wraps an existing one (its algorithm is derived from the key).
 */
export class EphemeralSigner implements Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly publicKeyDer: Uint8Array;
  #key: KeyObject | undefined;

  /** Wraps `privateKey`; throws UNSUPPORTED_KEY / WEAK_KEY when Signet cannot sign with it. */
  constructor(privateKey: KeyObject) {
    if (privateKey.type !== 'private') throw new PkiError('BAD_KEY_CONFIG', 'EphemeralSigner needs a private key');
    this.algorithm = algorithmOfKey(privateKey);
    this.publicKeyDer = spkiOf(privateKey);
    this.#key = privateKey;
  }

  /** A signer over a freshly generated key. Throws `PkiError('BAD_KEY_CONFIG')` for an unknown algorithm. */
  static generate(algorithm: SignatureAlgorithm, options: { rsaBits?: number } = {}): EphemeralSigner {
    if (!isSignatureAlgorithm(algorithm)) {
      throw new PkiError('BAD_KEY_CONFIG', `unknown signature algorithm ${JSON.stringify(algorithm)}`);
    }
    return new EphemeralSigner(generatePrivateKey(algorithm, options.rsaBits));
  }

  /** Signs synchronously under the hood; throws `PkiError('KEY_BACKEND_ERROR')` after close(). */
  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (this.#key === undefined) throw new PkiError('KEY_BACKEND_ERROR', 'signer is closed');
    return signWithKey(this.algorithm, this.#key, data);
  }

  /** Drops the key reference; idempotent. */
  async close(): Promise<void> {
    this.#key = undefined;
  }
}
