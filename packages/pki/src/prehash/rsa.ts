// Prehashed RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2): OpenSSL recovers the encoded message
// with the public key and checks the type-1 padding (publicDecrypt), and we compare the rest with
// the DigestInfo of the given digest, in constant time.
import { type KeyObject, constants, publicDecrypt, timingSafeEqual } from 'node:crypto';

/** DER DigestInfo prefixes (RFC 8017 §9.2, note 1), by hash. */
export const DIGEST_INFO_PREFIX: Record<'sha256' | 'sha384' | 'sha512', Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

/**
 * Verifies an RSA PKCS#1 v1.5 `signature` over the message whose `hash` digest is `digest`.
 * `modulusBytes` is the key's size in bytes: the signature must be exactly that long (RFC 8017
 * §8.2.2 step 1), which OpenSSL's decrypt alone would not enforce. False on any failure.
 */
export function verifyRsaPkcs1Digest(
  key: KeyObject,
  modulusBytes: number,
  hash: 'sha256' | 'sha384' | 'sha512',
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== modulusBytes) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false; // s ≥ n or padding not 00 01 FF…FF 00
  }
  const prefix = DIGEST_INFO_PREFIX[hash];
  const expected = Buffer.concat([prefix, digest]);
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}
