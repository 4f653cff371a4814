// PKCS#10 certification requests (RFC 2986 §4): Fulcio's v2 API accepts a CSR instead of a public
// key plus proof of possession; the CSR's own signature is the proof.
import { decodeBitStringBytes, decodeOid, decodeSmallInt, readDer } from '../der/reader.js';
import { TAG } from '../der/writer.js';
import { PkiError } from '../errors.js';
import { pemDecodeAll } from '../pem.js';
import { verifySignatureByOid } from './signature.js';

/** What Signet takes from a CSR. Byte fields are views into the input DER. */
export interface ParsedCsr {
  /** The requested key, DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** The requested subject Name DER (Fulcio ignores it). */
  subject: Uint8Array;
}

const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

/**
 * Parses a DER or PEM CSR and verifies its self-signature with its own key. Throws
 * PkiError('BAD_CSR') when it is malformed (or PEM without a CERTIFICATE REQUEST block), uses an
 * unsupported algorithm or an unreadable key; PkiError('BAD_SIGNATURE') when the signature fails.
 */
export function parseCsr(derOrPem: Uint8Array | string): ParsedCsr {
  let der: Uint8Array;
  if (typeof derOrPem === 'string') {
    let block;
    try {
      block = pemDecodeAll(derOrPem).find((b) => CSR_LABELS.has(b.label));
    } catch (e) {
      throw new PkiError('BAD_CSR', 'CSR is not valid PEM', { cause: e });
    }
    if (block === undefined) throw new PkiError('BAD_CSR', 'no CERTIFICATE REQUEST PEM block');
    der = block.der;
  } else {
    der = derOrPem;
  }
  let info: Uint8Array, spki: Uint8Array, subject: Uint8Array, algOid: string, signature: Uint8Array;
  try {
    const c = readDer(der).cursor();
    const infoNode = c.next(TAG.SEQUENCE, 'certificationRequestInfo');
    const alg = c.next(TAG.SEQUENCE, 'signatureAlgorithm');
    signature = decodeBitStringBytes(c.next(TAG.BIT_STRING, 'signature'));
    c.finish('CertificationRequest');
    algOid = decodeOid(alg.cursor().next(TAG.OID, 'algorithm'));
    const i = infoNode.cursor();
    const version = decodeSmallInt(i.next(TAG.INTEGER, 'version'));
    if (version !== 0) throw new PkiError('BAD_DER', `unsupported CSR version ${version}`);
    subject = i.next(TAG.SEQUENCE, 'subject').raw;
    spki = i.next(TAG.SEQUENCE, 'subjectPKInfo').raw;
    i.next(TAG.CONTEXT | TAG.CONSTRUCTED | 0, 'attributes');
    i.finish('certificationRequestInfo');
    info = infoNode.raw;
  } catch (e) {
    throw new PkiError('BAD_CSR', `malformed CSR: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  let ok: boolean;
  try {
    ok = verifySignatureByOid(algOid, spki, info, signature);
  } catch (e) {
    throw new PkiError('BAD_CSR', `cannot verify the CSR: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!ok) throw new PkiError('BAD_SIGNATURE', 'the CSR signature does not verify with its own key');
  return { spki, subject };
}
