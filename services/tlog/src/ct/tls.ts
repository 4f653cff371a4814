// The TLS encodings RFC 6962 signs and serves: `DigitallySigned` (RFC 5246 §4.7), the algorithm codes
// a CT key maps to, and the `TreeHeadSignature` struct an STH signs (RFC 6962 §3.5).
import type { Signer } from '@signet/pki';
import { LogError } from '../errors.js';

/** TLS HashAlgorithm sha256 (RFC 5246 §7.4.1.4.1). */
export const TLS_HASH_SHA256 = 4;
/** TLS SignatureAlgorithm rsa. */
export const TLS_SIG_RSA = 1;
/** TLS SignatureAlgorithm ecdsa. */
export const TLS_SIG_ECDSA = 3;

/** The TLS (hash, signature) algorithm pair of a CT log key. */
export interface TlsAlgorithms {
  hash: number;
  signature: number;
}

/**
 * The TLS algorithm codes for `signer`. RFC 6962 §2.1.4 allows only ECDSA P-256 and RSA, both with
 * SHA-256; anything else is `LogError('BAD_CONFIG')`.
 */
export function tlsAlgorithmsOf(signer: Pick<Signer, 'algorithm'>): TlsAlgorithms {
  switch (signer.algorithm) {
    case 'ecdsa-p256-sha256':
      return { hash: TLS_HASH_SHA256, signature: TLS_SIG_ECDSA };
    case 'rsa-pkcs1-sha256':
      return { hash: TLS_HASH_SHA256, signature: TLS_SIG_RSA };
    default:
      throw new LogError('BAD_CONFIG', `a CT log key must be ECDSA P-256 or RSA with SHA-256 (RFC 6962 §2.1.4), not ${signer.algorithm}`);
  }
}

/** `DigitallySigned`: hash algorithm, signature algorithm, u16 length, signature. */
export function encodeDigitallySigned(alg: TlsAlgorithms, signature: Uint8Array): Uint8Array {
  if (signature.length > 0xffff) throw new LogError('BAD_CONFIG', 'signature is too long for a DigitallySigned struct');
  const out = new Uint8Array(4 + signature.length);
  out[0] = alg.hash;
  out[1] = alg.signature;
  out[2] = signature.length >>> 8;
  out[3] = signature.length & 0xff;
  out.set(signature, 4);
  return out;
}

/** Splits a `DigitallySigned`; `undefined` when the bytes are not exactly one such struct. */
export function decodeDigitallySigned(b: Uint8Array): { alg: TlsAlgorithms; signature: Uint8Array } | undefined {
  if (b.length < 4 || ((b[2]! << 8) | b[3]!) !== b.length - 4) return undefined;
  return { alg: { hash: b[0]!, signature: b[1]! }, signature: b.subarray(4) };
}

/**
 * The bytes an STH signs (RFC 6962 §3.5): version v1 (0), signature_type tree_hash (1), u64
 * timestamp (ms), u64 tree_size, the 32-byte root hash.
 */
export function treeHeadSignatureData(timestamp: bigint, treeSize: bigint, rootHash: Uint8Array): Uint8Array {
  if (rootHash.length !== 32) throw new LogError('BAD_REQUEST', 'a tree root hash is 32 bytes');
  const out = new Uint8Array(2 + 8 + 8 + 32);
  const v = new DataView(out.buffer);
  out[1] = 1;
  v.setBigUint64(2, timestamp);
  v.setBigUint64(10, treeSize);
  out.set(rootHash, 18);
  return out;
}
