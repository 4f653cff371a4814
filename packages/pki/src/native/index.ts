// The native ECDSA addon (packages/pki/native, built by `npm install`): P-384 signing and
// verification in constant-time C, and prehashed P-256/P-521 verification through the OpenSSL that
// Node.js links. Every caller has a node:crypto fallback; `nativeEcdsaStatus()` says which is in use.
// See docs/design/native-ecdsa.md.
import { createHash, hash, type KeyObject, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Curve } from '../prehash/curves.js';
import { parseEcdsaSignatureBytes, rawEcdsaToDer } from '../prehash/ecdsa.js';

interface Addon {
  p384Sign(d: Uint8Array, e: Uint8Array, seed: Uint8Array, blind: Uint8Array): Buffer | null;
  p384Verify(q: Uint8Array, e: Uint8Array, r: Uint8Array, s: Uint8Array): boolean;
  p384KeyTable(q: Uint8Array): ArrayBuffer | null;
  p384VerifyTable(table: ArrayBuffer, e: Uint8Array, r: Uint8Array, s: Uint8Array): boolean;
  p384BaseMulX(k: Uint8Array): Buffer | null;
  opensslVerifyDigest(curve: 256 | 521, q: Uint8Array, digest: Uint8Array, r: Uint8Array, s: Uint8Array): boolean;
  opensslSigningKey(d: Uint8Array): object | null;
  opensslSignDigest(key: object, digest: Uint8Array): Buffer;
}

/** Where the addon is expected after `npm install` (node-gyp's Release output). */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../../native/build/Release/signet_ecdsa.node', import.meta.url));

let addon: Addon | null = null;
let loadError = '';
try {
  addon = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as Addon;
} catch (err) {
  loadError = (err as Error).message.split('\n')[0] ?? String(err);
}

/** Whether the native addon is loaded, and if not, why (the node:crypto fallbacks are used then). */
export function nativeEcdsaStatus(): { loaded: true } | { loaded: false; reason: string } {
  return addon !== null ? { loaded: true } : { loaded: false, reason: `${NATIVE_ADDON_PATH}: ${loadError}` };
}

/** The addon's raw functions, for the tests that check them against OpenSSL. */
export function nativeAddonForTests(): Addon | null {
  return addon;
}

/** Left-pads unsigned big-endian bytes to `size`; null if they do not fit. */
function fixed(bytes: Uint8Array, size: number): Uint8Array | null {
  if (bytes.length === size) return bytes;
  if (bytes.length > size) return null;
  const out = new Uint8Array(size);
  out.set(bytes, size - bytes.length);
  return out;
}

/** ECDSA's bits2int for P-384: the leftmost 384 bits of the digest, as 48 bytes. */
function p384DigestInteger(digest: Uint8Array): Uint8Array {
  return digest.length >= 48 ? digest.subarray(0, 48) : (fixed(digest, 48) as Uint8Array);
}

/**
 * Comb tables of P-384 keys that verify often (a CA's key, which the CT log checks on every
 * precertificate): a key gets a table (195 KiB, ~10 ms to build) on its third use, and verifying
 * with it costs about a third of a plain verification. At most TABLES keys keep one (least recently
 * used first out); at most SEEN other keys are counted.
 */
const TABLES = 8;
const SEEN = 256;
const TABLE_AFTER = 3;
const p384Tables = new Map<string, ArrayBuffer>();
const p384Seen = new Map<string, number>();

function p384TableFor(q: Uint8Array): ArrayBuffer | undefined {
  const id = Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('latin1');
  const table = p384Tables.get(id);
  if (table !== undefined) {
    p384Tables.delete(id);
    p384Tables.set(id, table);
    return table;
  }
  const uses = (p384Seen.get(id) ?? 0) + 1;
  if (uses < TABLE_AFTER) {
    if (!p384Seen.has(id) && p384Seen.size >= SEEN) p384Seen.delete(p384Seen.keys().next().value!);
    p384Seen.set(id, uses);
    return undefined;
  }
  p384Seen.delete(id);
  const built = addon!.p384KeyTable(q);
  if (built === null) return undefined; // not a valid point: the plain path refuses it
  if (p384Tables.size >= TABLES) p384Tables.delete(p384Tables.keys().next().value!);
  p384Tables.set(id, built);
  return built;
}

/**
 * Verifies a DER ECDSA signature over `digest` for the uncompressed point `q` on `curve` with the
 * addon, or returns undefined when the addon is not loaded. False for any malformed signature.
 */
export function nativeVerifyEcdsaDigest(curve: Curve, q: Uint8Array, digest: Uint8Array, sig: Uint8Array): boolean | undefined {
  if (addon === null) return undefined;
  const parts = parseEcdsaSignatureBytes(sig);
  if (parts === null) return false;
  if (curve.name === 'P-384') {
    const r = fixed(parts.r, 48);
    const s = fixed(parts.s, 48);
    if (r === null || s === null) return false;
    const table = p384TableFor(q);
    if (table !== undefined) return addon.p384VerifyTable(table, p384DigestInteger(digest), r, s);
    return addon.p384Verify(q, p384DigestInteger(digest), r, s);
  }
  if (parts.r.length > curve.size || parts.s.length > curve.size) return false;
  return addon.opensslVerifyDigest(curve.name === 'P-256' ? 256 : 521, q, digest, parts.r, parts.s);
}

/** The private scalar of an EC private KeyObject, left-padded to `size` bytes (empty if it does not fit). */
function privateScalar(key: KeyObject, size: number): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return fixed(new Uint8Array(Buffer.from(jwk.d ?? '', 'base64url')), size) ?? new Uint8Array(0);
}

const p384Scalars = new WeakMap<KeyObject, Uint8Array>();

/** The private scalar of a P-384 KeyObject (48 bytes), exported once per key. */
function p384Scalar(key: KeyObject): Uint8Array {
  let d = p384Scalars.get(key);
  if (d === undefined) p384Scalars.set(key, (d = privateScalar(key, 48)));
  return d;
}

/** OpenSSL's handle of a P-256 KeyObject's private key, made once per key (null: not a valid scalar). */
const p256Keys = new WeakMap<KeyObject, object | null>();

/**
 * ECDSA P-256 with SHA-256 over `data` by OpenSSL through the addon (DER signature), or undefined
 * when the addon is not loaded. The same OpenSSL as node:crypto's `sign`, without its per-call
 * key context: a transparency log signs one SET per appended entry. The nonce is OpenSSL's, hedged
 * with the private key and the digest.
 */
export function nativeSignP256(key: KeyObject, data: Uint8Array): Uint8Array | undefined {
  if (addon === null) return undefined;
  let handle = p256Keys.get(key);
  if (handle === undefined) p256Keys.set(key, (handle = addon.opensslSigningKey(privateScalar(key, 32))));
  if (handle === null) return undefined;
  return addon.opensslSignDigest(handle, hash('sha256', data, 'buffer'));
}

/**
 * ECDSA P-384 with SHA-384 over `data` by the addon (DER signature), or undefined when the addon
 * is not loaded. The nonce is hedged: SHA-512 of 32 fresh random bytes, the private scalar and the
 * digest, reduced mod n in the addon, so a weak random source alone does not expose the key; 96
 * more random bytes blind the addon's two inversions.
 */
export function nativeSignP384(key: KeyObject, data: Uint8Array): Uint8Array | undefined {
  if (addon === null) return undefined;
  const d = p384Scalar(key);
  const e = createHash('sha384').update(data).digest();
  for (;;) {
    const fresh = randomBytes(128); // 32 for the nonce, 96 for the inversions' blinding factors
    const seed = createHash('sha512').update(fresh.subarray(0, 32)).update(d).update(e).digest();
    const rs = addon.p384Sign(d, e, seed, fresh.subarray(32));
    if (rs !== null) return rawEcdsaToDer(rs)!;
    // k, r or s was zero (probability ~2^-383): draw again
  }
}
