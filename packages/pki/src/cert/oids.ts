// Object identifiers of the certificate profile: Sigstore's arc 1.3.6.1.4.1.57264.1 (Fulcio
// docs/oid-info.md, names as Fulcio spells them), Certificate Transparency (RFC 6962 §3.1, §3.3),
// and the RFC 5280 / RFC 5758 / RFC 8410 identifiers the builder and parser use.

/** The Sigstore Fulcio OID arc. */
export const SIGSTORE_ARC = '1.3.6.1.4.1.57264.1';

/**
 * Every Sigstore certificate OID (1.3.6.1.4.1.57264.1.N) by Fulcio's name. 1.1-1.6 are legacy
 * extensions whose extnValue is the raw UTF-8 text; 1.7 is the OtherName type of the username SAN;
 * 1.8 and up carry a DER UTF8String.
 */
export const SIGSTORE_OIDS = {
  Issuer: '1.3.6.1.4.1.57264.1.1',
  GithubWorkflowTrigger: '1.3.6.1.4.1.57264.1.2',
  GithubWorkflowSHA: '1.3.6.1.4.1.57264.1.3',
  GithubWorkflowName: '1.3.6.1.4.1.57264.1.4',
  GithubWorkflowRepository: '1.3.6.1.4.1.57264.1.5',
  GithubWorkflowRef: '1.3.6.1.4.1.57264.1.6',
  OtherName: '1.3.6.1.4.1.57264.1.7',
  IssuerV2: '1.3.6.1.4.1.57264.1.8',
  BuildSignerURI: '1.3.6.1.4.1.57264.1.9',
  BuildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  RunnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  SourceRepositoryURI: '1.3.6.1.4.1.57264.1.12',
  SourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  SourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  SourceRepositoryIdentifier: '1.3.6.1.4.1.57264.1.15',
  SourceRepositoryOwnerURI: '1.3.6.1.4.1.57264.1.16',
  SourceRepositoryOwnerIdentifier: '1.3.6.1.4.1.57264.1.17',
  BuildConfigURI: '1.3.6.1.4.1.57264.1.18',
  BuildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  BuildTrigger: '1.3.6.1.4.1.57264.1.20',
  RunInvocationURI: '1.3.6.1.4.1.57264.1.21',
  SourceRepositoryVisibilityAtSigning: '1.3.6.1.4.1.57264.1.22',
  DeploymentEnvironment: '1.3.6.1.4.1.57264.1.23',
  TokenSubject: '1.3.6.1.4.1.57264.1.24',
} as const;

/** A Fulcio name of a Sigstore OID. */
export type SigstoreOidName = keyof typeof SIGSTORE_OIDS;

/** Fulcio name by OID (reverse of SIGSTORE_OIDS). */
export const SIGSTORE_OID_NAMES: ReadonlyMap<string, SigstoreOidName> = new Map(
  Object.entries(SIGSTORE_OIDS).map(([name, oid]) => [oid, name as SigstoreOidName]),
);

/** Certificate Transparency (RFC 6962). */
export const CT_OIDS = {
  /** §3.1 precertificate poison, critical, value ASN.1 NULL. */
  poison: '1.3.6.1.4.1.11129.2.4.3',
  /** §3.3 embedded SignedCertificateTimestampList. */
  sctList: '1.3.6.1.4.1.11129.2.4.2',
} as const;

/** RFC 5280 certificate extensions. */
export const EXT_OIDS = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

/** Extended key usages. */
export const EKU_OIDS = {
  codeSigning: '1.3.6.1.5.5.7.3.3',
} as const;

/** Name attribute types (X.520). */
export const NAME_OIDS = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
} as const;

/** Signature algorithms (RFC 5758 §3.2, RFC 8410 §3, RFC 4055). */
export const SIG_OIDS = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
} as const;
