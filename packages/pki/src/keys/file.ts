// FileSigner: a PKCS#8 private key in a PEM file, optionally password-encrypted (Fulcio's fileca).
import { type KeyObject, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PkiError } from '../errors.js';
import { pemDecodeAll, pemEncode } from '../pem.js';
import { generatePrivateKey } from './ephemeral.js';
import { algorithmOfKey, signWithKey, spkiOf } from './node-key.js';
import type { SignatureAlgorithm, Signer } from './signer.js';

const PKCS8_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

/**
 * Parses a PKCS#8 PEM private key (`PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with `password`).
 * Throws `PkiError('BAD_PEM')` when the text holds no PKCS#8 block (SEC1/PKCS#1 keys must be
 * converted with `openssl pkcs8 -topk8`), `BAD_KEY_PASSWORD` when the key is encrypted and the
 * password is missing or wrong, `BAD_KEY_CONFIG` when the key is undecodable.
 */
export function parsePrivateKeyPem(pem: string, password?: string): KeyObject {
  const block = pemDecodeAll(pem).find((b) => PKCS8_LABELS.has(b.label));
  if (block === undefined) {
    throw new PkiError('BAD_PEM', 'no PKCS#8 "PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" block (convert with openssl pkcs8 -topk8)');
  }
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY';
  if (encrypted && (password === undefined || password === '')) {
    throw new PkiError('BAD_KEY_PASSWORD', 'the private key is encrypted and no password was given');
  }
  try {
    return createPrivateKey({
      key: Buffer.from(block.der),
      format: 'der',
      type: 'pkcs8',
      ...(encrypted ? { passphrase: password } : {}),
    });
  } catch (err) {
    if (encrypted) throw new PkiError('BAD_KEY_PASSWORD', 'cannot decrypt the private key: wrong password?', { cause: err });
    throw new PkiError('BAD_KEY_CONFIG', 'the PKCS#8 private key cannot be decoded', { cause: err });
  }
}

/**
 * Generates a new private key and returns it as PKCS#8 PEM; with `password`, encrypted
 * (`ENCRYPTED PRIVATE KEY`, PBES2: PBKDF2 + AES-256-CBC). RSA keys are 3072 bits.
 */
export function generatePrivateKeyPem(algorithm: SignatureAlgorithm, password?: string): string {
  const key = generatePrivateKey(algorithm);
  if (password === undefined) return key.export({ format: 'pem', type: 'pkcs8' }) as string;
  return key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: password }) as string;
}

/** The `PUBLIC KEY` PEM (SPKI) of a PKCS#8 private key PEM. Throws as `parsePrivateKeyPem`. */
export function publicKeyPemOf(privateKeyPem: string, password?: string): string {
  return pemEncode('PUBLIC KEY', spkiOf(parsePrivateKeyPem(privateKeyPem, password)));
}

/** A Signer over a PKCS#8 key read from a PEM file; the key is validated when opened. */
export class FileSigner implements Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly publicKeyDer: Uint8Array;
  readonly path: string;
  #key: KeyObject | undefined;

  private constructor(path: string, key: KeyObject, algorithm: SignatureAlgorithm) {
    this.path = path;
    this.#key = key;
    this.algorithm = algorithm;
    this.publicKeyDer = spkiOf(key);
  }

  /**
   * Reads and decodes the key at `path`. When `algorithm` is given it must be the key's own.
   * Throws `PkiError`: BAD_KEY_CONFIG (unreadable file, algorithm mismatch, undecodable key),
   * BAD_PEM, BAD_KEY_PASSWORD, UNSUPPORTED_KEY or WEAK_KEY.
   */
  static async open(path: string, options: { password?: string; algorithm?: SignatureAlgorithm } = {}): Promise<FileSigner> {
    let pem: string;
    try {
      pem = await readFile(path, 'utf8');
    } catch (err) {
      throw new PkiError('BAD_KEY_CONFIG', `cannot read key file ${path}`, { cause: err });
    }
    const key = parsePrivateKeyPem(pem, options.password);
    const actual = algorithmOfKey(key);
    if (options.algorithm !== undefined && options.algorithm !== actual) {
      throw new PkiError('BAD_KEY_CONFIG', `key file ${path} holds a ${actual} key, configured algorithm is ${options.algorithm}`);
    }
    return new FileSigner(path, key, actual);
  }

  /** Signs with the file key; throws `PkiError('KEY_BACKEND_ERROR')` after close(). */
  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (this.#key === undefined) throw new PkiError('KEY_BACKEND_ERROR', 'signer is closed');
    return signWithKey(this.algorithm, this.#key, data);
  }

  /** Drops the key reference; idempotent. */
  async close(): Promise<void> {
    this.#key = undefined;
  }
}
