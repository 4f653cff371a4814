// A textbook ECDSA (FIPS 186-5 §6.4) in plain affine bigint arithmetic, for tests only: the
// independent oracle for prehashed verification, and a signer over arbitrary digests with a chosen
// nonce (to build the edge cases node:crypto cannot produce). Slow (milliseconds per operation).
import { createECDH } from 'node:crypto';
import { CURVES, type Curve, type Point, addPoints, bytesToBigint, mod } from '../prehash/curves.js';
import { digestToInteger } from '../prehash/ecdsa.js';

export { encodeEcdsaSignature } from '../prehash/ecdsa.js';

export type CurveName = keyof typeof CURVES;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, t0, t1] = [m, mod(a, m), 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return mod(t0, m);
}

/** The generator of `name` (read from OpenSSL as 1·G). */
export function generator(name: CurveName): { x: bigint; y: bigint } {
  const c = CURVES[name];
  const ecdh = createECDH(c.opensslName);
  ecdh.setPrivateKey(Buffer.from('01'.padStart(2 * c.size, '0'), 'hex'));
  const pub = ecdh.getPublicKey();
  return { x: bytesToBigint(pub.subarray(1, 1 + c.size)), y: bytesToBigint(pub.subarray(1 + c.size)) };
}

/** k·P by double-and-add. */
export function multiply(c: Curve, k: bigint, P: Point): Point {
  let acc: Point = null;
  let add: Point = P;
  for (let e = mod(k, c.n); e > 0n; e >>= 1n) {
    if (e & 1n) acc = addPoints(c, acc, add, inverse);
    add = addPoints(c, add, add, inverse);
  }
  return acc;
}

/** Textbook verification of (r, s) over `digest` for public point `q`. */
export function referenceVerify(name: CurveName, q: Point, digest: Uint8Array, r: bigint, s: bigint): boolean {
  const c = CURVES[name];
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;
  const e = mod(digestToInteger(c, digest), c.n);
  const w = inverse(s, c.n);
  const R = addPoints(c, multiply(c, mod(e * w, c.n), generator(name)), multiply(c, mod(r * w, c.n), q), inverse);
  return R !== null && mod(R.x, c.n) === r;
}

/** Signs `digest` with private scalar `d` and nonce `k`; null if k yields r = 0 or s = 0. */
export function referenceSign(name: CurveName, d: bigint, k: bigint, digest: Uint8Array): { r: bigint; s: bigint } | null {
  const c = CURVES[name];
  const R = multiply(c, k, generator(name));
  if (R === null) return null;
  const r = mod(R.x, c.n);
  const s = mod(inverse(k, c.n) * (mod(digestToInteger(c, digest), c.n) + r * d), c.n);
  return r === 0n || s === 0n ? null : { r, s };
}
