// @signet/pki: keys, signers and X.509 for Signet. The only front door of the package.
export { PkiError, type PkiErrorCode } from './errors.js';
export type { Signer, SignatureAlgorithm } from './keys/signer.js';
// --- keys (keys/*, pem.ts, public-key.ts) ---
export { pemEncode, pemDecode, pemDecodeAll, type PemBlock } from './pem.js';
export type { KeyConfig } from './keys/config.js';
export { openSigner } from './keys/open.js';
export { EphemeralSigner, DEFAULT_RSA_BITS } from './keys/ephemeral.js';
export { FileSigner, generatePrivateKeyPem, publicKeyPemOf } from './keys/file.js';
export { Pkcs11Signer, type Pkcs11Config } from './keys/pkcs11.js';
export { SIGNATURE_ALGORITHMS } from './keys/node-key.js';
// --- certificates (der/*, cert/*) ---
