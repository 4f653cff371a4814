// Builds Sigstore bundles (v0.3 JSON) from Rekor v1 responses, as sigstore-js does
// (sigstore-js-client.md §1.6), and a TrustedRoot holding our log key.
import { createHash } from 'node:crypto';
import type { RekorLogEntry } from '../../src/rekor/log-entry.js';

const b64 = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64');
const hexToB64 = (h: string) => Buffer.from(h, 'hex').toString('base64');

/** The bundle's tlogEntries[0] for a Rekor v1 LogEntry. */
export function tlogEntryOf(entry: RekorLogEntry): Record<string, unknown> {
  const anon = Object.values(entry)[0]!;
  const body = JSON.parse(Buffer.from(anon.body, 'base64').toString());
  const p = anon.verification.inclusionProof;
  return {
    logIndex: String(anon.logIndex),
    logId: { keyId: hexToB64(anon.logID) },
    kindVersion: { kind: body.kind, version: body.apiVersion },
    integratedTime: String(anon.integratedTime),
    inclusionPromise: { signedEntryTimestamp: anon.verification.signedEntryTimestamp },
    inclusionProof: {
      logIndex: String(p.logIndex),
      rootHash: hexToB64(p.rootHash),
      treeSize: String(p.treeSize),
      hashes: p.hashes.map(hexToB64),
      checkpoint: { envelope: p.checkpoint },
    },
    canonicalizedBody: anon.body,
  };
}

/** A v0.3 message-signature bundle; `certificateDer` absent → public key by `hint`. */
export function messageSignatureBundle(opts: {
  entry: RekorLogEntry;
  artifact: Uint8Array;
  signature: Uint8Array;
  certificateDer?: Uint8Array;
  hint?: string;
}): Record<string, unknown> {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      ...(opts.certificateDer ? { certificate: { rawBytes: b64(opts.certificateDer) } } : { publicKey: { hint: opts.hint ?? 'test-key' } }),
      tlogEntries: [tlogEntryOf(opts.entry)],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: b64(createHash('sha256').update(opts.artifact).digest()) },
      signature: b64(opts.signature),
    },
  };
}

/** A v0.3 DSSE bundle. */
export function dsseBundle(opts: { entry: RekorLogEntry; envelope: string; hint?: string }): Record<string, unknown> {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      publicKey: { hint: opts.hint ?? 'test-key' },
      tlogEntries: [tlogEntryOf(opts.entry)],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: JSON.parse(opts.envelope),
  };
}

/** TrustedRoot JSON with our log (and optionally a CA chain). */
export function trustedRootJson(opts: { baseUrl: string; logSpki: Uint8Array; caCertsDer?: Uint8Array[] }): Record<string, unknown> {
  const start = '2020-01-01T00:00:00Z';
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: opts.baseUrl,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(opts.logSpki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: b64(createHash('sha256').update(opts.logSpki).digest()) },
      },
    ],
    certificateAuthorities: opts.caCertsDer
      ? [
          {
            subject: { organization: 'signet-test', commonName: 'test root' },
            uri: 'https://ca.invalid',
            certChain: { certificates: opts.caCertsDer.map((d) => ({ rawBytes: b64(d) })) },
            validFor: { start },
          },
        ]
      : [],
    ctlogs: [],
    timestampAuthorities: [],
  };
}
