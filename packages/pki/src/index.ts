// @signet/pki: keys, signers and X.509 for Signet. The only front door of the package.
export { PkiError, type PkiErrorCode } from './errors.js';
export type { Signer, SignatureAlgorithm } from './keys/signer.js';
// --- keys (keys/*, pem.ts, public-key.ts) ---
// --- certificates (der/*, cert/*) ---
