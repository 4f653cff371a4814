/**
 * The one signing interface of Signet. The CA signs certificates with it; the logs sign checkpoints,
 * SETs, SCTs and STHs with it. Backends: ephemeral (in memory), file (PKCS#8, optionally encrypted)
 * and pkcs11 (an HSM; the key never leaves it).
 */

/** Signature schemes Signet signs with. ECDSA signatures are ASN.1 DER (RFC 3279). */
export type SignatureAlgorithm =
  | 'ecdsa-p256-sha256'
  | 'ecdsa-p384-sha384'
  | 'ecdsa-p521-sha512'
  | 'ed25519'
  | 'rsa-pkcs1-sha256';

/** A signing key behind one of the backends above; obtain one with `openSigner`. */
export interface Signer {
  /** How `sign` signs; fixed for the signer's lifetime. */
  readonly algorithm: SignatureAlgorithm;
  /** The public key as DER SubjectPublicKeyInfo. */
  readonly publicKeyDer: Uint8Array;
  /** Signs `data` (hashing it with the algorithm's digest first, except for Ed25519). */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** Releases the backend (HSM session); idempotent. */
  close(): Promise<void>;
}
