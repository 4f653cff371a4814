// Small byte helpers shared by the package (not exported from index.ts except where noted there).
import { MerkleError } from './errors.js';

/** Size of every hash in this package (SHA-256). */
export const HASH_SIZE = 32;

/** True iff `a` and `b` hold the same bytes. Not constant-time: it only compares public data. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenates byte strings into one new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Throws `BAD_HASH_SIZE` unless `h` is exactly 32 bytes; `what` names it in the message. */
export function checkHashSize(h: Uint8Array, what: string): void {
  if (h.length !== HASH_SIZE) {
    throw new MerkleError('BAD_HASH_SIZE', `${what} is ${h.length} bytes, want ${HASH_SIZE}`);
  }
}

/** Plain-Uint8Array view of a Buffer (so callers comparing with `deepEqual` see one type). */
export function asBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Strict standard base64 (padded, no whitespace); `null` when `s` is not canonical base64. */
export function decodeBase64Strict(s: string): Uint8Array | null {
  // Buffer.from silently skips junk; re-encoding and comparing makes the decoding canonical.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? asBytes(b) : null;
}

/** Standard padded base64 of `b`. */
export function encodeBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}
