// Certificate Transparency structures (RFC 6962): the precertificate TBS an SCT signs (§3.2), the
// SCT itself and the SCT list embedded in certificates (§3.3), all in their TLS encodings.
import { hash } from 'node:crypto';
import { decodeOctetString, decodeOid, readDer } from '../der/reader.js';
import { octet, TAG, tlvOf } from '../der/writer.js';
import { PkiError } from '../errors.js';
import { CT_OIDS } from './oids.js';

/**
 * `PreCert.tbs_certificate` (RFC 6962 §3.2): the TBSCertificate of a precertificate or of a final
 * certificate with the poison and SCT-list extensions removed and the rest re-encoded unchanged
 * (order kept; the extensions field is dropped if nothing is left). A precertificate and its final
 * certificate give the same bytes. Throws PkiError('BAD_CERTIFICATE') on malformed input.
 */
export function precertTbsForSct(certOrPrecertDer: Uint8Array): Uint8Array {
  try {
    const tbs = readDer(certOrPrecertDer).cursor().next(TAG.SEQUENCE, 'tbsCertificate');
    let extsWrapper;
    for (const c = tbs.cursor(); !c.done; ) {
      const n = c.next();
      if (n.tag === (TAG.CONTEXT | TAG.CONSTRUCTED | 3)) extsWrapper = n;
    }
    if (extsWrapper === undefined) return tbs.raw.slice();
    const kept: Uint8Array[] = [];
    const list = extsWrapper.cursor().next(TAG.SEQUENCE, 'extensions');
    for (const c = list.cursor(); !c.done; ) {
      const ext = c.next(TAG.SEQUENCE, 'Extension');
      const id = decodeOid(ext.cursor().next(TAG.OID, 'extnID'));
      if (id !== CT_OIDS.poison && id !== CT_OIDS.sctList) kept.push(ext.raw);
    }
    const head = tbs.buf.subarray(tbs.valueStart, extsWrapper.start);
    const tail = tbs.buf.subarray(extsWrapper.end, tbs.end); // nothing follows [3] in v3, kept for safety
    const parts = kept.length > 0 ? [head, tlvOf(TAG.CONTEXT | TAG.CONSTRUCTED | 3, [tlvOf(TAG.SEQUENCE, kept)]), tail] : [head, tail];
    return tlvOf(TAG.SEQUENCE, parts);
  } catch (e) {
    if (e instanceof PkiError && e.code === 'BAD_CERTIFICATE') throw e;
    throw new PkiError('BAD_CERTIFICATE', `cannot derive the precertificate TBS: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** `issuer_key_hash` (RFC 6962 §3.2): SHA-256 of the issuing CA's DER SubjectPublicKeyInfo. */
export function issuerKeyHash(issuerSpki: Uint8Array): Uint8Array {
  return new Uint8Array(hash('sha256', issuerSpki, 'buffer'));
}

/** A SignedCertificateTimestamp (RFC 6962 §3.2), v1. */
export interface Sct {
  version: 0;
  /** SHA-256 of the log's public key (32 bytes). */
  logId: Uint8Array;
  /** Milliseconds since the epoch. */
  timestamp: bigint;
  extensions: Uint8Array;
  /** TLS HashAlgorithm (4 = sha256). */
  hashAlgorithm: number;
  /** TLS SignatureAlgorithm (3 = ecdsa, 1 = rsa). */
  signatureAlgorithm: number;
  signature: Uint8Array;
}

/** TLS encoding of an SCT. Throws PkiError('BAD_SCT') on out-of-range fields. */
export function encodeSct(s: Sct): Uint8Array {
  if (s.version !== 0) throw new PkiError('BAD_SCT', `unsupported SCT version ${s.version}`);
  if (s.logId.length !== 32) throw new PkiError('BAD_SCT', 'log ID must be 32 bytes');
  checkU(s.timestamp, 64, 'timestamp');
  checkLen(s.extensions.length, 0xffff, 'extensions');
  checkLen(s.signature.length, 0xffff, 'signature');
  checkLen(s.hashAlgorithm, 0xff, 'hash algorithm');
  checkLen(s.signatureAlgorithm, 0xff, 'signature algorithm');
  const out = new Uint8Array(1 + 32 + 8 + 2 + s.extensions.length + 2 + 2 + s.signature.length);
  const v = new DataView(out.buffer);
  let at = 0;
  out[at++] = 0;
  out.set(s.logId, at);
  at += 32;
  v.setBigUint64(at, s.timestamp);
  at += 8;
  v.setUint16(at, s.extensions.length);
  out.set(s.extensions, (at += 2));
  at += s.extensions.length;
  out[at++] = s.hashAlgorithm;
  out[at++] = s.signatureAlgorithm;
  v.setUint16(at, s.signature.length);
  out.set(s.signature, at + 2);
  return out;
}

/** Decodes a TLS-encoded SCT; byte fields are copies. Throws PkiError('BAD_SCT') when malformed. */
export function decodeSct(b: Uint8Array): Sct {
  const r = new TlsReader(b);
  const version = r.u8();
  if (version !== 0) throw new PkiError('BAD_SCT', `unsupported SCT version ${version}`);
  const logId = r.bytes(32);
  const timestamp = r.u64();
  const extensions = r.bytes(r.u16());
  const hashAlgorithm = r.u8();
  const signatureAlgorithm = r.u8();
  const signature = r.bytes(r.u16());
  r.finish('SCT');
  return { version: 0, logId, timestamp, extensions, hashAlgorithm, signatureAlgorithm, signature };
}

/**
 * The SCT-list extension's extnValue (RFC 6962 §3.3): an OCTET STRING holding the TLS
 * `SignedCertificateTimestampList` (u16 total length, then each SCT with a u16 length).
 * Throws PkiError('BAD_SCT') when the list is empty or too long.
 */
export function encodeSctList(scts: readonly Uint8Array[]): Uint8Array {
  if (scts.length === 0) throw new PkiError('BAD_SCT', 'an SCT list needs at least one SCT');
  let total = 0;
  for (const s of scts) {
    checkLen(s.length, 0xffff, 'SCT');
    if (s.length === 0) throw new PkiError('BAD_SCT', 'empty SCT');
    total += 2 + s.length;
  }
  checkLen(total, 0xffff, 'SCT list');
  const list = new Uint8Array(2 + total);
  const v = new DataView(list.buffer);
  v.setUint16(0, total);
  let at = 2;
  for (const s of scts) {
    v.setUint16(at, s.length);
    list.set(s, at + 2);
    at += 2 + s.length;
  }
  return octet(list);
}

/** The TLS-encoded SCTs of an SCT-list extnValue (copies). Throws PkiError('BAD_SCT') when malformed. */
export function decodeSctList(extValue: Uint8Array): Uint8Array[] {
  let list: Uint8Array;
  try {
    list = decodeOctetString(readDer(extValue));
  } catch (e) {
    throw new PkiError('BAD_SCT', 'SCT list extension is not an OCTET STRING', { cause: e });
  }
  const r = new TlsReader(list);
  const total = r.u16();
  if (total !== list.length - 2) throw new PkiError('BAD_SCT', 'SCT list length does not match its contents');
  const out: Uint8Array[] = [];
  while (!r.done) {
    const len = r.u16();
    if (len === 0) throw new PkiError('BAD_SCT', 'empty SCT in list');
    out.push(r.bytes(len));
  }
  if (out.length === 0) throw new PkiError('BAD_SCT', 'empty SCT list');
  return out;
}

/** The entry an SCT is about: a precertificate (embedded SCTs) or a final X.509 certificate. */
export type SctEntry =
  | { type: 'precert'; issuerKeyHash: Uint8Array; tbs: Uint8Array }
  | { type: 'x509'; certDer: Uint8Array };

/**
 * The `digitally-signed` struct a v1 SCT signs (RFC 6962 §3.2): version 0, signature_type
 * certificate_timestamp (0), timestamp, entry type and entry (u24-length certificate, or issuer key
 * hash + u24-length TBS), u16-length extensions. Throws PkiError('BAD_SCT') on bad lengths.
 */
export function sctSignedData(s: { timestamp: bigint; extensions: Uint8Array; entry: SctEntry }): Uint8Array {
  checkU(s.timestamp, 64, 'timestamp');
  checkLen(s.extensions.length, 0xffff, 'extensions');
  const e = s.entry;
  const body = e.type === 'precert' ? e.tbs : e.certDer;
  checkLen(body.length, 0xffffff, 'entry');
  if (e.type === 'precert' && e.issuerKeyHash.length !== 32) throw new PkiError('BAD_SCT', 'issuer key hash must be 32 bytes');
  const entryLen = (e.type === 'precert' ? 32 : 0) + 3 + body.length;
  const out = new Uint8Array(1 + 1 + 8 + 2 + entryLen + 2 + s.extensions.length);
  const v = new DataView(out.buffer);
  let at = 2; // version 0, signature_type 0
  v.setBigUint64(at, s.timestamp);
  at += 8;
  v.setUint16(at, e.type === 'precert' ? 1 : 0);
  at += 2;
  if (e.type === 'precert') {
    out.set(e.issuerKeyHash, at);
    at += 32;
  }
  out[at] = body.length >>> 16;
  v.setUint16(at + 1, body.length & 0xffff);
  out.set(body, (at += 3));
  at += body.length;
  v.setUint16(at, s.extensions.length);
  out.set(s.extensions, at + 2);
  return out;
}

class TlsReader {
  private at = 0;
  constructor(private readonly b: Uint8Array) {}
  get done(): boolean {
    return this.at >= this.b.length;
  }
  private need(n: number): void {
    if (this.at + n > this.b.length) throw new PkiError('BAD_SCT', 'truncated SCT data');
  }
  u8(): number {
    this.need(1);
    return this.b[this.at++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.b[this.at]! << 8) | this.b[this.at + 1]!;
    this.at += 2;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.at, 8).getBigUint64(0);
    this.at += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.b.slice(this.at, this.at + n);
    this.at += n;
    return v;
  }
  finish(what: string): void {
    if (this.at !== this.b.length) throw new PkiError('BAD_SCT', `trailing bytes after ${what}`);
  }
}

function checkLen(n: number, max: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new PkiError('BAD_SCT', `${what} length ${n} out of range`);
}

function checkU(v: bigint, bits: number, what: string): void {
  if (v < 0n || v >= 1n << BigInt(bits)) throw new PkiError('BAD_SCT', `${what} out of range`);
}
