// Fixed RSA test keys from packages/pki/testdata/keys (RSA generation costs seconds per key).
import { type KeyObject, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

const cache = new Map<number, KeyObject>();

/** The fixed RSA private key of `bits` (2048, 3072 or 4096) from testdata. */
export function rsaTestKey(bits: 2048 | 3072 | 4096): KeyObject {
  let key = cache.get(bits);
  if (key === undefined) {
    const pem = readFileSync(new URL(`../../testdata/keys/rsa-${bits}.pem`, import.meta.url), 'utf8');
    key = createPrivateKey(pem);
    cache.set(bits, key);
  }
  return key;
}
