// The Signed Entry Timestamp (rekor.md §2, sigstore-js-client.md §2.5): the log's signature over the
// RFC 8785 canonical JSON of exactly {body, integratedTime, logID, logIndex}. Like Rekor, the SET is
// computed for every response and never stored (ECDSA signatures differ per request; all verify).
import type { Signer } from '@signet/pki';
import { canonicalizeToBytes } from './canonical-json.js';

/** The four fields a SET covers, in the encodings clients rebuild them with. */
export interface SetFields {
  /** Standard padded base64 of the canonicalized entry body. */
  body: string;
  /** Integration time in Unix SECONDS. */
  integratedTime: number;
  /** Lower-case hex SHA-256 of the log key's DER SubjectPublicKeyInfo. */
  logID: string;
  /** The global log index. */
  logIndex: number | bigint;
}

/** A character JSON.stringify would escape, or one outside printable ASCII. */
const NEEDS_CARE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
const isInt = (n: number | bigint): boolean => typeof n === 'bigint' || Number.isSafeInteger(n);

/** The exact bytes a SET signs: `{"body":…,"integratedTime":…,"logID":…,"logIndex":…}` (JCS). */
export function setPayload(fields: SetFields): Uint8Array {
  const { body, integratedTime, logID, logIndex } = fields;
  // The usual case needs no escaping and no key sort: printable ASCII without `"` and `\` (base64,
  // hex) and integers are their own JCS text, and the four keys are already in JCS order.
  // Anything else goes through canonicalize.
  if (
    typeof body === 'string' &&
    typeof logID === 'string' &&
    isInt(integratedTime) &&
    isInt(logIndex) &&
    !NEEDS_CARE.test(body) &&
    !NEEDS_CARE.test(logID)
  ) {
    const b = Buffer.from(`{"body":"${body}","integratedTime":${integratedTime},"logID":"${logID}","logIndex":${logIndex}}`, 'latin1');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return canonicalizeToBytes({
    body: fields.body,
    integratedTime: fields.integratedTime,
    logID: fields.logID,
    logIndex: fields.logIndex,
  });
}

/** Signs a SET with the log signer; returns standard base64 of the signature (DER for ECDSA). */
export async function signSet(signer: Signer, fields: SetFields): Promise<string> {
  return Buffer.from(await signer.sign(setPayload(fields))).toString('base64');
}
