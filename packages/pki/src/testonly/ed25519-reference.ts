// Ed25519 and Ed25519ph SIGNING (RFC 8032 §5.1.5-5.1.6) on the same edwards25519 arithmetic the
// verifier uses, for tests only: pure Ed25519 signatures must match node:crypto byte for byte
// (Ed25519 is deterministic), which pins the arithmetic; Ed25519ph signatures are what clients send
// in hashedrekord and node:crypto cannot make. Not constant-time; never use it on real keys.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { DOM2_PH } from '../prehash/ed25519ph.js';
import {
  L,
  add,
  decodePoint,
  double,
  encodePoint,
  equal,
  fromLittleEndian,
  IDENTITY,
  linearCombination,
  toLittleEndian32,
  type Point,
} from '../prehash/edwards25519.js';

/** The expanded private key of RFC 8032 §5.1.5. */
export interface Ed25519Expanded {
  /** The clamped secret scalar s. */
  scalar: bigint;
  /** The second half of SHA-512(seed), which seeds the nonce. */
  prefix: Uint8Array;
  /** The encoded public key A = [s]B. */
  publicKey: Uint8Array;
}

const sha512 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Expands a 32-byte seed (the RFC's "private key") into scalar, prefix and public key. */
export function expandEd25519Seed(seed: Uint8Array): Ed25519Expanded {
  const h = sha512(seed);
  const low = Buffer.from(h.subarray(0, 32));
  low[0]! &= 248;
  low[31]! &= 127;
  low[31]! |= 64;
  const scalar = fromLittleEndian(low);
  return { scalar, prefix: new Uint8Array(h.subarray(32)), publicKey: encodePoint(linearCombination(scalar, 0n, IDENTITY)) };
}

/** The 32-byte seed of a node:crypto Ed25519 private key. */
export function ed25519SeedOf(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
}

/**
 * Signs with the nonce r given: R = [r]B + `addToR`, k = SHA-512(dom ‖ R ‖ A ‖ data) mod L,
 * S = r + k·s mod L, where A is `key.publicKey` as given (it may be made to differ from [s]B).
 * r = 0 or a small-order `addToR` build the edge cases honest signers never produce.
 */
export function ed25519SignWithNonce(key: Ed25519Expanded, r: bigint, data: Uint8Array, dom: Uint8Array, addToR: Point = IDENTITY): Uint8Array {
  const rBytes = encodePoint(linearCombination(r % L, 1n, addToR));
  const k = fromLittleEndian(sha512(dom, rBytes, key.publicKey, data)) % L;
  const s = (r + k * key.scalar) % L;
  return new Uint8Array(Buffer.concat([rBytes, toLittleEndian32(s)]));
}

/**
 * Signs `data` with `seed`: pure Ed25519 over the message (`variant` 'pure'), or Ed25519ph with
 * `data` = PH(M), the 64-byte SHA-512 digest of the message ('ph', dom2(1, "") prefixed).
 */
export function ed25519ReferenceSign(seed: Uint8Array, data: Uint8Array, variant: 'pure' | 'ph'): Uint8Array {
  const key = expandEd25519Seed(seed);
  const dom = variant === 'ph' ? DOM2_PH : new Uint8Array(0);
  const r = fromLittleEndian(sha512(dom, key.prefix, data)) % L;
  return ed25519SignWithNonce(key, r, data, dom);
}

/** The 8 points of the torsion subgroup (the small-order points), as multiples of one of order 8. */
export function ed25519TorsionPoints(): Point[] {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const q = decodePoint(randomBytes(32));
    if (q === null) continue;
    const t = linearCombination(0n, L, q); // [L]q lies in the torsion subgroup
    if (equal(double(double(t)), IDENTITY)) continue; // order < 8
    const out = [IDENTITY];
    for (let i = 1; i < 8; i++) out.push(add(out[i - 1]!, t));
    return out;
  }
  throw new Error('no point of order 8 found: the curve arithmetic is broken');
}

/** b^e mod m by textbook square-and-multiply: an oracle independent of the verifier's addition chain. */
export function textbookPowMod(b: bigint, e: bigint, m: bigint): bigint {
  let acc = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) acc = (acc * b) % m;
  return acc;
}
