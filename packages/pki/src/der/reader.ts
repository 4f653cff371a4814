// A zero-copy DER reader (X.690 §10). Nodes are offsets into the caller's buffer; children are
// parsed only when asked for, and `raw`/`value` are subarrays, so callers can slice the exact bytes
// of a TBSCertificate or an extension without copying. Anything that is not strict DER is rejected
// with PkiError('BAD_DER'): truncation, indefinite lengths, non-minimal lengths, high tag numbers.
import { PkiError } from '../errors.js';
import { TAG } from './writer.js';

/** One TLV inside a buffer. `start` is the tag's offset, `valueStart` the first value byte. */
export class DerNode {
  constructor(
    readonly buf: Uint8Array,
    readonly tag: number,
    readonly start: number,
    readonly valueStart: number,
    readonly end: number,
  ) {}

  /** Length of the value in bytes. */
  get length(): number {
    return this.end - this.valueStart;
  }
  /** The value bytes (a view, not a copy). */
  get value(): Uint8Array {
    return this.buf.subarray(this.valueStart, this.end);
  }
  /** The whole TLV, tag and length included (a view). */
  get raw(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }
  /** True for constructed encodings (SEQUENCE, SET, explicit tags...). */
  get constructed(): boolean {
    return (this.tag & TAG.CONSTRUCTED) !== 0;
  }
  /** A cursor over the elements of this constructed value. */
  cursor(): DerCursor {
    if (!this.constructed) throw new PkiError('BAD_DER', `tag 0x${hex(this.tag)} is not constructed`);
    return new DerCursor(this.buf, this.valueStart, this.end);
  }
  /** Every element of this constructed value, parsed one level deep. */
  children(): DerNode[] {
    const out: DerNode[] = [];
    for (const c = this.cursor(); !c.done; ) out.push(c.next());
    return out;
  }
}

/** Reads elements of a constructed value one after another. */
export class DerCursor {
  constructor(
    private readonly buf: Uint8Array,
    private pos: number,
    private readonly limit: number,
  ) {}

  /** True when every element has been read. */
  get done(): boolean {
    return this.pos >= this.limit;
  }
  /** The tag of the next element, or undefined at the end. */
  peekTag(): number | undefined {
    return this.pos < this.limit ? this.buf[this.pos] : undefined;
  }
  /**
   * The next element. With `tag`, it must carry that tag, else BAD_DER naming `what`.
   */
  next(tag?: number, what = 'element'): DerNode {
    if (this.pos >= this.limit) throw new PkiError('BAD_DER', `missing ${what}`);
    const node = readTlvAt(this.buf, this.pos, this.limit);
    if (tag !== undefined && node.tag !== tag) {
      throw new PkiError('BAD_DER', `${what}: expected tag 0x${hex(tag)}, got 0x${hex(node.tag)}`);
    }
    this.pos = node.end;
    return node;
  }
  /** The next element if it carries `tag`, else undefined (OPTIONAL / DEFAULT fields). */
  optional(tag: number): DerNode | undefined {
    return this.peekTag() === tag ? this.next() : undefined;
  }
  /** Asserts that nothing follows; BAD_DER naming `what` otherwise. */
  finish(what = 'value'): void {
    if (this.pos < this.limit) throw new PkiError('BAD_DER', `trailing data in ${what}`);
  }
}

/** Parses `buf` as exactly one TLV (trailing bytes are BAD_DER). */
export function readDer(buf: Uint8Array): DerNode {
  const node = readTlvAt(buf, 0, buf.length);
  if (node.end !== buf.length) throw new PkiError('BAD_DER', `${buf.length - node.end} trailing bytes after DER value`);
  return node;
}

/** Parses the TLV starting at `offset`, which must end at or before `limit`. */
export function readTlvAt(buf: Uint8Array, offset: number, limit: number): DerNode {
  if (offset + 2 > limit) throw new PkiError('BAD_DER', 'truncated DER header');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new PkiError('BAD_DER', 'high tag numbers are not supported');
  let len = buf[offset + 1]!;
  let at = offset + 2;
  if (len >= 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new PkiError('BAD_DER', 'indefinite length is not DER');
    if (n > 4) throw new PkiError('BAD_DER', `length of ${n} bytes is too large`);
    if (at + n > limit) throw new PkiError('BAD_DER', 'truncated DER length');
    if (buf[at] === 0) throw new PkiError('BAD_DER', 'non-minimal length (leading zero)');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at++]!;
    if (len < 0x80) throw new PkiError('BAD_DER', 'non-minimal length (long form for a short length)');
  }
  if (at + len > limit) throw new PkiError('BAD_DER', `truncated DER value (need ${len} bytes, have ${limit - at})`);
  return new DerNode(buf, tag, offset, at, at + len);
}

/** INTEGER value as a bigint (signed); BAD_DER on an empty or non-minimal encoding. */
export function decodeInteger(node: DerNode): bigint {
  expectTag(node, TAG.INTEGER, 'INTEGER');
  const v = node.value;
  checkMinimalInteger(v);
  let n = BigInt('0x' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex'));
  if (v[0]! & 0x80) n -= 1n << BigInt(8 * v.length);
  return n;
}

/** INTEGER that must fit a non-negative safe number (versions, pathLen). */
export function decodeSmallInt(node: DerNode): number {
  const n = decodeInteger(node);
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new PkiError('BAD_DER', `INTEGER ${n} out of range`);
  return Number(n);
}

/** Throws unless `v` is a minimal two's-complement INTEGER body. */
export function checkMinimalInteger(v: Uint8Array): void {
  if (v.length === 0) throw new PkiError('BAD_DER', 'empty INTEGER');
  if (v.length > 1 && ((v[0] === 0 && !(v[1]! & 0x80)) || (v[0] === 0xff && v[1]! & 0x80))) {
    throw new PkiError('BAD_DER', 'non-minimal INTEGER');
  }
}

const oidTextCache = new Map<string, string>();

/** OBJECT IDENTIFIER as dotted text (decoded texts are cached by their bytes). */
export function decodeOid(node: DerNode): string {
  expectTag(node, TAG.OID, 'OBJECT IDENTIFIER');
  const v = node.value;
  const key = v.length <= 32 ? String.fromCharCode.apply(null, v as unknown as number[]) : undefined;
  if (key !== undefined) {
    const hit = oidTextCache.get(key);
    if (hit !== undefined) return hit;
  }
  if (v.length === 0 || v[v.length - 1]! & 0x80) throw new PkiError('BAD_DER', 'malformed OBJECT IDENTIFIER');
  let text = '';
  let arc = 0;
  let big: bigint | undefined;
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    if (b === 0x80 && (i === 0 || !(v[i - 1]! & 0x80))) throw new PkiError('BAD_DER', 'non-minimal OID arc');
    if (big !== undefined) big = (big << 7n) | BigInt(b & 0x7f);
    else if (arc >= 2 ** 45) big = (BigInt(arc) << 7n) | BigInt(b & 0x7f);
    else arc = arc * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (text === '') {
      // the first subidentifier packs two arcs: 40 * first + second (X.690 §8.19.4)
      if (big !== undefined) text = `2.${big - 80n}`;
      else text = arc < 40 ? `0.${arc}` : arc < 80 ? `1.${arc - 40}` : `2.${arc - 80}`;
    } else {
      text += '.' + (big !== undefined ? big.toString() : String(arc));
    }
    arc = 0;
    big = undefined;
  }
  if (key !== undefined && oidTextCache.size < 4096) oidTextCache.set(key, text);
  return text;
}

/** BOOLEAN; DER allows only 0x00 and 0xff. */
export function decodeBoolean(node: DerNode): boolean {
  expectTag(node, TAG.BOOLEAN, 'BOOLEAN');
  if (node.length !== 1 || (node.buf[node.valueStart] !== 0 && node.buf[node.valueStart] !== 0xff)) {
    throw new PkiError('BAD_DER', 'BOOLEAN must be one byte 0x00 or 0xff');
  }
  return node.buf[node.valueStart] === 0xff;
}

/** BIT STRING: the bytes (a view) and the unused-bit count; DER requires unused bits to be zero. */
export function decodeBitString(node: DerNode): { bytes: Uint8Array; unusedBits: number } {
  expectTag(node, TAG.BIT_STRING, 'BIT STRING');
  const v = node.value;
  if (v.length === 0) throw new PkiError('BAD_DER', 'empty BIT STRING');
  const unusedBits = v[0]!;
  if (unusedBits > 7 || (v.length === 1 && unusedBits !== 0)) throw new PkiError('BAD_DER', 'bad BIT STRING padding');
  if (unusedBits && v[v.length - 1]! & ((1 << unusedBits) - 1)) throw new PkiError('BAD_DER', 'BIT STRING padding bits not zero');
  return { bytes: v.subarray(1), unusedBits };
}

/** BIT STRING with no unused bits (keys, signatures). */
export function decodeBitStringBytes(node: DerNode): Uint8Array {
  const { bytes, unusedBits } = decodeBitString(node);
  if (unusedBits !== 0) throw new PkiError('BAD_DER', 'BIT STRING is not byte-aligned');
  return bytes;
}

/** OCTET STRING contents (a view). */
export function decodeOctetString(node: DerNode): Uint8Array {
  expectTag(node, TAG.OCTET_STRING, 'OCTET STRING');
  return node.value;
}

/** NULL (must be empty). */
export function decodeNull(node: DerNode): null {
  expectTag(node, TAG.NULL, 'NULL');
  if (node.length !== 0) throw new PkiError('BAD_DER', 'NULL with content');
  return null;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF8String, PrintableString or IA5String (also any implicitly tagged one, by `tag`) as text. */
export function decodeString(node: DerNode): string {
  try {
    return utf8Decoder.decode(node.value);
  } catch (e) {
    throw new PkiError('BAD_DER', 'string is not valid UTF-8', { cause: e });
  }
}

const UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** UTCTime or GeneralizedTime in the RFC 5280 §4.1.2.5 form (Zulu, seconds, no fractions). */
export function decodeTime(node: DerNode): Date {
  let m: RegExpExecArray | null;
  let year: number;
  const text = String.fromCharCode.apply(null, node.value as unknown as number[]);
  if (node.tag === TAG.UTC_TIME) {
    m = UTC.exec(text);
    if (!m) throw new PkiError('BAD_DER', `malformed UTCTime "${text}"`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (node.tag === TAG.GENERALIZED_TIME) {
    m = GEN.exec(text);
    if (!m) throw new PkiError('BAD_DER', `malformed GeneralizedTime "${text}"`);
    year = Number(m[1]);
  } else {
    throw new PkiError('BAD_DER', `expected a time, got tag 0x${hex(node.tag)}`);
  }
  const [mo, d, h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new PkiError('BAD_DER', `invalid date "${text}"`);
  }
  return date;
}

/** Throws BAD_DER unless `node` carries `tag`. */
export function expectTag(node: DerNode, tag: number, what: string): void {
  if (node.tag !== tag) throw new PkiError('BAD_DER', `expected ${what} (0x${hex(tag)}), got tag 0x${hex(node.tag)}`);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
