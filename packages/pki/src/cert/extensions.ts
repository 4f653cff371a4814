// X.509 extensions as data (RFC 5280 §4.1, §4.2) and the Sigstore extension encodings
// (Fulcio docs/oid-info.md): 1.3.6.1.4.1.57264.1.1-1.6 carry the raw UTF-8 text as extnValue
// (deprecated, still emitted), 1.8 and up a DER UTF8String.
import { decodeString, readDer } from '../der/reader.js';
import { bool, lengthSize, oid as encodeOid, TAG, tlvOf, utf8, writeLength } from '../der/writer.js';
import { PkiError } from '../errors.js';
import { SIGSTORE_ARC, SIGSTORE_OID_NAMES, type SigstoreOidName } from './oids.js';

/**
 * One certificate extension. `value` is the extnValue contents (the bytes inside the OCTET STRING);
 * `der` is the complete `Extension` SEQUENCE, kept so constant extensions are encoded only once.
 */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
  readonly der: Uint8Array;
}

const CRITICAL = bool(true);

/** Builds an Extension (`SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }`). */
export function makeExtension(oid: string, critical: boolean, value: Uint8Array): Extension {
  const id = encodeOid(oid);
  const inner = id.length + (critical ? CRITICAL.length : 0) + 1 + lengthSize(value.length) + value.length;
  const der = new Uint8Array(1 + lengthSize(inner) + inner);
  der[0] = TAG.SEQUENCE;
  let at = writeLength(der, 1, inner);
  der.set(id, at);
  at += id.length;
  if (critical) {
    der.set(CRITICAL, at);
    at += CRITICAL.length;
  }
  der[at++] = TAG.OCTET_STRING;
  at = writeLength(der, at, value.length);
  der.set(value, at);
  return Object.freeze({ oid, critical, value: der.subarray(der.length - value.length), der });
}

/** How a Sigstore OID's value is encoded. */
export type SigstoreEncoding = 'raw' | 'utf8String';

/**
 * The encoding of Sigstore extension `oid`: 'raw' for 1.1-1.6, 'utf8String' for 1.8 and up.
 * Throws PkiError('BAD_TEMPLATE') for 1.7 (a SAN type, not an extension) or an OID outside the arc.
 */
export function sigstoreEncoding(oid: string): SigstoreEncoding {
  const n = sigstoreArcNumber(oid);
  if (n === undefined || n === 7 || n === 0) {
    throw new PkiError('BAD_TEMPLATE', `${oid} is not a Sigstore certificate extension OID`);
  }
  return n <= 6 ? 'raw' : 'utf8String';
}

/** The last arc N of 1.3.6.1.4.1.57264.1.N, or undefined for any other OID. */
export function sigstoreArcNumber(oid: string): number | undefined {
  if (!oid.startsWith(SIGSTORE_ARC + '.')) return undefined;
  const tail = oid.slice(SIGSTORE_ARC.length + 1);
  return /^[1-9][0-9]{0,8}$/.test(tail) ? Number(tail) : undefined;
}

const textEncoder = new TextEncoder();

/** The non-critical Extension for Sigstore OID `oid` with text `value`, encoded per the OID. */
export function encodeSigstoreExtension(oid: string, value: string): Extension {
  const raw = sigstoreEncoding(oid) === 'raw';
  return makeExtension(oid, false, raw ? textEncoder.encode(value) : utf8(value));
}

/**
 * The text of a Sigstore extension from its extnValue bytes. Throws PkiError('BAD_CERTIFICATE') when a
 * 1.8+ value is not a DER UTF8String or the text is not UTF-8.
 */
export function decodeSigstoreExtension(oid: string, extnValue: Uint8Array): string {
  try {
    if (sigstoreEncoding(oid) === 'raw') return new TextDecoder('utf-8', { fatal: true }).decode(extnValue);
    const node = readDer(extnValue);
    if (node.tag !== TAG.UTF8_STRING) throw new PkiError('BAD_DER', 'not a UTF8String');
    return decodeString(node);
  } catch (e) {
    throw new PkiError('BAD_CERTIFICATE', `Sigstore extension ${oid} is malformed`, { cause: e });
  }
}

/** A decoded Sigstore extension. */
export interface SigstoreExtensionValue {
  oid: string;
  /** Fulcio's name, when the OID is one Fulcio defines (1.1-1.24). */
  name: SigstoreOidName | undefined;
  value: string;
}

/**
 * Every Sigstore extension among `extensions` (e.g. `parseCertificate(der).extensions`), in
 * certificate order, decoded to text. Throws PkiError('BAD_CERTIFICATE') on a malformed value.
 */
export function readSigstoreExtensions(
  extensions: readonly { oid: string; value: Uint8Array }[],
): SigstoreExtensionValue[] {
  const out: SigstoreExtensionValue[] = [];
  for (const ext of extensions) {
    const n = sigstoreArcNumber(ext.oid);
    if (n === undefined || n === 7) continue;
    out.push({ oid: ext.oid, name: SIGSTORE_OID_NAMES.get(ext.oid), value: decodeSigstoreExtension(ext.oid, ext.value) });
  }
  return out;
}

/** `SEQUENCE OF Extension` from ready extensions, in order. */
export function encodeExtensions(exts: readonly Extension[]): Uint8Array {
  const ders: Uint8Array[] = new Array(exts.length);
  for (let i = 0; i < exts.length; i++) ders[i] = exts[i]!.der;
  return tlvOf(TAG.SEQUENCE, ders);
}
