// @signet/pki: keys, signers and X.509 for Signet. The only front door of the package.
export { PkiError, type PkiErrorCode } from './errors.js';
export type { Signer, SignatureAlgorithm } from './keys/signer.js';
// --- keys (keys/*, pem.ts, public-key.ts) ---
export { pemEncode, pemDecode, pemDecodeAll, type PemBlock } from './pem.js';
export type { KeyConfig } from './keys/config.js';
export { openSigner } from './keys/open.js';
export { EphemeralSigner, DEFAULT_RSA_BITS } from './keys/ephemeral.js';
export { FileSigner, generatePrivateKeyPem, publicKeyPemOf, parsePrivateKeyPem } from './keys/file.js';
export { Pkcs11Signer, type Pkcs11Config } from './keys/pkcs11.js';
export { SIGNATURE_ALGORITHMS } from './keys/node-key.js';
export {
  parsePublicKey,
  parsePublicKeyText,
  keyObjectFor,
  type KeyType,
  type PublicKey,
} from './public-key.js';
export { verifyMessage, verifyDigest, checkKeyHash, HASH_SIZE, type HashAlgorithm } from './verify.js';
export { nativeEcdsaStatus } from './native/index.js';
export { rawEcdsaToDer } from './prehash/ecdsa.js';
// --- certificates (der/*, cert/*) ---
export * as der from './der/index.js';
export {
  SIGSTORE_ARC,
  SIGSTORE_OIDS,
  SIGSTORE_OID_NAMES,
  type SigstoreOidName,
  CT_OIDS,
  EXT_OIDS,
  EKU_OIDS,
  NAME_OIDS,
  SIG_OIDS,
} from './cert/oids.js';
export {
  type Extension,
  type SigstoreEncoding,
  type SigstoreExtensionValue,
  makeExtension,
  sigstoreEncoding,
  sigstoreArcNumber,
  encodeSigstoreExtension,
  decodeSigstoreExtension,
  readSigstoreExtensions,
  encodeExtensions,
} from './cert/extensions.js';
export { type NameInput, EMPTY_NAME, encodeName, describeName } from './cert/name.js';
export {
  type CertificateTemplate,
  type SubjectAltName,
  type LeafProfileInput,
  type CaProfileInput,
  DEFAULT_LEAF_VALIDITY_SECONDS,
  leafTemplate,
  caTemplate,
  randomSerial,
  keyIdentifier,
} from './cert/profile.js';
export {
  type IssuerInfo,
  type IssueOptions,
  type RootCaOptions,
  type IntermediateCaOptions,
  SIGNATURE_ALGORITHM_IDS,
  encodeTbsCertificate,
  issueCertificate,
  createRootCa,
  createIntermediateCa,
  issuerInfoFromCertificate,
} from './cert/build.js';
export {
  type ParsedCertificate,
  type ParsedSubjectAltName,
  KEY_USAGE,
  parseCertificate,
  parseCertificatePem,
} from './cert/parse.js';
export { type VerifyChainOptions, MAX_CHAIN_LENGTH, verifyChain } from './cert/chain.js';
export { type ParsedCsr, parseCsr } from './cert/csr.js';
export {
  type Sct,
  type SctEntry,
  precertTbsForSct,
  issuerKeyHash,
  encodeSct,
  decodeSct,
  encodeSctList,
  decodeSctList,
  sctSignedData,
} from './cert/ct.js';
export { verifySignatureByOid } from './cert/signature.js';
