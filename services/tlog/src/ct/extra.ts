// What the CT log keeps beside each leaf (the engine's opaque `extra`): the SCT signature it
// returned, so a duplicate submission gets the very same SCT back, and the RFC 6962 `extra_data`
// that get-entries serves (§4.6): for x509 entries the certificate chain, for precert entries the
// precertificate followed by its chain. The chain is the validated path, ending in an accepted root.
import { LogError } from '../errors.js';

/** Format byte of the stored record; bump when the layout changes. */
const FORMAT_V1 = 1;

/** The stored record. */
export interface StoredExtra {
  /** The SCT's TLS `DigitallySigned` signature. */
  sctSignature: Uint8Array;
  /** RFC 6962 §4.6 extra_data. */
  extraData: Uint8Array;
}

/** The certificates of an `extra_data`. */
export interface ExtraData {
  /** The submitted precertificate (precert entries only). */
  precertificate?: Uint8Array;
  /** Issuers, first certifying the leaf, last an accepted root. */
  chain: Uint8Array[];
}

const MAX_U24 = 0xffffff;

function u24(n: number): Uint8Array {
  if (n > MAX_U24) throw new LogError('ENTRY_INVALID', 'certificate chain is too large for RFC 6962 (2^24-1 bytes)');
  return Uint8Array.of(n >>> 16, (n >>> 8) & 0xff, n & 0xff);
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function asn1Cert(der: Uint8Array): Uint8Array[] {
  return [u24(der.length), der];
}

/** Encodes extra_data: `x509` → certificate_chain; `precert` → PrecertChainEntry. */
export function encodeExtraData(type: 'x509' | 'precert', leafDer: Uint8Array, chain: readonly Uint8Array[]): Uint8Array {
  const list = chain.flatMap(asn1Cert);
  const body = [u24(list.reduce((n, p) => n + p.length, 0)), ...list];
  return concat(type === 'precert' ? [...asn1Cert(leafDer), ...body] : body);
}

/** Decodes extra_data. Throws `LogError('STORAGE_FAILURE')` when malformed (the log wrote it). */
export function decodeExtraData(type: 'x509' | 'precert', b: Uint8Array): ExtraData {
  let at = 0;
  const bad = (): never => {
    throw new LogError('STORAGE_FAILURE', 'stored CT extra_data is malformed');
  };
  const len = (): number => {
    if (at + 3 > b.length) bad();
    const n = (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
    at += 3;
    if (at + n > b.length) bad();
    return n;
  };
  let precertificate: Uint8Array | undefined;
  if (type === 'precert') {
    const n = len();
    precertificate = b.subarray(at, (at += n));
  }
  const end = len() + at;
  if (end !== b.length) bad();
  const chain: Uint8Array[] = [];
  while (at < end) {
    const n = len();
    chain.push(b.subarray(at, (at += n)));
  }
  return precertificate === undefined ? { chain } : { precertificate, chain };
}

/** Encodes the stored record. */
export function encodeStoredExtra(e: StoredExtra): Uint8Array {
  const n = e.sctSignature.length;
  return concat([Uint8Array.of(FORMAT_V1, n >>> 8, n & 0xff), e.sctSignature, e.extraData]);
}

/** Decodes the stored record. Throws `LogError('STORAGE_FAILURE')` when it is not one. */
export function decodeStoredExtra(b: Uint8Array | null): StoredExtra {
  if (b === null || b.length < 3 || b[0] !== FORMAT_V1) throw new LogError('STORAGE_FAILURE', 'stored CT entry has no valid extra record');
  const n = (b[1]! << 8) | b[2]!;
  if (3 + n > b.length) throw new LogError('STORAGE_FAILURE', 'stored CT extra record is truncated');
  return { sctSignature: b.subarray(3, 3 + n), extraData: b.subarray(3 + n) };
}
