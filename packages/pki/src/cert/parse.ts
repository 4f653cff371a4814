// Zero-copy X.509 parsing (RFC 5280 §4.1): every byte field of a ParsedCertificate is a view into
// the input DER, so `tbs` is exactly the signed bytes. The extensions the chain verifier and the
// Sigstore verifier need (SAN, basicConstraints, KU, EKU, SKI, AKI) are decoded; the rest are listed.
import {
  DerCursor,
  DerNode,
  decodeBitString,
  decodeBitStringBytes,
  decodeBoolean,
  decodeInteger,
  decodeOctetString,
  decodeOid,
  decodeSmallInt,
  decodeString,
  decodeTime,
  readDer,
} from '../der/reader.js';
import { TAG } from '../der/writer.js';
import { PkiError } from '../errors.js';
import { pemDecodeAll } from '../pem.js';
import { EXT_OIDS, SIGSTORE_OIDS } from './oids.js';

/** One SAN entry. Only Sigstore's username otherName (OID 1.7) is reported among otherNames. */
export interface ParsedSubjectAltName {
  type: 'email' | 'uri' | 'dns' | 'ip' | 'otherName';
  value: string;
}

/** A parsed certificate. Byte fields are views into `der`; do not mutate them. */
export interface ParsedCertificate {
  der: Uint8Array;
  /** The exact TBSCertificate bytes the signature covers. */
  tbs: Uint8Array;
  /** 1 or 3. */
  version: number;
  serial: bigint;
  /** Issuer Name DER. */
  issuer: Uint8Array;
  /** Subject Name DER. */
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** Every extension in order; `value` is the extnValue contents. */
  extensions: { oid: string; critical: boolean; value: Uint8Array }[];
  subjectAltNames: ParsedSubjectAltName[];
  /** basicConstraints cA (false when the extension is absent). */
  isCa: boolean;
  pathLen?: number;
  /** keyUsage as a bit mask (bit n = RFC 5280 named bit n, digitalSignature = 1 << 0); absent when no KU. */
  keyUsage?: number;
  /** extKeyUsage OIDs; absent when no EKU. */
  extKeyUsage?: string[];
  ski?: Uint8Array;
  /** authorityKeyIdentifier keyIdentifier. */
  aki?: Uint8Array;
  signatureAlgorithmOid: string;
  /** signatureValue bytes (for ECDSA: the DER Ecdsa-Sig-Value). */
  signature: Uint8Array;
}

/** keyUsage bit masks (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = {
  digitalSignature: 1 << 0,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
} as const;

/**
 * Parses a DER certificate without copying. Throws PkiError('BAD_CERTIFICATE') naming the field
 * that is malformed (the DER error is the `cause`): bad structure, version, negative serial,
 * inner/outer signature algorithm mismatch, duplicate extensions, unparseable known extensions.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  let field = 'Certificate'; // named in the error message; set before each step
  try {
    const c = readDer(der).cursor();
    field = 'tbsCertificate';
    const tbsNode = c.next(TAG.SEQUENCE, 'tbsCertificate');
    field = 'signatureAlgorithm';
    const outerAlg = c.next(TAG.SEQUENCE, 'signatureAlgorithm');
    const signatureAlgorithmOid = decodeOid(outerAlg.cursor().next(TAG.OID, 'algorithm'));
    field = 'signatureValue';
    const signature = decodeBitStringBytes(c.next(TAG.BIT_STRING, 'signatureValue'));
    field = 'Certificate';
    c.finish('Certificate');

    const t = tbsNode.cursor();
    field = 'version';
    const versionNode = t.optional(TAG.CONTEXT | TAG.CONSTRUCTED | 0);
    const version = versionNode ? readVersion(versionNode) : 1;
    field = 'serialNumber';
    const serial = decodeInteger(t.next(TAG.INTEGER, 'serialNumber'));
    if (serial < 0n) throw new PkiError('BAD_DER', 'negative serial number');
    field = 'signature';
    const innerAlg = t.next(TAG.SEQUENCE, 'signature');
    if (!bytesEqual(innerAlg.raw, outerAlg.raw)) throw new PkiError('BAD_DER', 'tbsCertificate.signature differs from signatureAlgorithm');
    field = 'issuer';
    const issuer = t.next(TAG.SEQUENCE, 'issuer').raw;
    field = 'validity';
    const validity = t.next(TAG.SEQUENCE, 'validity').cursor();
    const notBefore = decodeTime(validity.next(undefined, 'notBefore'));
    const notAfter = decodeTime(validity.next(undefined, 'notAfter'));
    validity.finish('validity');
    field = 'subject';
    const subject = t.next(TAG.SEQUENCE, 'subject').raw;
    field = 'subjectPublicKeyInfo';
    const spki = t.next(TAG.SEQUENCE, 'subjectPublicKeyInfo').raw;
    field = 'uniqueIdentifiers';
    t.optional(TAG.CONTEXT | 1) ?? t.optional(TAG.CONTEXT | TAG.CONSTRUCTED | 1);
    t.optional(TAG.CONTEXT | 2) ?? t.optional(TAG.CONTEXT | TAG.CONSTRUCTED | 2);
    field = 'extensions';
    const extsNode = t.optional(TAG.CONTEXT | TAG.CONSTRUCTED | 3);
    field = 'tbsCertificate';
    t.finish('tbsCertificate');

    const cert: ParsedCertificate = {
      der,
      tbs: tbsNode.raw,
      version,
      serial,
      issuer,
      subject,
      notBefore,
      notAfter,
      spki,
      extensions: [],
      subjectAltNames: [],
      isCa: false,
      signatureAlgorithmOid,
      signature,
    };
    if (extsNode !== undefined) {
      field = 'extensions';
      if (version !== 3) throw new PkiError('BAD_DER', `extensions in a v${version} certificate`);
      readExtensions(extsNode, cert, (what) => (field = what));
    }
    return cert;
  } catch (e) {
    if (e instanceof PkiError && e.code === 'BAD_CERTIFICATE') throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw new PkiError('BAD_CERTIFICATE', `malformed certificate ${field}: ${detail}`, { cause: e });
  }
}

/**
 * Parses every CERTIFICATE block of a PEM text, in order (a chain, leaf first by convention).
 * Throws PkiError('BAD_PEM') when there is no CERTIFICATE block, PkiError('BAD_CERTIFICATE') on a bad one.
 */
export function parseCertificatePem(text: string): ParsedCertificate[] {
  const certs = pemDecodeAll(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => parseCertificate(b.der));
  if (certs.length === 0) throw new PkiError('BAD_PEM', 'no CERTIFICATE block in PEM text');
  return certs;
}

function readVersion(node: DerNode): number {
  const c = node.cursor();
  const v = decodeSmallInt(c.next(TAG.INTEGER, 'version'));
  c.finish('version');
  if (v !== 0 && v !== 2) throw new PkiError('BAD_DER', `unsupported version value ${v}`);
  return v + 1;
}

function readExtensions(node: DerNode, cert: ParsedCertificate, setField: (what: string) => void): void {
  const list = node.cursor();
  const seqNode = list.next(TAG.SEQUENCE, 'extensions');
  list.finish('extensions');
  const seen = new Set<string>();
  for (const c = seqNode.cursor(); !c.done; ) {
    const e = c.next(TAG.SEQUENCE, 'Extension').cursor();
    const oid = decodeOid(e.next(TAG.OID, 'extnID'));
    setField(`extension ${oid}`);
    const critNode = e.optional(TAG.BOOLEAN);
    const critical = critNode ? decodeBoolean(critNode) : false;
    const value = decodeOctetString(e.next(TAG.OCTET_STRING, 'extnValue'));
    e.finish('Extension');
    if (seen.has(oid)) throw new PkiError('BAD_DER', `duplicate extension ${oid}`);
    seen.add(oid);
    cert.extensions.push({ oid, critical, value });
    decodeKnownExtension(oid, value, cert);
  }
  if (cert.extensions.length === 0) throw new PkiError('BAD_DER', 'empty extensions list');
}

function decodeKnownExtension(oid: string, value: Uint8Array, cert: ParsedCertificate): void {
  switch (oid) {
    case EXT_OIDS.basicConstraints: {
      const c = readDer(value).cursor();
      const ca = c.optional(TAG.BOOLEAN);
      cert.isCa = ca ? decodeBoolean(ca) : false;
      const pl = c.optional(TAG.INTEGER);
      if (pl) cert.pathLen = decodeSmallInt(pl);
      c.finish('basicConstraints');
      return;
    }
    case EXT_OIDS.subjectKeyIdentifier:
      cert.ski = decodeOctetString(readDer(value));
      return;
    case EXT_OIDS.authorityKeyIdentifier: {
      const kid = readDer(value).cursor().optional(TAG.CONTEXT | 0);
      if (kid) cert.aki = kid.value;
      return;
    }
    case EXT_OIDS.keyUsage: {
      const { bytes } = decodeBitString(readDer(value));
      let mask = 0;
      for (let i = 0; i < bytes.length && i < 2; i++) {
        for (let bit = 0; bit < 8; bit++) if (bytes[i]! & (0x80 >> bit)) mask |= 1 << (i * 8 + bit);
      }
      cert.keyUsage = mask;
      return;
    }
    case EXT_OIDS.extKeyUsage:
      cert.extKeyUsage = readDer(value).children().map(decodeOid);
      return;
    case EXT_OIDS.subjectAltName:
      cert.subjectAltNames = readGeneralNames(readDer(value).cursor());
      return;
  }
}

function readGeneralNames(c: DerCursor): ParsedSubjectAltName[] {
  const out: ParsedSubjectAltName[] = [];
  while (!c.done) {
    const n = c.next();
    switch (n.tag) {
      case TAG.CONTEXT | 1:
        out.push({ type: 'email', value: decodeString(n) });
        break;
      case TAG.CONTEXT | 2:
        out.push({ type: 'dns', value: decodeString(n) });
        break;
      case TAG.CONTEXT | 6:
        out.push({ type: 'uri', value: decodeString(n) });
        break;
      case TAG.CONTEXT | 7:
        out.push({ type: 'ip', value: formatIp(n.value) });
        break;
      case TAG.CONTEXT | TAG.CONSTRUCTED | 0: {
        const o = n.cursor();
        const typeId = decodeOid(o.next(TAG.OID, 'otherName type-id'));
        const inner = o.next(TAG.CONTEXT | TAG.CONSTRUCTED | 0, 'otherName value').cursor();
        if (typeId === SIGSTORE_OIDS.OtherName) {
          const v = inner.next(TAG.UTF8_STRING, 'username otherName');
          inner.finish('otherName value');
          out.push({ type: 'otherName', value: decodeString(v) });
        }
        o.finish('otherName');
        break;
      }
      default:
        break; // x400Address, directoryName, ediPartyName, registeredID: not used by Sigstore
    }
  }
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function formatIp(b: Uint8Array): string {
  if (b.length === 4) return b.join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    return groups.join(':');
  }
  throw new PkiError('BAD_DER', `iPAddress of ${b.length} bytes`);
}
