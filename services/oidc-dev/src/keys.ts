// Signing keys of the development issuer: generated at start, or persisted in dataDir so that tokens minted
// before a restart still verify after it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OidcDevError } from './errors.js';

/** Algorithms the development issuer signs with (ES256 by default; the others exist to test verifiers). */
export type DevAlgorithm = 'ES256' | 'ES384' | 'RS256' | 'PS256' | 'EdDSA';
const DEV_ALGORITHMS: readonly string[] = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

/** One signing key; the public half is published in the JWKS under `kid`. */
export interface DevSigningKey {
  kid: string;
  alg: DevAlgorithm;
  privateKey: KeyObject;
  /** Public JWK with kid, alg and use, as published. */
  publicJwk: JsonWebKey;
}

/** The file in dataDir that holds the persisted keys. */
export const KEY_FILE_NAME = 'oidc-dev-keys.json';

/** Wraps a private key: kid = RFC 7638 SHA-256 thumbprint of the public key (base64url). */
export function devKeyFromPrivate(privateKey: KeyObject, alg: DevAlgorithm): DevSigningKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  // RFC 7638 §3.2: the required members only, in lexicographic order.
  const members =
    jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'OKP' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  const kid = createHash('sha256').update(JSON.stringify(members)).digest('base64url');
  return { kid, alg, privateKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

/** Generates a fresh key: P-256 (ES256), P-384 (ES384), 2048-bit RSA (RS256, PS256) or Ed25519 (EdDSA). */
export function generateDevKey(alg: DevAlgorithm = 'ES256'): DevSigningKey {
  const { privateKey } =
    alg === 'ES256' || alg === 'ES384'
      ? generateKeyPairSync('ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-384' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return devKeyFromPrivate(privateKey, alg);
}

/**
 * Loads the keys persisted in `dataDir`, or generates one and persists it (mode 0600).
 * @throws OidcDevError BAD_KEY_FILE if the file exists but cannot be used.
 */
export async function loadOrCreateKeys(dataDir: string, alg: DevAlgorithm = 'ES256'): Promise<DevSigningKey[]> {
  const path = join(dataDir, KEY_FILE_NAME);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new OidcDevError('BAD_KEY_FILE', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (text !== undefined) {
    try {
      const doc = JSON.parse(text) as { keys: { alg: DevAlgorithm; privateJwk: JsonWebKey }[] };
      const keys = doc.keys.map((k) => devKeyFromPrivate(createPrivateKey({ key: k.privateJwk, format: 'jwk' }), k.alg));
      if (keys.length === 0 || keys.some((k) => !DEV_ALGORITHMS.includes(k.alg))) throw new Error('no usable key');
      return keys;
    } catch (err) {
      throw new OidcDevError('BAD_KEY_FILE', `${path} is not a development issuer key file: ${(err as Error).message}`, { cause: err });
    }
  }
  const key = generateDevKey(alg);
  await mkdir(dataDir, { recursive: true });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify({ keys: [{ alg, privateJwk: key.privateKey.export({ format: 'jwk' }) }] }), { mode: 0o600 });
  await rename(tmp, path);
  return [key];
}
