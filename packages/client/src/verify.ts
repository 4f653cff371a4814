import { createPublicKey } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { PolicyError, toSignedEntity, toTrustMaterial, VerificationError, Verifier } from '@sigstore/verify';
import { ClientError } from './errors.js';

/**
 * Bundle verification on @sigstore/verify, with Signet's own identity matching on top:
 * sigstore-js matches the SAN as an unanchored RegExp (`alice@example.com` also matches
 * `xalice@exampleZcom.evil`); here a value is matched exactly unless a regexp is asked for, and a
 * regexp is anchored at both ends, as cosign does.
 */

/** An exact value or an (anchored) regular expression. */
export type Matcher = { exact: string } | { regexp: string };

/** Who must have signed a keyless bundle: the certificate's SAN and its OIDC issuer extension. */
export interface IdentityPolicy {
  subjectAlternativeName: Matcher;
  issuer: Matcher;
}

/** What `verifyBundle` checks: the bundle, the artifact, the trust material and the policy. */
export interface VerifyInput {
  /** The bundle, as parsed JSON. */
  bundle: unknown;
  /** The signed blob (message-signature bundles). DSSE bundles carry their payload. */
  artifact?: Buffer;
  /** protobuf-JSON TrustedRoot. */
  trustedRoot: unknown;
  /** For keyless bundles: who must have signed. */
  identity?: IdentityPolicy;
  /** For key-based bundles: the expected public key (PEM). */
  publicKeyPem?: string;
  /** Defaults: 1 SCT, 1 log entry, 1 timestamp — @sigstore/verify's defaults. */
  thresholds?: { ctlog?: number; tlog?: number; timestamp?: number };
}

/** What a verified bundle tells about its signer, log entries and DSSE payload. */
export interface VerifyResult {
  /** The signer's SAN and issuer (keyless), absent for key-based bundles. */
  identity?: { subjectAlternativeName: string; issuer: string };
  tlogEntries: { logIndex: string; integratedTime: string; logId: string }[];
  /** The DSSE payload type and payload, for attestations. */
  dsse?: { payloadType: string; payload: Buffer };
}

/** Compiles a matcher; regexps are anchored (`^(?:…)$`). Throws USAGE for an invalid regexp. */
export function matches(m: Matcher, value: string): boolean {
  if ('exact' in m) return value === m.exact;
  try {
    return new RegExp(`^(?:${m.regexp})$`).test(value);
  } catch (cause) {
    throw new ClientError('USAGE', `invalid regular expression ${JSON.stringify(m.regexp)}`, { cause });
  }
}

/** Parses protobuf-JSON into a Sigstore bundle. Throws `ClientError('BAD_BUNDLE')` naming the problem. */
export function parseBundle(json: unknown): Bundle {
  try {
    return bundleFromJSON(json);
  } catch (cause) {
    throw new ClientError('BAD_BUNDLE', `not a valid Sigstore bundle: ${(cause as Error).message}`, { cause });
  }
}

function trustedRootOf(json: unknown): TrustedRoot {
  try {
    return TrustedRoot.fromJSON(json);
  } catch (cause) {
    throw new ClientError('NO_TRUST', 'the trusted root does not parse as a protobuf-JSON TrustedRoot', { cause });
  }
}

/** Finds the missing trust material behind a certificate failure, for a message that names it. */
function diagnoseCertificate(bundle: Bundle, root: TrustedRoot): string | undefined {
  const vm = bundle.verificationMaterial.content;
  const raw = vm.$case === 'certificate' ? vm.certificate.rawBytes : vm.$case === 'x509CertificateChain' ? vm.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (!raw) return undefined;
  const cert = X509Certificate.parse(Buffer.from(raw));
  const scts = cert.extSCT?.signedCertificateTimestamps ?? [];
  if (scts.length === 0) return 'the certificate carries no embedded SCT (use a CA with a CT log, or a lower --ctlog-threshold)';
  const known = new Set(root.ctlogs.map((l) => Buffer.from(l.logId?.keyId ?? []).toString('hex')));
  for (const sct of scts) {
    const id = sct.logID.toString('hex');
    if (!known.has(id)) return `no CT log in the trusted root matches the certificate's SCT log ID ${id}`;
  }
  if (root.certificateAuthorities.length === 0) return 'the trusted root lists no certificate authority';
  return undefined;
}

function describeFailure(e: VerificationError | PolicyError, bundle: Bundle, root: TrustedRoot): string {
  const hint = e.code === 'CERTIFICATE_ERROR' ? diagnoseCertificate(bundle, root) : undefined;
  const checks: Record<string, string> = {
    SIGNATURE_ERROR: 'signature check failed (the artifact or payload does not match the signature)',
    CERTIFICATE_ERROR: 'certificate check failed',
    TLOG_INCLUSION_PROOF_ERROR: 'transparency-log inclusion proof or checkpoint check failed',
    TLOG_INCLUSION_PROMISE_ERROR: 'signed entry timestamp (SET) check failed',
    TLOG_BODY_ERROR: 'the transparency-log entry does not match the bundle',
    TLOG_MISSING_INCLUSION_ERROR: 'the transparency-log entry has neither a proof nor a promise',
    TIMESTAMP_ERROR: 'timestamp check failed',
    PUBLIC_KEY_ERROR: 'public key check failed',
  };
  return `${checks[e.code] ?? e.code}: ${hint ?? e.message}`;
}

/**
 * Verifies a bundle against a trusted root, then the identity (or key) policy. Throws
 * `ClientError('VERIFICATION_FAILED')` naming the failed check and missing trust material,
 * `IDENTITY_MISMATCH` when the bundle verifies but was signed by someone else, `BAD_BUNDLE`,
 * `NO_TRUST` or `USAGE`.
 */
export function verifyBundle(input: VerifyInput): VerifyResult {
  const bundle = parseBundle(input.bundle);
  const root = trustedRootOf(input.trustedRoot);
  const keyBased = bundle.verificationMaterial.content.$case === 'publicKey';
  if (keyBased && !input.publicKeyPem) throw new ClientError('USAGE', 'this bundle was signed with a key: pass --key with the public key');
  if (!keyBased && !input.identity) throw new ClientError('USAGE', 'keyless bundles need --certificate-identity and --certificate-oidc-issuer (or their -regexp forms)');
  const material = toTrustMaterial(root, keyBased ? keyFinder(input.publicKeyPem as string) : undefined);
  const verifier = new Verifier(material, {
    ctlogThreshold: keyBased ? 0 : (input.thresholds?.ctlog ?? 1),
    tlogThreshold: input.thresholds?.tlog ?? 1,
    timestampThreshold: input.thresholds?.timestamp ?? 1,
  });
  let signer;
  try {
    signer = verifier.verify(toSignedEntity(bundle, input.artifact));
  } catch (e) {
    if (e instanceof VerificationError || e instanceof PolicyError) {
      throw new ClientError('VERIFICATION_FAILED', describeFailure(e, bundle, root), { cause: e });
    }
    throw new ClientError('VERIFICATION_FAILED', `verification failed: ${(e as Error).message}`, { cause: e });
  }
  const result: VerifyResult = {
    tlogEntries: bundle.verificationMaterial.tlogEntries.map((t) => ({
      logIndex: t.logIndex,
      integratedTime: t.integratedTime,
      logId: Buffer.from(t.logId?.keyId ?? []).toString('hex'),
    })),
  };
  if (bundle.content.$case === 'dsseEnvelope') {
    result.dsse = { payloadType: bundle.content.dsseEnvelope.payloadType, payload: Buffer.from(bundle.content.dsseEnvelope.payload) };
  }
  if (keyBased) return result;
  const san = signer.identity?.subjectAlternativeName ?? '';
  const issuer = signer.identity?.extensions?.issuer ?? '';
  const policy = input.identity as IdentityPolicy;
  if (!matches(policy.subjectAlternativeName, san)) {
    throw new ClientError('IDENTITY_MISMATCH', `the certificate identity is ${JSON.stringify(san)}, not ${describe(policy.subjectAlternativeName)}`);
  }
  if (!matches(policy.issuer, issuer)) {
    throw new ClientError('IDENTITY_MISMATCH', `the certificate OIDC issuer is ${JSON.stringify(issuer)}, not ${describe(policy.issuer)}`);
  }
  return { ...result, identity: { subjectAlternativeName: san, issuer } };
}

function describe(m: Matcher): string {
  return 'exact' in m ? JSON.stringify(m.exact) : `a match of /^(?:${m.regexp})$/`;
}

function keyFinder(pem: string) {
  let publicKey;
  try {
    publicKey = createPublicKey(pem);
  } catch (cause) {
    throw new ClientError('BAD_KEY', 'the --key file is not a PEM public key', { cause });
  }
  return () => ({ publicKey, validFor: () => true });
}
