import { createHash } from 'node:crypto';
import { TrustError } from './errors.js';

/**
 * Builders for the Sigstore client trust material, in the protobuf-specs JSON encodings that cosign,
 * sigstore-js, sigstore-python and sigstore-go read: `TrustedRoot` (trusted_root.json) here and
 * `SigningConfig` in signing-config.ts. Bytes are standard base64, times RFC 3339.
 */

/** protobuf-specs `PublicKeyDetails` names for the keys Signet's logs and CA use. */
export type KeyDetails =
  | 'PKIX_ECDSA_P256_SHA_256'
  | 'PKIX_ECDSA_P384_SHA_384'
  | 'PKIX_ECDSA_P521_SHA_512'
  | 'PKIX_ED25519'
  | 'PKIX_RSA_PKCS1V15_2048_SHA256'
  | 'PKIX_RSA_PKCS1V15_3072_SHA256'
  | 'PKIX_RSA_PKCS1V15_4096_SHA256';

/** A validity window; `end` absent means open-ended. */
export interface ValidFor {
  start: Date;
  end?: Date;
}

/** One transparency log (Rekor-compatible or CT) as clients must trust it. */
export interface LogTrust {
  /** Base URL; for Rekor v1 logs it must contain the checkpoint key name (the host). */
  baseUrl: string;
  /** DER SubjectPublicKeyInfo of the log key. */
  publicKeyDer: Uint8Array;
  keyDetails: KeyDetails;
  validFor: ValidFor;
  /** C2SP signed-note key ID, when checkpoints do not use the Rekor v1 hint (needs trusted root v0.2). */
  checkpointKeyId?: Uint8Array;
}

/** One certificate authority: its chain from the issuing intermediate up to the root. */
export interface CaTrust {
  uri: string;
  subject: { organization?: string; commonName?: string };
  /** DER certificates, issuing CA first, root last. */
  chainDer: Uint8Array[];
  validFor: ValidFor;
}

export interface TrustedRootInput {
  certificateAuthorities: CaTrust[];
  tlogs: LogTrust[];
  ctlogs: LogTrust[];
}

/** The media types of the two TrustedRoot versions clients accept. */
export const TRUSTED_ROOT_MEDIA_TYPE_V01 = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
export const TRUSTED_ROOT_MEDIA_TYPE_V02 = 'application/vnd.dev.sigstore.trustedroot.v0.2+json';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** protobuf-JSON TimeRange. */
export function timeRange(v: ValidFor): { start: string; end?: string } {
  return v.end ? { start: v.start.toISOString(), end: v.end.toISOString() } : { start: v.start.toISOString() };
}

/** RFC 6962 / Rekor log ID: SHA-256 of the DER SubjectPublicKeyInfo. */
export function logIdOf(publicKeyDer: Uint8Array): Uint8Array {
  return createHash('sha256').update(publicKeyDer).digest();
}

function logInstance(log: LogTrust): Record<string, unknown> {
  if (!log.baseUrl) throw new TrustError('BAD_INPUT', 'a log needs a non-empty baseUrl');
  if (log.publicKeyDer.length === 0) throw new TrustError('BAD_INPUT', `log ${log.baseUrl} has no public key`);
  return {
    baseUrl: log.baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(log.publicKeyDer), keyDetails: log.keyDetails, validFor: timeRange(log.validFor) },
    logId: { keyId: b64(logIdOf(log.publicKeyDer)) },
    ...(log.checkpointKeyId ? { checkpointKeyId: { keyId: b64(log.checkpointKeyId) } } : {}),
  };
}

/**
 * Builds a protobuf-JSON `TrustedRoot`. The v0.2 media type is used only when a log carries a
 * `checkpointKeyId` (a field v0.1 does not have). Throws `TrustError('BAD_INPUT')` for a CA without a
 * chain or a log without a URL or key.
 */
export function buildTrustedRoot(input: TrustedRootInput): Record<string, unknown> {
  const v02 = [...input.tlogs, ...input.ctlogs].some((l) => l.checkpointKeyId);
  return {
    mediaType: v02 ? TRUSTED_ROOT_MEDIA_TYPE_V02 : TRUSTED_ROOT_MEDIA_TYPE_V01,
    tlogs: input.tlogs.map(logInstance),
    certificateAuthorities: input.certificateAuthorities.map((ca) => {
      if (ca.chainDer.length === 0) throw new TrustError('BAD_INPUT', `CA ${ca.uri} has an empty chain`);
      return {
        subject: ca.subject,
        uri: ca.uri,
        certChain: { certificates: ca.chainDer.map((der) => ({ rawBytes: b64(der) })) },
        validFor: timeRange(ca.validFor),
      };
    }),
    ctlogs: input.ctlogs.map(logInstance),
    timestampAuthorities: [],
  };
}
