// KeyConfig: how an operator tells Signet where a signing key lives (one variant per backend).
import type { SignatureAlgorithm } from './signer.js';

/**
 * Where a signing key lives. `ephemeral`: generated in memory at boot (development, tests).
 * `file`: a PKCS#8 PEM file, optionally encrypted with `password`; `algorithm`, when given, must
 * match the key. `pkcs11`: a key inside an HSM token reached through the PKCS#11 `module` (a .so
 * path); the token is chosen by `tokenLabel` or `slot` (first token when neither is given), the
 * private key by `keyLabel` and/or `keyId` (hex CKA_ID); the key never leaves the token.
 */
export type KeyConfig =
  | { kind: 'ephemeral'; algorithm: SignatureAlgorithm }
  | { kind: 'file'; path: string; password?: string; algorithm?: SignatureAlgorithm }
  | { kind: 'pkcs11'; module: string; tokenLabel?: string; slot?: number; pin: string; keyLabel?: string; keyId?: string };
