// X.509 extensions as data (RFC 5280 §4.1, §4.2) and the Sigstore extension encodings
// (Fulcio docs/oid-info.md): 1.3.6.1.4.1.57264.1.1-1.6 carry the raw UTF-8 text as extnValue
// (deprecated, still emitted), 1.8 and up a DER UTF8String.
import { decodeString, readDer } from '../der/reader.js';
import { allocBytes, bool, lengthSize, oid as encodeOid, TAG, tlvOf, writeLength, writeUtf8 } from '../der/writer.js';
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

/** An Extension whose value is a view into its DER, made on demand. */
class EncodedExtension implements Extension {
  constructor(
    readonly oid: string,
    readonly critical: boolean,
    readonly der: Uint8Array,
    private readonly valueStart: number,
  ) {}
  get value(): Uint8Array {
    return this.der.subarray(this.valueStart);
  }
}

/**
 * Allocates an Extension SEQUENCE for `oid` whose extnValue is `valueLength` bytes, writes
 * everything but the value, and returns it with the offset where the value goes.
 */
function extensionFrame(oid: string, critical: boolean, valueLength: number): [Uint8Array, number] {
  const id = encodeOid(oid);
  const inner = id.length + (critical ? CRITICAL.length : 0) + 1 + lengthSize(valueLength) + valueLength;
  const der = allocBytes(1 + lengthSize(inner) + inner);
  der[0] = TAG.SEQUENCE;
  let at = writeLength(der, 1, inner);
  der.set(id, at);
  at += id.length;
  if (critical) {
    der.set(CRITICAL, at);
    at += CRITICAL.length;
  }
  der[at++] = TAG.OCTET_STRING;
  return [der, writeLength(der, at, valueLength)];
}

/** Builds an Extension (`SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }`). */
export function makeExtension(oid: string, critical: boolean, value: Uint8Array): Extension {
  const [der, at] = extensionFrame(oid, critical, value.length);
  der.set(value, at);
  return new EncodedExtension(oid, critical, der, at);
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

const KNOWN_ARCS = new Map<string, number>(
  [...SIGSTORE_OID_NAMES.keys()].map((oid) => [oid, Number(oid.slice(SIGSTORE_ARC.length + 1))]),
);

/** The last arc N of 1.3.6.1.4.1.57264.1.N, or undefined for any other OID. */
export function sigstoreArcNumber(oid: string): number | undefined {
  const known = KNOWN_ARCS.get(oid);
  if (known !== undefined) return known;
  if (!oid.startsWith(SIGSTORE_ARC + '.')) return undefined;
  const tail = oid.slice(SIGSTORE_ARC.length + 1);
  return /^[1-9][0-9]{0,8}$/.test(tail) ? Number(tail) : undefined;
}

/**
 * The non-critical Extension for Sigstore OID `oid` with text `value`, encoded per the OID, in one
 * allocation. Throws PkiError('BAD_TEMPLATE') for an OID that is not a Sigstore extension.
 */
export function encodeSigstoreExtension(oid: string, value: string): Extension {
  const raw = sigstoreEncoding(oid) === 'raw';
  const textLength = Buffer.byteLength(value, 'utf8');
  const valueLength = raw ? textLength : 1 + lengthSize(textLength) + textLength;
  const [der, valueStart] = extensionFrame(oid, false, valueLength);
  let at = valueStart;
  if (!raw) {
    der[at++] = TAG.UTF8_STRING;
    at = writeLength(der, at, textLength);
  }
  writeUtf8(der, at, value, textLength);
  return new EncodedExtension(oid, false, der, valueStart);
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
