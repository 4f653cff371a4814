// X.501 Names for CA certificates (RFC 5280 §4.1.2.4) and a readable rendering for messages.
import { decodeOid, decodeString, readDer } from '../der/reader.js';
import { isPrintable, oid, printable, seq, set, utf8 } from '../der/writer.js';
import { PkiError } from '../errors.js';
import { NAME_OIDS } from './oids.js';

/** The subject of a CA certificate. */
export interface NameInput {
  commonName: string;
  organization?: string;
}

/** The empty Name (an empty RDNSequence) that Fulcio leaves carry as subject. */
export const EMPTY_NAME: Uint8Array = Uint8Array.of(0x30, 0x00);

/**
 * Encodes a Name with the organization RDN first, then the common name (Go's pkix order), each a
 * PrintableString when its text allows, else a UTF8String. Throws PkiError('BAD_TEMPLATE') on an
 * empty common name.
 */
export function encodeName(name: NameInput): Uint8Array {
  if (name.commonName.length === 0) throw new PkiError('BAD_TEMPLATE', 'a CA subject needs a common name');
  const rdns: Uint8Array[] = [];
  if (name.organization !== undefined && name.organization !== '') {
    rdns.push(attribute(NAME_OIDS.organizationName, name.organization));
  }
  rdns.push(attribute(NAME_OIDS.commonName, name.commonName));
  return seq(...rdns);
}

function attribute(type: string, text: string): Uint8Array {
  return set(seq(oid(type), isPrintable(text) ? printable(text) : utf8(text)));
}

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

/**
 * A one-line rendering of a Name DER ("O=sigstore.dev, CN=sigstore") for error messages; never
 * throws (an unreadable Name renders as "<unparseable name>", the empty one as "<empty>").
 */
export function describeName(der: Uint8Array): string {
  try {
    const parts: string[] = [];
    for (const rdn of readDer(der).children()) {
      for (const atv of rdn.children()) {
        const [type, value] = atv.children();
        const t = decodeOid(type!);
        parts.push(`${SHORT[t] ?? t}=${decodeString(value!)}`);
      }
    }
    return parts.length === 0 ? '<empty>' : parts.join(', ');
  } catch {
    return '<unparseable name>';
  }
}
