// Verifying X.509 / PKCS#10 signatures with node:crypto, by signature-algorithm OID. Public keys are
// imported once per distinct SPKI (a small cache), since a chain's CA keys repeat on every call.
import { type KeyObject, createPublicKey, verify } from 'node:crypto';
import { PkiError } from '../errors.js';
import { nativeEcdsaStatus } from '../native/index.js';
import { type PublicKey, parsePublicKey } from '../public-key.js';
import { type HashAlgorithm, verifyMessage } from '../verify.js';
import { SIG_OIDS } from './oids.js';

/** Digest and key type of each supported signature algorithm OID. */
const ALGORITHMS: Record<string, { digest: string | null; keyType: string }> = {
  [SIG_OIDS.ecdsaWithSha256]: { digest: 'sha256', keyType: 'ec' },
  [SIG_OIDS.ecdsaWithSha384]: { digest: 'sha384', keyType: 'ec' },
  [SIG_OIDS.ecdsaWithSha512]: { digest: 'sha512', keyType: 'ec' },
  [SIG_OIDS.ed25519]: { digest: null, keyType: 'ed25519' },
  [SIG_OIDS.sha256WithRsa]: { digest: 'sha256', keyType: 'rsa' },
  [SIG_OIDS.sha384WithRsa]: { digest: 'sha384', keyType: 'rsa' },
  [SIG_OIDS.sha512WithRsa]: { digest: 'sha512', keyType: 'rsa' },
};

const keyCache = new Map<string, KeyObject>();
const ecKeyCache = new Map<string, PublicKey>();
const KEY_CACHE_MAX = 256;

/** The parsed EC key of `spki` (cached by content), or null when it is not a supported EC key. */
function ecKey(spki: Uint8Array): PublicKey | null {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('base64');
  let key = ecKeyCache.get(id);
  if (key === undefined) {
    try {
      key = parsePublicKey(spki);
    } catch {
      return null;
    }
    if (ecKeyCache.size >= KEY_CACHE_MAX) ecKeyCache.delete(ecKeyCache.keys().next().value!);
    ecKeyCache.set(id, key);
  }
  return key.type === 'ecdsa-p256' || key.type === 'ecdsa-p384' || key.type === 'ecdsa-p521' ? key : null;
}

/**
 * Imports a DER SubjectPublicKeyInfo (cached by content). Throws PkiError('BAD_PUBLIC_KEY') when
 * node:crypto cannot read it.
 */
export function importSpki(spki: Uint8Array): KeyObject {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('base64');
  let key = keyCache.get(id);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    } catch (e) {
      throw new PkiError('BAD_PUBLIC_KEY', 'unreadable SubjectPublicKeyInfo', { cause: e });
    }
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  return key;
}

/**
 * True when `signature` over `data` verifies under `spki` with the algorithm named by
 * `algorithmOid`. Throws PkiError('UNSUPPORTED_ALGORITHM') for an algorithm Signet does not verify
 * and PkiError('BAD_PUBLIC_KEY') for an unreadable key; a key of the wrong type gives false.
 */
export function verifySignatureByOid(algorithmOid: string, spki: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const alg = ALGORITHMS[algorithmOid];
  if (alg === undefined) throw new PkiError('UNSUPPORTED_ALGORITHM', `unsupported signature algorithm ${algorithmOid}`);
  if (alg.keyType === 'ec' && nativeEcdsaStatus().loaded) {
    // The native verifier: P-384 chains (the CA's) cost ~1.2 ms each through OpenSSL 3.0.
    const ec = ecKey(spki);
    if (ec !== null) return verifyMessage(ec, alg.digest as HashAlgorithm, data, signature);
  }
  const key = importSpki(spki);
  if (key.asymmetricKeyType !== alg.keyType) return false;
  try {
    return alg.keyType === 'ec'
      ? verify(alg.digest, data, { key, dsaEncoding: 'der' }, signature)
      : verify(alg.digest, data, key, signature);
  } catch {
    return false; // malformed signature encoding
  }
}
