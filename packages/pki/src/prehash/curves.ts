// The NIST prime curves Signet verifies (FIPS 186-5 / SEC 2 parameters), with the few affine point
// operations the prehashed ECDSA verifier does in bigint. Every curve here has a = -3 and
// cofactor 1, so every on-curve point other than infinity has prime order n and y ≠ 0.

/** An affine point; `null` stands for the point at infinity. */
export type Point = { x: bigint; y: bigint } | null;

/** Domain parameters of one short-Weierstrass curve y² = x³ - 3x + b over GF(p). */
export interface Curve {
  /** JOSE / WebCrypto name. */
  readonly name: 'P-256' | 'P-384' | 'P-521';
  /** OpenSSL name, as `crypto.createECDH` wants it. */
  readonly opensslName: 'prime256v1' | 'secp384r1' | 'secp521r1';
  readonly p: bigint;
  readonly n: bigint;
  readonly b: bigint;
  /** Bytes of a field element (and of a scalar) in fixed-length encodings. */
  readonly size: number;
  /** Bit length of n (ECDSA truncates digests to it). */
  readonly bits: number;
}

const P256: Curve = {
  name: 'P-256',
  opensslName: 'prime256v1',
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  size: 32,
  bits: 256,
};

const P384: Curve = {
  name: 'P-384',
  opensslName: 'secp384r1',
  p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
  n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  size: 48,
  bits: 384,
};

const P521: Curve = {
  name: 'P-521',
  opensslName: 'secp521r1',
  p: (1n << 521n) - 1n,
  n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  size: 66,
  bits: 521,
};

/** The supported curves by JOSE name. */
export const CURVES = { 'P-256': P256, 'P-384': P384, 'P-521': P521 } as const;

/** x mod m in [0, m). */
export function mod(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

/** True when (x, y) is a point of `c` with coordinates in [0, p). */
export function isOnCurve(c: Curve, x: bigint, y: bigint): boolean {
  if (x < 0n || x >= c.p || y < 0n || y >= c.p) return false;
  return (y * y - (x * x * x - 3n * x + c.b)) % c.p === 0n;
}

/** P + Q in affine coordinates (one inversion mod p). */
export function addPoints(c: Curve, P: Point, Q: Point, inverse: (a: bigint, m: bigint) => bigint): Point {
  if (P === null) return Q;
  if (Q === null) return P;
  const { p } = c;
  let lambda: bigint;
  if (P.x === Q.x) {
    if (P.y !== Q.y || P.y === 0n) return null; // Q = -P
    lambda = mod(3n * (P.x * P.x - 1n), p) * inverse(mod(2n * P.y, p), p); // tangent, a = -3
  } else {
    lambda = mod(Q.y - P.y, p) * inverse(mod(Q.x - P.x, p), p);
  }
  lambda %= p;
  const x = mod(lambda * lambda - P.x - Q.x, p);
  return { x, y: mod(lambda * (P.x - x) - P.y, p) };
}

/** Big-endian unsigned bytes → bigint. */
export function bytesToBigint(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
}

/** bigint (0 ≤ x < 256^size) → big-endian bytes of exactly `size` bytes. */
export function bigintToBytes(x: bigint, size: number): Buffer {
  return Buffer.from(x.toString(16).padStart(size * 2, '0'), 'hex');
}
