// A verifier given in a proposed entry, as Rekor's x509 PublicKey type reads it: one PEM "PUBLIC KEY",
// one "CERTIFICATE", or a chain of up to 10 certificates (leaf first). Exposes Rekor's canonical PEM
// (the stored and fingerprinted form), the leaf's SANs and the signature checks the kinds need.
import {
  checkKeyHash,
  parseCertificate,
  parsePublicKey,
  pemDecodeAll,
  pemEncode,
  PkiError,
  verifyChain,
  verifyDigest,
  verifyMessage,
  type HashAlgorithm,
  type ParsedCertificate,
  type PublicKey,
} from '@signet/pki';
import { LogError } from '../../errors.js';

/** Digest algorithms of hashedrekord. */
export type DigestAlgorithm = HashAlgorithm;

/** Rekor's cap on the certificates of one verifier. */
export const MAX_VERIFIER_CERTIFICATES = 10;

/** A parsed verifier. */
export interface KeyMaterial {
  /** The signing key (the leaf's key for certificates). */
  readonly key: PublicKey;
  /** Rekor's canonical PEM: the SPKI re-armoured, or every certificate re-armoured, in order. */
  readonly canonicalPem: string;
  /** The leaf certificate's SANs (emails, URIs, DNS names, IPs, Sigstore otherName); [] for a bare key. */
  readonly subjects: string[];
  /** 0 for a bare key. */
  readonly certificateCount: number;
  /**
   * Throws ENTRY_INVALID unless (key, hash) is on Rekor's allow-list. With `message: true` (DSSE,
   * where the key signs the PAE itself) Ed25519 is allowed with any hash, as pure Ed25519.
   */
  assertAllowed(hash: DigestAlgorithm, opts?: { message?: boolean }): void;
  /** Prehashed verification (hashedrekord). Throws ENTRY_INVALID for an unsupported scheme. */
  verifyDigest(hash: DigestAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean;
  /** Message verification with SHA-256 (Ed25519: pure), as Rekor verifies DSSE envelopes. */
  verifyMessage(message: Uint8Array, signature: Uint8Array): boolean;
  /** Verifies the chain to its own last certificate at the leaf's notBefore. Throws ENTRY_INVALID. */
  verifyOwnChain(): Promise<void>;
}

/** Runs `fn`, turning a PkiError into ENTRY_INVALID prefixed with `path`. */
function pki<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PkiError) throw new LogError('ENTRY_INVALID', `${path}: ${e.message}`, {}, { cause: e });
    throw e;
  }
}

/**
 * Parses the PEM bytes of a verifier. Throws `LogError('ENTRY_INVALID')` naming `path` for bad PEM,
 * an unsupported block type, a malformed or unsupported key/certificate, or more than 10 certificates.
 */
export function parseKeyMaterial(pemBytes: Uint8Array, path: string): KeyMaterial {
  const text = Buffer.from(pemBytes).toString('utf8');
  const blocks = pki(path, () => pemDecodeAll(text));
  let key: PublicKey;
  let certs: ParsedCertificate[] = [];
  if (blocks.length === 1 && blocks[0]!.label === 'PUBLIC KEY') {
    key = pki(path, () => parsePublicKey(blocks[0]!.der));
  } else {
    const other = blocks.find((b) => b.label !== 'CERTIFICATE');
    if (other) throw new LogError('ENTRY_INVALID', `${path}: cannot handle PEM type ${JSON.stringify(other.label)} (expected PUBLIC KEY or CERTIFICATE)`);
    if (blocks.length > MAX_VERIFIER_CERTIFICATES) {
      throw new LogError('ENTRY_INVALID', `${path}: a certificate chain may hold at most ${MAX_VERIFIER_CERTIFICATES} certificates`);
    }
    certs = blocks.map((b, i) => pki(`${path} certificate ${i}`, () => parseCertificate(b.der)));
    key = pki(`${path} certificate 0`, () => parsePublicKey(certs[0]!.spki));
  }
  const canonicalPem =
    certs.length === 0 ? pemEncode('PUBLIC KEY', key.spki) : certs.map((c) => pemEncode('CERTIFICATE', c.der)).join('');
  const subjects = certs.length === 0 ? [] : certs[0]!.subjectAltNames.map((s) => s.value);
  return {
    key,
    canonicalPem,
    subjects,
    certificateCount: certs.length,
    assertAllowed(hash, opts = {}) {
      if (opts.message && key.type === 'ed25519') return; // pure Ed25519 over the message
      pki(path, () => checkKeyHash(key, hash));
    },
    verifyDigest(hash, digest, signature) {
      return pki(path, () => verifyDigest(key, hash, digest, signature));
    },
    verifyMessage(message, signature) {
      return pki(path, () => verifyMessage(key, 'sha256', message, signature));
    },
    async verifyOwnChain() {
      const leaf = certs[0]!;
      pki(`${path} certificate chain`, () => verifyChain(leaf, certs.slice(1, -1), certs.slice(-1), leaf.notBefore));
    },
  };
}
