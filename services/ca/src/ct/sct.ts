// Reading a CT log's add-pre-chain answer (RFC 6962 §4.1) into an SCT, and checking it (§3.2).
import { type KeyObject, createHash, verify } from 'node:crypto';
import { type HashAlgorithm, type PublicKey, type Sct, issuerKeyHash, nativeEcdsaStatus, parsePublicKey, sctSignedData, verifyMessage } from '@signet/pki';
import { CaError } from '../errors.js';

/** An `add-chain`/`add-pre-chain` response body (RFC 6962 §4.1), all binary fields base64. */
export interface AddChainResponse {
  sct_version: number;
  id: string;
  timestamp: number;
  extensions: string;
  /** The TLS `DigitallySigned` struct: hash alg, signature alg, u16 length, signature. */
  signature: string;
}

/**
 * Validates and decodes an add-(pre-)chain response. Throws `CaError('CT_UNAVAILABLE')` naming the
 * malformed field (the log answered something that is not an RFC 6962 v1 SCT).
 */
export function sctFromResponse(body: unknown): Sct {
  const bad = (what: string) => new CaError('CT_UNAVAILABLE', `CT log returned a malformed SCT: ${what}`);
  if (typeof body !== 'object' || body === null) throw bad('the body is not a JSON object');
  const r = body as Partial<Record<keyof AddChainResponse, unknown>>;
  if (r.sct_version !== 0) throw bad(`sct_version ${JSON.stringify(r.sct_version)} (only v1 = 0 is known)`);
  const b64 = (v: unknown, name: string) => {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw bad(`"${name}" is not base64`);
    return new Uint8Array(Buffer.from(v, 'base64'));
  };
  const logId = b64(r.id, 'id');
  if (logId.length !== 32) throw bad(`"id" has ${logId.length} bytes, not 32`);
  if (typeof r.timestamp !== 'number' || !Number.isSafeInteger(r.timestamp) || r.timestamp < 0) {
    throw bad('"timestamp" is not a millisecond count');
  }
  const extensions = b64(r.extensions ?? '', 'extensions');
  if (extensions.length > 0xffff) throw bad('"extensions" is too long');
  const ds = b64(r.signature, 'signature');
  if (ds.length < 5 || ((ds[2]! << 8) | ds[3]!) !== ds.length - 4) throw bad('"signature" is not a TLS DigitallySigned struct');
  return {
    version: 0,
    logId,
    timestamp: BigInt(r.timestamp),
    extensions,
    hashAlgorithm: ds[0]!,
    signatureAlgorithm: ds[1]!,
    signature: ds.subarray(4),
  };
}

const HASHES: Record<number, string> = { 4: 'sha256', 5: 'sha384', 6: 'sha512' };

/** SHA-256 of each log key's SPKI, computed once per KeyObject (an export costs ~0.2 ms). */
const logIds = new WeakMap<KeyObject, Buffer>();

function logIdOf(logKey: KeyObject): Buffer {
  let id = logIds.get(logKey);
  if (id === undefined) {
    id = createHash('sha256').update(logKey.export({ format: 'der', type: 'spki' })).digest();
    logIds.set(logKey, id);
  }
  return id;
}

const ecKeys = new WeakMap<KeyObject, PublicKey | null>();

/** The parsed EC log key for the native verifier (once per key), or undefined without the addon. */
function nativeEcKeyOf(logKey: KeyObject): PublicKey | undefined {
  if (!nativeEcdsaStatus().loaded) return undefined;
  let key = ecKeys.get(logKey);
  if (key === undefined) {
    try {
      key = parsePublicKey(new Uint8Array(logKey.export({ format: 'der', type: 'spki' })));
    } catch {
      key = null;
    }
    ecKeys.set(logKey, key);
  }
  return key ?? undefined;
}

/**
 * Checks that `sct` comes from the log whose key is `logKey` and signs the precertificate whose
 * `PreCert.tbs_certificate` is `precertTbs`, issued by the CA with key `issuerSpkiDer`.
 * Throws `CaError('CT_UNAVAILABLE')` naming the mismatch (log ID, algorithm, signature).
 */
export function verifyPrecertSct(sct: Sct, logKey: KeyObject, issuerSpkiDer: Uint8Array, precertTbs: Uint8Array): void {
  const expectedId = logIdOf(logKey);
  if (!expectedId.equals(sct.logId)) {
    throw new CaError('CT_UNAVAILABLE', 'CT log returned an SCT whose log ID is not the configured log key');
  }
  const hash = HASHES[sct.hashAlgorithm];
  const keyType = logKey.asymmetricKeyType;
  const fits = (sct.signatureAlgorithm === 3 && keyType === 'ec') || (sct.signatureAlgorithm === 1 && keyType === 'rsa');
  if (hash === undefined || !fits) {
    throw new CaError(
      'CT_UNAVAILABLE',
      `CT log SCT uses TLS hash ${sct.hashAlgorithm} / signature ${sct.signatureAlgorithm}, which does not fit the log key`,
    );
  }
  const data = sctSignedData({
    timestamp: sct.timestamp,
    extensions: sct.extensions,
    entry: { type: 'precert', issuerKeyHash: issuerKeyHash(issuerSpkiDer), tbs: precertTbs },
  });
  const ec = keyType === 'ec' ? nativeEcKeyOf(logKey) : undefined;
  const ok = ec !== undefined ? verifyMessage(ec, hash as HashAlgorithm, data, sct.signature) : verify(hash, data, { key: logKey, dsaEncoding: 'der' }, sct.signature);
  if (!ok) {
    throw new CaError('CT_UNAVAILABLE', 'CT log returned an SCT whose signature does not verify over the precertificate');
  }
}
