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

/** The exact bytes a SET signs: `{"body":…,"integratedTime":…,"logID":…,"logIndex":…}` (JCS). */
export function setPayload(fields: SetFields): Uint8Array {
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
