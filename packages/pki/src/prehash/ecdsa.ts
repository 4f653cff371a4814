// Prehashed ECDSA verification (FIPS 186-5 §6.4.2) with node's native scalar multiplications.
//
// node:crypto cannot verify an ECDSA signature over a digest it did not compute itself, and the
// pure-JS curves libraries verify at ~380/s. This verifier keeps the exact ECDSA semantics but lets
// OpenSSL do the two expensive multiplications through the ECDH API:
//   R = u1·G + u2·Q = u2·(Q + v·G)   with u1 = e/s, u2 = r/s, v = u1/u2 = e/r   (mod n)
//   * v·G         : ecdh.setPrivateKey(v) + getPublicKey()  (the full point, fixed-base)
//   * T = Q + v·G : one affine addition in bigint (one inversion mod p)
//   * x(u2·T)     : ecdh.setPrivateKey(u2) + computeSecret(T) (ECDH returns exactly x(u2·T))
// and the signature is valid iff R ≠ ∞ and x(R) mod n = r. Since u2 ≠ 0 and T has prime order
// when finite, R = ∞ exactly when T = ∞, which is checked before the last multiplication.
import { createECDH, type ECDH } from 'node:crypto';
import { type Curve, type Point, addPoints, bigintToBytes, bytesToBigint, mod } from './curves.js';
import { modInverse } from './modinv.js';

const ecdhByCurve = new Map<string, ECDH>();

function ecdhFor(c: Curve): ECDH {
  let ecdh = ecdhByCurve.get(c.name);
  if (ecdh === undefined) {
    ecdh = createECDH(c.opensslName);
    ecdhByCurve.set(c.name, ecdh);
  }
  return ecdh;
}

/** ECDSA's bits2int: the leftmost `c.bits` bits of the digest as an integer (not reduced). */
export function digestToInteger(c: Curve, digest: Uint8Array): bigint {
  const e = bytesToBigint(digest);
  const excess = digest.length * 8 - c.bits;
  return excess > 0 ? e >> BigInt(excess) : e;
}

/**
 * Parses an ASN.1 DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` strictly (short
 * or long form lengths as DER requires, minimal positive INTEGERs, nothing trailing), as OpenSSL
 * and Go do. Returns null when the encoding is not exactly that.
 */
export function parseEcdsaSignature(sig: Uint8Array): { r: bigint; s: bigint } | null {
  const parts = parseEcdsaSignatureBytes(sig);
  return parts === null ? null : { r: bytesToBigint(parts.r), s: bytesToBigint(parts.s) };
}

/**
 * As `parseEcdsaSignature`, but returns r and s as views of their unsigned big-endian bytes
 * (the sign byte dropped; r = 0 or s = 0 gives a one-byte zero).
 */
export function parseEcdsaSignatureBytes(sig: Uint8Array): { r: Uint8Array; s: Uint8Array } | null {
  if (sig.length < 8 || sig[0] !== 0x30) return null;
  let at = 1;
  let len = sig[at++]!;
  if (len === 0x81) {
    len = sig[at++]!;
    if (len < 0x80) return null;
  } else if (len > 0x80) return null;
  if (at + len !== sig.length) return null;
  const r = readPositiveInteger(sig, at);
  if (r === null) return null;
  const s = readPositiveInteger(sig, r.end);
  if (s === null || s.end !== sig.length) return null;
  return { r: r.value, s: s.value };
}

function readPositiveInteger(b: Uint8Array, at: number): { value: Uint8Array; end: number } | null {
  if (at + 2 > b.length || b[at] !== 0x02) return null;
  const len = b[at + 1]!;
  const start = at + 2;
  if (len === 0 || len >= 0x80 || start + len > b.length) return null; // r, s < 2^528 fit in 127 bytes
  if (b[start]! & 0x80) return null; // negative
  if (len > 1 && b[start] === 0 && !(b[start + 1]! & 0x80)) return null; // non-minimal
  const value = len > 1 && b[start] === 0 ? b.subarray(start + 1, start + len) : b.subarray(start, start + len);
  return { value, end: start + len };
}

/**
 * Verifies a DER ECDSA signature over the message whose digest is `digest`, for the public point
 * `q` (already validated to be on `c`). Returns false for any malformed or invalid signature.
 */
export function verifyEcdsaDigest(c: Curve, q: { x: bigint; y: bigint }, digest: Uint8Array, sig: Uint8Array): boolean {
  const rs = parseEcdsaSignature(sig);
  if (rs === null) return false;
  const { r, s } = rs;
  const { n } = c;
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  const e = mod(digestToInteger(c, digest), n);
  const rsInv = modInverse((r * s) % n, n); // one inversion yields both r⁻¹ and s⁻¹
  const v = (((e * s) % n) * rsInv) % n; // e/r
  const u2 = (((r * r) % n) * rsInv) % n; // r/s
  const ecdh = ecdhFor(c);
  let t: Point = q;
  if (v !== 0n) {
    ecdh.setPrivateKey(bigintToBytes(v, c.size));
    const vg = ecdh.getPublicKey();
    const vgPoint = { x: bytesToBigint(vg.subarray(1, 1 + c.size)), y: bytesToBigint(vg.subarray(1 + c.size)) };
    t = addPoints(c, q, vgPoint, modInverse);
    if (t === null) return false; // R = u2·∞ = ∞
  }
  const tBytes = Buffer.concat([Buffer.of(4), bigintToBytes(t.x, c.size), bigintToBytes(t.y, c.size)]);
  ecdh.setPrivateKey(bigintToBytes(u2, c.size));
  const xR = bytesToBigint(ecdh.computeSecret(tBytes));
  return xR % n === r;
}

/** DER `ECDSA-Sig-Value` of (r, s) (minimal positive INTEGERs). */
export function encodeEcdsaSignature(r: bigint, s: bigint): Uint8Array {
  const int = (v: bigint) => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
    const body = Buffer.from(hex, 'hex');
    return Buffer.concat([Buffer.of(0x02, body.length), body]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  const len = body.length < 0x80 ? Buffer.of(body.length) : Buffer.of(0x81, body.length);
  return new Uint8Array(Buffer.concat([Buffer.of(0x30), len, body]));
}

/**
 * Converts a fixed-length r‖s signature (PKCS#11 CKM_ECDSA, IEEE P1363, JOSE, the native signer) to
 * DER, byte for byte what `encodeEcdsaSignature` gives for the same integers; null if malformed.
 */
export function rawEcdsaToDer(raw: Uint8Array): Uint8Array | null {
  if (raw.length === 0 || raw.length % 2 !== 0) return null;
  const half = raw.length / 2;
  const int = (v: Uint8Array): Uint8Array => {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    const body = v.subarray(i);
    const pad = body[0]! & 0x80 ? 1 : 0;
    const out = new Uint8Array(2 + pad + body.length);
    out[0] = 0x02;
    out[1] = pad + body.length;
    out.set(body, 2 + pad);
    return out;
  };
  const r = int(raw.subarray(0, half));
  const s = int(raw.subarray(half));
  const len = r.length + s.length;
  const head = len < 0x80 ? [0x30, len] : [0x30, 0x81, len];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  out.set(r, head.length);
  out.set(s, head.length + r.length);
  return out;
}
