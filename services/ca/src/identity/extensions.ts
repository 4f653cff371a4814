// Sigstore certificate extensions by name (Fulcio pkg/certificate/extensions.go, docs/oid-info.md).
import type { SigstoreExtension } from './issuer.js';

const ARC = '1.3.6.1.4.1.57264.1';

/**
 * Extension names a CI provider template may set: the kebab-case YAML key, the Go field name used by
 * Fulcio's JSON config, and the last arc of the OID. Issuer (1.1/1.8) and token subject (1.24) are not
 * here: they always come from the token.
 */
export const CI_EXTENSIONS = [
  { name: 'github-workflow-trigger', jsonName: 'GithubWorkflowTrigger', arc: 2 },
  { name: 'github-workflow-sha', jsonName: 'GithubWorkflowSHA', arc: 3 },
  { name: 'github-workflow-name', jsonName: 'GithubWorkflowName', arc: 4 },
  { name: 'github-workflow-repository', jsonName: 'GithubWorkflowRepository', arc: 5 },
  { name: 'github-workflow-ref', jsonName: 'GithubWorkflowRef', arc: 6 },
  { name: 'build-signer-uri', jsonName: 'BuildSignerURI', arc: 9 },
  { name: 'build-signer-digest', jsonName: 'BuildSignerDigest', arc: 10 },
  { name: 'runner-environment', jsonName: 'RunnerEnvironment', arc: 11 },
  { name: 'source-repository-uri', jsonName: 'SourceRepositoryURI', arc: 12 },
  { name: 'source-repository-digest', jsonName: 'SourceRepositoryDigest', arc: 13 },
  { name: 'source-repository-ref', jsonName: 'SourceRepositoryRef', arc: 14 },
  { name: 'source-repository-identifier', jsonName: 'SourceRepositoryIdentifier', arc: 15 },
  { name: 'source-repository-owner-uri', jsonName: 'SourceRepositoryOwnerURI', arc: 16 },
  { name: 'source-repository-owner-identifier', jsonName: 'SourceRepositoryOwnerIdentifier', arc: 17 },
  { name: 'build-config-uri', jsonName: 'BuildConfigURI', arc: 18 },
  { name: 'build-config-digest', jsonName: 'BuildConfigDigest', arc: 19 },
  { name: 'build-trigger', jsonName: 'BuildTrigger', arc: 20 },
  { name: 'run-invocation-uri', jsonName: 'RunInvocationURI', arc: 21 },
  { name: 'source-repository-visibility-at-signing', jsonName: 'SourceRepositoryVisibilityAtSigning', arc: 22 },
  { name: 'deployment-environment', jsonName: 'DeploymentEnvironment', arc: 23 },
] as const;

/** Kebab-case name of a CI extension, e.g. `build-signer-uri`. */
export type CiExtensionName = (typeof CI_EXTENSIONS)[number]['name'];

/** Last arcs of the extensions every certificate carries. */
export const ARC_ISSUER_LEGACY = 1;
export const ARC_ISSUER_V2 = 8;
export const ARC_TOKEN_SUBJECT = 24;

/** The OID of arc `n` under 1.3.6.1.4.1.57264.1. */
export function sigstoreOid(arc: number): string {
  return `${ARC}.${arc}`;
}

const ARC_OF = new Map<string, number>(CI_EXTENSIONS.map((e) => [e.name, e.arc]));

/**
 * Renders the Sigstore extensions of a certificate, as Fulcio's `Extensions.Render`: issuer twice
 * (1.1 legacy and 1.8), the given CI values, the token subject (1.24), sorted by OID, empty values
 * omitted.
 * @throws Error if `issuer` is empty (a programming error: every Issuer knows its `iss`).
 */
export function renderExtensions(issuer: string, subject: string, ci: ReadonlyMap<CiExtensionName, string> = new Map()): SigstoreExtension[] {
  if (issuer === '') throw new Error('renderExtensions: the issuer extension is mandatory');
  const byArc: [number, string][] = [
    [ARC_ISSUER_LEGACY, issuer],
    [ARC_ISSUER_V2, issuer],
    [ARC_TOKEN_SUBJECT, subject],
  ];
  for (const [name, value] of ci) byArc.push([ARC_OF.get(name) as number, value]);
  return byArc
    .filter(([, v]) => v !== '')
    .sort((a, b) => a[0] - b[0])
    .map(([arc, value]) => ({ oid: sigstoreOid(arc), value }));
}
