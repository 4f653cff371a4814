// Pkcs11Signer: a key inside an HSM, reached through PKCS#11 (pkcs11js, loaded lazily).
import { PkiError } from '../errors.js';
import type { KeyConfig } from './config.js';
import type { SignatureAlgorithm, Signer } from './signer.js';

/** PKCS#11 configuration (the `pkcs11` variant of KeyConfig). */
export type Pkcs11Config = Extract<KeyConfig, { kind: 'pkcs11' }>;

/** A Signer whose private key stays inside a PKCS#11 token. (Work in progress: not yet wired.) */
export class Pkcs11Signer implements Signer {
  readonly algorithm: SignatureAlgorithm = 'ecdsa-p256-sha256';
  readonly publicKeyDer: Uint8Array = new Uint8Array();

  private constructor() {}

  /** Not implemented yet: always throws `PkiError('KEY_BACKEND_UNAVAILABLE')`. */
  static async open(_cfg: Pkcs11Config): Promise<Pkcs11Signer> {
    throw new PkiError('KEY_BACKEND_UNAVAILABLE', 'the PKCS#11 backend is not implemented yet');
  }

  /** Unreachable until open() is implemented. */
  async sign(_data: Uint8Array): Promise<Uint8Array> {
    throw new PkiError('KEY_BACKEND_UNAVAILABLE', 'the PKCS#11 backend is not implemented yet');
  }

  /** Idempotent. */
  async close(): Promise<void> {}
}
