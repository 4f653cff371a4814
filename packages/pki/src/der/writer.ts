// A small DER writer (X.690 §10): every function returns the complete TLV as a fresh Uint8Array.
// Constructed values are built by one length-prefixed concatenation into a buffer allocated at its
// final size, so a certificate costs one allocation per constructed node and no intermediate trees.
// Constant parts (algorithm identifiers, fixed extensions) are meant to be encoded once by callers.
import { PkiError } from '../errors.js';

/** Universal tags and class bits used by Signet (X.680 §8.4). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** Context-specific class bits; OR with the tag number. */
  CONTEXT: 0x80,
  /** Constructed bit. */
  CONSTRUCTED: 0x20,
} as const;

const SLAB_SIZE = 64 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

/**
 * A zeroed byte array of length `n` carved from a shared 64 KiB slab (a bump allocator: regions
 * are never reused, the slab is freed by GC once no view is left). Small typed arrays allocated one
 * by one cost ~0.3-1.7 µs each in V8; carving costs ~50 ns. Views may share their ArrayBuffer, so
 * always honour `byteOffset`/`byteLength`; use `.slice()` for a privately owned copy.
 */
export function allocBytes(n: number): Uint8Array {
  if (n > 4096) return new Uint8Array(n);
  if (slabUsed + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed = (slabUsed + n + 7) & ~7;
  return out;
}

/** Bytes the DER length of a value of `n` bytes takes (short form below 128, else long form). */
export function lengthSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
}

/** Writes the minimal DER length `n` into `out` at `at`; returns the offset after it. */
export function writeLength(out: Uint8Array, at: number, n: number): number {
  if (n < 0x80) {
    out[at] = n;
    return at + 1;
  }
  const size = lengthSize(n) - 1;
  out[at++] = 0x80 | size;
  for (let i = size - 1; i >= 0; i--) out[at++] = (n >>> (8 * i)) & 0xff;
  return at;
}

/**
 * One TLV with a single-byte tag whose value is the concatenation of `parts`. The tag must be a
 * low tag number (≤ 30), which covers every tag X.509 uses.
 */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  return tlvOf(tag, parts);
}

/** Like `tlv`, with the parts as an array (no rest-argument copy on hot paths). */
export function tlvOf(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (let i = 0; i < parts.length; i++) len += parts[i]!.length;
  const out = allocBytes(1 + lengthSize(len) + len);
  out[0] = tag;
  let at = writeLength(out, 1, len);
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  return out;
}

/** SEQUENCE of the given encoded elements, in order. */
export function seq(...parts: Uint8Array[]): Uint8Array {
  return tlvOf(TAG.SEQUENCE, parts);
}

/** SEQUENCE from an array of encoded elements. */
export function seqOf(parts: readonly Uint8Array[]): Uint8Array {
  return tlvOf(TAG.SEQUENCE, parts);
}

/** SET OF: DER requires the elements sorted by their encodings (X.690 §11.6). */
export function set(...parts: Uint8Array[]): Uint8Array {
  if (parts.length > 1) parts = [...parts].sort(compareBytes);
  return tlvOf(TAG.SET, parts);
}

/** INTEGER from a bigint or a safe integer number (two's complement, minimal: X.690 §8.3.2). */
export function int(value: bigint | number): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new PkiError('BAD_DER', `INTEGER ${value} is not a safe integer`);
  }
  const v = BigInt(value);
  if (v >= 0n && v < 0x80n) return Uint8Array.of(TAG.INTEGER, 1, Number(v));
  let hex: string;
  if (v >= 0n) {
    hex = v.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    if (hex.charCodeAt(0) >= 0x38 /* '8' */) hex = '00' + hex;
  } else {
    let n = 1;
    while (v < -(1n << BigInt(8 * n - 1))) n++;
    hex = ((1n << BigInt(8 * n)) + v).toString(16).padStart(2 * n, '0');
  }
  return tlvOf(TAG.INTEGER, [Buffer.from(hex, 'hex')]);
}

/**
 * INTEGER from unsigned big-endian magnitude bytes (e.g. a serial or an ECDSA r/s): leading zero
 * bytes are stripped and one is added back when the top bit is set, so the result is minimal.
 */
export function intBytes(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const body = unsigned.length === 0 ? new Uint8Array(1) : unsigned.subarray(start);
  return body[0]! & 0x80 ? tlv(TAG.INTEGER, new Uint8Array(1), body) : tlv(TAG.INTEGER, body);
}

const oidCache = new Map<string, Uint8Array>();

/**
 * OBJECT IDENTIFIER from dotted text ("1.2.840.10045.4.3.3"). Encodings are cached, so callers may
 * use it freely on hot paths; treat the result as read-only. Throws BAD_DER on a malformed OID.
 */
export function oid(dotted: string): Uint8Array {
  const hit = oidCache.get(dotted);
  if (hit !== undefined) return hit;
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted)) throw new PkiError('BAD_DER', `malformed OID "${dotted}"`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs[0]! < 2n && arcs[1]! > 39n) throw new PkiError('BAD_DER', `malformed OID "${dotted}"`);
  const body: number[] = [];
  const pushArc = (arc: bigint): void => {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (arc >>= 7n; arc > 0n; arc >>= 7n) groups.push(Number(arc & 0x7fn) | 0x80);
    for (let i = groups.length - 1; i >= 0; i--) body.push(groups[i]!);
  };
  pushArc(arcs[0]! * 40n + arcs[1]!);
  for (let i = 2; i < arcs.length; i++) pushArc(arcs[i]!);
  const out = tlv(TAG.OID, Uint8Array.from(body));
  if (oidCache.size < 4096) oidCache.set(dotted, out);
  return out;
}

const utf8Encoder = new TextEncoder();

/** A string type: the tag, then the UTF-8 bytes written straight into the output buffer. */
function stringTlv(tag: number, text: string): Uint8Array {
  const len = Buffer.byteLength(text, 'utf8');
  const out = allocBytes(1 + lengthSize(len) + len);
  out[0] = tag;
  writeUtf8(out, writeLength(out, 1, len), text, len);
  return out;
}

/**
 * Writes `text` (whose UTF-8 length is `byteLength`) into `out` at `at`; returns the end offset.
 * Short ASCII text is copied by a loop (cheaper than a native call), the rest by TextEncoder.
 */
export function writeUtf8(out: Uint8Array, at: number, text: string, byteLength: number): number {
  if (byteLength === text.length && byteLength <= 64) {
    for (let i = 0; i < byteLength; i++) out[at + i] = text.charCodeAt(i);
  } else {
    utf8Encoder.encodeInto(text, out.subarray(at, at + byteLength));
  }
  return at + byteLength;
}

/** UTF8String. */
export function utf8(text: string): Uint8Array {
  return stringTlv(TAG.UTF8_STRING, text);
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** True when `text` fits PrintableString (X.680 §41.4). */
export function isPrintable(text: string): boolean {
  return PRINTABLE.test(text);
}

/** PrintableString; throws BAD_DER on a character outside its alphabet. */
export function printable(text: string): Uint8Array {
  if (!isPrintable(text)) throw new PkiError('BAD_DER', 'text is not a PrintableString');
  return stringTlv(TAG.PRINTABLE_STRING, text);
}

/** IA5String (ASCII); throws BAD_DER on a non-ASCII character. */
export function ia5(text: string): Uint8Array {
  return ia5Tagged(TAG.IA5_STRING, text);
}

/** An IA5String value under any tag (e.g. an implicitly tagged GeneralName). */
export function ia5Tagged(tag: number, text: string): Uint8Array {
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(text)) throw new PkiError('BAD_DER', 'text is not an IA5String (non-ASCII)');
  return stringTlv(tag, text);
}

/** OCTET STRING wrapping `bytes`. */
export function octet(bytes: Uint8Array): Uint8Array {
  return tlvOf(TAG.OCTET_STRING, [bytes]);
}

/** BIT STRING with `unusedBits` (0-7) unused trailing bits in the last byte. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  if (unusedBits < 0 || unusedBits > 7 || (unusedBits > 0 && bytes.length === 0)) {
    throw new PkiError('BAD_DER', `bad BIT STRING unused-bits count ${unusedBits}`);
  }
  return tlvOf(TAG.BIT_STRING, [Uint8Array.of(unusedBits), bytes]);
}

/**
 * BIT STRING of a named-bit list (X.690 §11.2.2), e.g. KeyUsage: bit 0 is the most significant bit
 * of the first byte; trailing zero bits are dropped.
 */
export function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return bitString(new Uint8Array(0));
  const top = Math.max(...bits);
  const bytes = new Uint8Array((top >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return bitString(bytes, 7 - (top & 7));
}

/** BOOLEAN (DER: TRUE is 0xff). */
export function bool(value: boolean): Uint8Array {
  return Uint8Array.of(TAG.BOOLEAN, 1, value ? 0xff : 0x00);
}

/** NULL. */
export function nul(): Uint8Array {
  return Uint8Array.of(TAG.NULL, 0);
}

/** UTCTime "YYMMDDHHMMSSZ" (RFC 5280 §4.1.2.5.1); years 1950-2049 only. Milliseconds are dropped. */
export function utcTime(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  if (!(y >= 1950 && y <= 2049)) throw new PkiError('BAD_DER', `year ${y} cannot be a UTCTime`);
  return timeTlv(TAG.UTC_TIME, 2, date);
}

/** GeneralizedTime "YYYYMMDDHHMMSSZ" (RFC 5280 §4.1.2.5.2); no fractional seconds. */
export function generalizedTime(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) throw new PkiError('BAD_DER', `year ${y} cannot be a GeneralizedTime`);
  return timeTlv(TAG.GENERALIZED_TIME, 4, date);
}

/** RFC 5280 Time: UTCTime through 2049 (from 1950), GeneralizedTime otherwise. */
export function time(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  return y >= 1950 && y <= 2049 ? utcTime(date) : generalizedTime(date);
}

/** Digits written straight into the buffer: this runs four times per leaf certificate. */
function timeTlv(tag: number, yearDigits: 2 | 4, d: Date): Uint8Array {
  if (Number.isNaN(d.getTime())) throw new PkiError('BAD_DER', 'invalid Date');
  const len = yearDigits + 11;
  const out = allocBytes(2 + len);
  out[0] = tag;
  out[1] = len;
  let at = 2;
  const put = (v: number, digits: number): void => {
    for (let i = digits - 1; i >= 0; i--) {
      out[at + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    at += digits;
  };
  put(d.getUTCFullYear() % (yearDigits === 2 ? 100 : 10000), yearDigits);
  put(d.getUTCMonth() + 1, 2);
  put(d.getUTCDate(), 2);
  put(d.getUTCHours(), 2);
  put(d.getUTCMinutes(), 2);
  put(d.getUTCSeconds(), 2);
  out[at] = 0x5a; // 'Z'
  return out;
}

/** [n] EXPLICIT: a constructed context tag around one complete encoding. */
export function explicit(n: number, inner: Uint8Array): Uint8Array {
  return tlvOf(TAG.CONTEXT | TAG.CONSTRUCTED | checkTagNumber(n), [inner]);
}

/** [n] IMPLICIT, primitive: the context tag with the raw value bytes (e.g. rfc822Name, keyIdentifier). */
export function implicitPrimitive(n: number, value: Uint8Array): Uint8Array {
  return tlvOf(TAG.CONTEXT | checkTagNumber(n), [value]);
}

/** [n] IMPLICIT, constructed: the context tag around the concatenated element encodings (e.g. otherName). */
export function implicitConstructed(n: number, ...parts: Uint8Array[]): Uint8Array {
  return tlvOf(TAG.CONTEXT | TAG.CONSTRUCTED | checkTagNumber(n), parts);
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = allocBytes(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Lexicographic byte comparison (shorter prefix first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function checkTagNumber(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new PkiError('BAD_DER', `context tag [${n}] out of range`);
  return n;
}
