// The issuer pool: picks the configured issuer by the token's (unverified) `iss` — exact OIDCIssuers first,
// then the anchored MetaIssuers patterns — verifies the token with that issuer's cached verifier and maps
// its claims to a Principal with the issuer type's rules (Fulcio pkg/identity/issuerpool.go).
import { CaError } from '../errors.js';
import { createCiProviderIssuer } from './ci-provider.js';
import type { CiProviderConfig, IssuerConfig, IssuerSettings, MetaIssuerConfig } from './config.js';
import { createEmailIssuer } from './email.js';
import type { Issuer, Principal } from './issuer.js';
import { createKubernetesIssuer } from './kubernetes.js';
import { createSpiffeIssuer } from './spiffe.js';
import { createUriIssuer } from './uri.js';
import { createUsernameIssuer } from './username.js';
import { createTokenVerifier, parseToken, type TokenVerifier } from './verify-token.js';

/** One entry of GET /api/v2/configuration (Fulcio's OIDCIssuer message, JSON names). */
export interface ConfigurationIssuer {
  /** Exactly one of issuerUrl / wildcardIssuerUrl is set. */
  issuerUrl?: string;
  wildcardIssuerUrl?: string;
  audience: string;
  challengeClaim: string;
  spiffeTrustDomain: string;
  issuerType: string;
  subjectDomain: string;
  skipEmailVerification: boolean;
}

/** Authenticates identity tokens against the configured issuers. */
export interface IssuerPool {
  /**
   * Verifies `rawToken` and returns the Principal to certify.
   * @throws CaError INVALID_TOKEN, UNKNOWN_ISSUER, MISSING_CLAIM, EMAIL_NOT_VERIFIED (caller's fault, message
   *   names the check) or ISSUER_UNREACHABLE (the IdP's discovery/JWKS could not be had: a 5xx).
   */
  authenticate(rawToken: string): Promise<Principal>;
  /** The issuers for GET /api/v2/configuration, exact issuers first, then meta issuers. */
  describe(): ConfigurationIssuer[];
}

/** Dependencies of the pool. */
export interface IssuerPoolDeps {
  now: () => Date;
  fetch?: typeof fetch;
  log?: (msg: object) => void;
  /** Development only: accept `http://` issuers on loopback hosts (the dev OIDC issuer). */
  allowHttpIssuers?: boolean;
}

/** How many concrete meta-issuer URLs keep a verifier (and its JWKS) in memory; Fulcio keeps 100. */
export const META_ISSUER_CACHE_SIZE = 100;

interface Entry {
  issuer: Issuer;
  verifier: TokenVerifier;
}

/**
 * Builds the pool. Does no network I/O: discovery happens on first use of each issuer, so an unreachable
 * IdP never stops the CA from starting.
 * @throws CaError BAD_CONFIG listing every issuer URL that is not https (or loopback http when allowed).
 */
export function createIssuerPool(config: IssuerConfig, deps: IssuerPoolDeps): IssuerPool {
  const bad = [
    ...config.oidcIssuers.map((i) => i.issuerUrl).filter((u) => !schemeAllowed(u, deps)),
    ...config.metaIssuers.map((m) => m.wildcardUrl).filter((u) => !schemeAllowed(u.replaceAll('*', '0'), deps)),
  ];
  if (bad.length > 0) {
    throw new CaError('BAD_CONFIG', `issuer URLs must be https${deps.allowHttpIssuers === true ? ' (or http on a loopback host)' : ''}: ${bad.join(', ')}`);
  }
  const make = (issuerUrl: string, s: IssuerSettings): Entry => ({
    issuer: createIssuer(issuerUrl, s, config.ciProviders),
    verifier: createTokenVerifier({
      issuerUrl,
      clientId: s.clientId,
      now: deps.now,
      ...(deps.fetch !== undefined && { fetch: deps.fetch }),
      ...(deps.log !== undefined && { log: deps.log }),
      ...(deps.allowHttpIssuers !== undefined && { allowHttp: deps.allowHttpIssuers }),
      ...(s.caCert !== undefined && { caCert: s.caCert }),
    }),
  });
  const exact = new Map(config.oidcIssuers.map((i) => [i.issuerUrl, make(i.issuerUrl, i)]));
  const meta = new Map<string, Entry>(); // insertion order = LRU order

  function lookup(iss: string): Entry {
    const e = exact.get(iss);
    if (e !== undefined) return e;
    const cached = meta.get(iss);
    if (cached !== undefined) {
      meta.delete(iss);
      meta.set(iss, cached);
      return cached;
    }
    const m: MetaIssuerConfig | undefined = config.metaIssuers.find((x) => x.pattern.test(iss));
    if (m === undefined) throw new CaError('UNKNOWN_ISSUER', `no configured issuer matches iss ${iss}`);
    const entry = make(iss, m);
    meta.set(iss, entry);
    if (meta.size > META_ISSUER_CACHE_SIZE) meta.delete(meta.keys().next().value as string);
    return entry;
  }

  return {
    async authenticate(rawToken: string): Promise<Principal> {
      const token = parseToken(rawToken);
      const iss = token.payload['iss'];
      if (typeof iss !== 'string' || iss === '') throw new CaError('INVALID_TOKEN', 'token has no iss claim');
      const { issuer, verifier } = lookup(iss);
      return issuer.authenticate(await verifier.verify(token));
    },
    describe(): ConfigurationIssuer[] {
      const common = (s: IssuerSettings) => ({
        audience: s.clientId,
        challengeClaim: s.challengeClaim,
        spiffeTrustDomain: s.spiffeTrustDomain ?? '',
        issuerType: s.type,
        subjectDomain: s.subjectDomain ?? '',
        skipEmailVerification: s.skipEmailVerification,
      });
      return [
        ...config.oidcIssuers.map((i) => ({ issuerUrl: i.issuerUrl, ...common(i) })),
        ...config.metaIssuers.map((m) => ({ wildcardIssuerUrl: m.wildcardUrl, ...common(m) })),
      ];
    },
  };
}

/** The Issuer for a type: one factory per issuer type file; CI types share the template-driven one. */
function createIssuer(issuerUrl: string, s: IssuerSettings, providers: ReadonlyMap<string, CiProviderConfig>): Issuer {
  switch (s.type) {
    case 'email':
      return createEmailIssuer(issuerUrl, s);
    case 'uri':
      return createUriIssuer(issuerUrl, s);
    case 'username':
      return createUsernameIssuer(issuerUrl, s);
    case 'spiffe':
      return createSpiffeIssuer(issuerUrl, s);
    case 'kubernetes':
      return createKubernetesIssuer(issuerUrl);
    case 'ci-provider':
    case 'github-workflow':
    case 'gitlab-pipeline':
    case 'buildkite-job':
    case 'codefresh-workflow':
      // parseIssuerConfig guarantees the provider exists.
      return createCiProviderIssuer(issuerUrl, providers.get(s.ciProvider as string) as CiProviderConfig);
  }
}

function schemeAllowed(url: string, deps: IssuerPoolDeps): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && deps.allowHttpIssuers === true && ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname));
}
