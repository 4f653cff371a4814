// Proof of possession (Fulcio §2): a signature over the challenge with the key's default scheme,
// or a CSR's self-signature. Both end in a validated public key the certificate may carry.
import {
  type HashAlgorithm,
  PkiError,
  type PkiErrorCode,
  type PublicKey,
  SIG_OIDS,
  der,
  parseCsr,
  parsePublicKey,
  parsePublicKeyText,
  pemDecodeAll,
  verifyMessage,
} from '@signet/pki';
import { CaError, type CaErrorCode } from './errors.js';

/** The digest of each key type's proof of possession (ECDSA: curve-matched; RSA: PKCS#1 v1.5 SHA-256). */
const POP_HASH: Record<PublicKey['type'], HashAlgorithm> = {
  'ecdsa-p256': 'sha256',
  'ecdsa-p384': 'sha384',
  'ecdsa-p521': 'sha512',
  rsa: 'sha256',
  ed25519: 'sha512', // ignored: Ed25519 signs the message itself
};

/** Fulcio's default client allow-list for CSRs: the signature algorithm each key type may use. */
const CSR_SIGNATURE_OID: Record<PublicKey['type'], string> = {
  'ecdsa-p256': SIG_OIDS.ecdsaWithSha256,
  'ecdsa-p384': SIG_OIDS.ecdsaWithSha384,
  'ecdsa-p521': SIG_OIDS.ecdsaWithSha512,
  rsa: SIG_OIDS.sha256WithRsa,
  ed25519: SIG_OIDS.ed25519,
};

/**
 * Parses `publicKey` (PEM text, base64 DER text, or raw bytes holding either PEM or DER) and checks
 * that `proof` signs the UTF-8 bytes of `challenge` with it. Returns the key's DER SPKI.
 * Throws CaError BAD_PUBLIC_KEY, WEAK_KEY, UNSUPPORTED_KEY or BAD_PROOF_OF_POSSESSION.
 */
export function verifyProofOfPossession(publicKey: string | Uint8Array, proof: Uint8Array, challenge: string): Uint8Array {
  const key = withCaErrors('public key', () => parseKey(publicKey));
  const ok = verifyMessage(key, POP_HASH[key.type], Buffer.from(challenge, 'utf8'), proof);
  if (!ok) {
    throw new CaError(
      'BAD_PROOF_OF_POSSESSION',
      `the proof of possession is not a valid ${describe(key)} signature over the token's challenge claim`,
    );
  }
  return key.spki;
}

/**
 * Parses a CSR (PEM or DER bytes), checks its self-signature and its key. Returns the key's DER SPKI.
 * Throws CaError BAD_CSR, BAD_PROOF_OF_POSSESSION (self-signature fails), WEAK_KEY or UNSUPPORTED_KEY.
 */
export function verifyCsr(csr: string | Uint8Array): Uint8Array {
  const text = typeof csr === 'string' ? csr : looksLikePem(csr) ? Buffer.from(csr).toString('utf8') : undefined;
  const parsed = withCaErrors('CSR', () => parseCsr(text ?? (csr as Uint8Array)));
  const key = withCaErrors('CSR public key', () => parsePublicKey(parsed.spki));
  const algorithm = withCaErrors('CSR', () => csrSignatureOid(text ?? (csr as Uint8Array)));
  if (algorithm !== CSR_SIGNATURE_OID[key.type]) {
    throw new CaError(
      'ALGORITHM_NOT_PERMITTED',
      `signing algorithm not permitted: a ${key.type} CSR must be signed with ${CSR_SIGNATURE_OID[key.type]}, not ${algorithm}`,
    );
  }
  return key.spki;
}

/** The signatureAlgorithm OID of a CSR (already parsed and verified by parseCsr). */
function csrSignatureOid(csr: string | Uint8Array): string {
  const bytes = typeof csr === 'string' ? pemDecodeAll(csr).find((b) => b.label.endsWith('CERTIFICATE REQUEST'))!.der : csr;
  const c = der.readDer(bytes).cursor();
  c.next(der.TAG.SEQUENCE, 'certificationRequestInfo');
  return der.decodeOid(c.next(der.TAG.SEQUENCE, 'signatureAlgorithm').cursor().next(der.TAG.OID, 'algorithm'));
}

function parseKey(publicKey: string | Uint8Array): PublicKey {
  if (typeof publicKey === 'string') return parsePublicKeyText(publicKey);
  if (looksLikePem(publicKey)) return parsePublicKeyText(Buffer.from(publicKey).toString('utf8'));
  return parsePublicKey(publicKey);
}

function looksLikePem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN');
}

function describe(key: PublicKey): string {
  return key.type === 'rsa' ? `RSA-${key.bits} PKCS#1 v1.5 SHA-256` : key.type === 'ed25519' ? 'Ed25519' : `ECDSA ${key.type.slice(6).toUpperCase()} ${POP_HASH[key.type].toUpperCase()}`;
}

const FROM_PKI: Partial<Record<PkiErrorCode, CaErrorCode>> = {
  BAD_PEM: 'BAD_PUBLIC_KEY',
  BAD_DER: 'BAD_PUBLIC_KEY',
  BAD_PUBLIC_KEY: 'BAD_PUBLIC_KEY',
  WEAK_KEY: 'WEAK_KEY',
  UNSUPPORTED_KEY: 'UNSUPPORTED_KEY',
  UNSUPPORTED_ALGORITHM: 'ALGORITHM_NOT_PERMITTED',
  BAD_CSR: 'BAD_CSR',
  BAD_SIGNATURE: 'BAD_PROOF_OF_POSSESSION',
};

/** Runs `fn`, turning its PkiError into the matching CaError whose message names `what`. */
function withCaErrors<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof PkiError)) throw err;
    let code = FROM_PKI[err.code] ?? 'BAD_PUBLIC_KEY';
    if (what === 'CSR' && code === 'BAD_PUBLIC_KEY') code = 'BAD_CSR';
    const prefix = code === 'WEAK_KEY' ? `insecure ${what}` : code === 'UNSUPPORTED_KEY' ? `unsupported ${what}` : `invalid ${what}`;
    throw new CaError(code, `${prefix}: ${err.message}`, { cause: err });
  }
}
