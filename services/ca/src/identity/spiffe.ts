// SPIFFE issuers (Fulcio pkg/identity/spiffe): `sub` is a SPIFFE ID in the configured trust domain;
// SAN URI = `sub`, the proof of possession signs `sub`.
import { CaError } from '../errors.js';
import { stringClaim } from './claims.js';
import type { IssuerSettings } from './config.js';
import { renderExtensions } from './extensions.js';
import type { Issuer, Principal, VerifiedClaims } from './issuer.js';

/**
 * Parses a SPIFFE ID (SPIFFE ID spec §2): `spiffe://<trust domain>[/<segment>...]`, trust domain of
 * `[a-z0-9._-]`, path segments of `[A-Za-z0-9._-]`, no empty, `.` or `..` segment, no query, fragment,
 * port or user info. Returns the trust domain, or undefined when invalid.
 */
export function spiffeTrustDomainOf(id: string): string | undefined {
  const m = /^spiffe:\/\/([a-z0-9._-]+)((?:\/[A-Za-z0-9._-]+)*)$/.exec(id);
  if (m === null || id.length > 2048) return undefined;
  const segments = (m[2] as string).split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  return m[1];
}

/** A spiffe issuer. Authenticate throws CaError INVALID_TOKEN for a malformed ID or a foreign trust domain. */
export function createSpiffeIssuer(issuerUrl: string, settings: IssuerSettings): Issuer {
  const trustDomain = settings.spiffeTrustDomain as string;
  return {
    issuerUrl,
    authenticate(claims: VerifiedClaims): Principal {
      const sub = stringClaim(claims, 'sub', 'spiffe issuers certify the SPIFFE ID');
      const td = spiffeTrustDomainOf(sub);
      if (td === undefined) throw new CaError('INVALID_TOKEN', `sub ${JSON.stringify(sub)} is not a valid SPIFFE ID`);
      if (td !== trustDomain) throw new CaError('INVALID_TOKEN', `SPIFFE ID trust domain ${td} does not match the configured trust domain ${trustDomain}`);
      return { challenge: sub, subjectAltName: { type: 'uri', value: sub }, sigstoreExtensions: renderExtensions(claims.iss, sub) };
    },
  };
}
