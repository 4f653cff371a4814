// The Signed Entry Timestamp (rekor.md §2, sigstore-js-client.md §2.5): the log's signature over the
// RFC 8785 canonical JSON of exactly {body, integratedTime, logID, logIndex}. Unlike Rekor v1, which
// signs one for every response, Signet signs it once, when the sequencer places the entry, and stores
// it as the entry's `extra`: the fields never change, so the stored SET verifies exactly as a fresh
// one would. Entries stored without one (written before) get a fresh signature on every read.
import type { Signer } from '@signet/pki';
import type { ExtraAtSequencing } from '../log/index.js';
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

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Converts a bigint to a JSON number, refusing values that would lose precision. */
export function toSafeNumber(n: bigint): number {
  if (n > MAX_SAFE || n < 0n) throw new RangeError(`${n} is not a safe JSON integer`);
  return Number(n);
}

/**
 * The SET fields of a logged entry, exactly as its LogEntry shows them: the body in standard base64,
 * the integration time in whole seconds, the log ID in lower-case hex.
 */
export function setFieldsOf(logID: string, e: { index: bigint; body: Uint8Array; integratedTime: number }): SetFields & { logIndex: number } {
  const bodyBase64 = Buffer.from(e.body.buffer, e.body.byteOffset, e.body.byteLength).toString('base64');
  return setFieldsOfText(logID, { index: e.index, bodyBase64, integratedTime: e.integratedTime });
}

/** `setFieldsOf` for an entry whose body is already in standard base64. */
export function setFieldsOfText(logID: string, e: { index: bigint; bodyBase64: string; integratedTime: number }): SetFields & { logIndex: number } {
  return { body: e.bodyBase64, integratedTime: Math.floor(e.integratedTime / 1000), logID, logIndex: toSafeNumber(e.index) };
}

/** First byte of a Rekor entry's stored `extra` that holds its SET (the rest is the signature). */
const STORED_SET = 0x01;

/** The stored SET (standard base64) in a Rekor entry's `extra`, or undefined if it has none. */
export function storedSet(extra: Uint8Array | null): string | undefined {
  if (extra === null || extra.length < 2 || extra[0] !== STORED_SET) return undefined;
  return Buffer.from(extra.buffer, extra.byteOffset + 1, extra.byteLength - 1).toString('base64');
}

/**
 * The Rekor log's `LogOptions.extraAtSequencing`: signs the entry's SET as soon as the sequencer has
 * placed it and returns it as the `extra` to store (`storedSet` reads it back).
 */
export function setAtSequencing(signer: Signer, logId: Uint8Array): ExtraAtSequencing {
  const logID = Buffer.from(logId).toString('hex');
  return async (e) => {
    const sig = await signer.sign(setPayload(setFieldsOf(logID, e)));
    const out = new Uint8Array(1 + sig.length);
    out[0] = STORED_SET;
    out.set(sig, 1);
    return out;
  };
}
