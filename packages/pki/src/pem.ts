// PEM armour (RFC 7468): the textual encoding of DER used for keys, certificates and CSRs.
import { PkiError } from './errors.js';

const BEGIN = /-----BEGIN ([\x21-\x2C\x2E-\x7E](?:[\x21-\x2C\x2E-\x7E -]*[\x21-\x2C\x2E-\x7E])?)-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const WHITESPACE = /[ \t\r\n]+/g;

/**
 * Encodes DER bytes as one PEM block with the given label (e.g. `PUBLIC KEY`, `CERTIFICATE`):
 * base64 in 64-column lines, `\n` line ends, ending with a newline (RFC 7468 §2 "strict" form).
 */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += b64.slice(i, i + 64) + '\n';
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

/** One decoded PEM block. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/**
 * Decodes every PEM block of `text`, in order. Text outside blocks is ignored (RFC 7468 §2).
 * Throws `PkiError('BAD_PEM')` when there is no block, a block is not closed by a matching END
 * line, or its body is not clean base64 (headers such as `Proc-Type:` are rejected).
 */
export function pemDecodeAll(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    const label = m[1]!;
    const end = `-----END ${label}-----`;
    const bodyStart = m.index + m[0].length;
    const endAt = text.indexOf(end, bodyStart);
    if (endAt < 0) throw new PkiError('BAD_PEM', `PEM block "${label}" has no matching END line`);
    blocks.push({ label, der: decodeBody(label, text.slice(bodyStart, endAt)) });
    BEGIN.lastIndex = endAt + end.length;
  }
  if (blocks.length === 0) throw new PkiError('BAD_PEM', 'no PEM block found');
  return blocks;
}

/**
 * Decodes the first PEM block (the first with `label`, when given) and returns its DER bytes.
 * Throws `PkiError('BAD_PEM')` when no such block exists or a block is malformed.
 */
export function pemDecode(text: string, label?: string): Uint8Array {
  for (const block of pemDecodeAll(text)) {
    if (label === undefined || block.label === label) return block.der;
  }
  throw new PkiError('BAD_PEM', `no PEM block labelled "${label}"`);
}

function decodeBody(label: string, body: string): Uint8Array {
  const b64 = body.replace(WHITESPACE, '');
  if (b64.length === 0) throw new PkiError('BAD_PEM', `PEM block "${label}" is empty`);
  const der = Buffer.from(b64, 'base64');
  // Canonical base64 (what encoders write) re-encodes to itself, which implies the check below;
  // comparing is several times cheaper than the regular expression over a 2 KB certificate.
  if (der.toString('base64') !== b64 && (b64.length % 4 !== 0 || !BASE64.test(b64))) {
    throw new PkiError('BAD_PEM', `PEM block "${label}" is not valid base64`);
  }
  return new Uint8Array(der);
}
