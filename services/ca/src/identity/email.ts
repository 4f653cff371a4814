// Email issuers (Fulcio pkg/identity/email): SAN rfc822Name = `email`, the proof of possession signs the
// email address, and `email_verified` must be true unless SkipEmailVerification is set.
import { CaError } from '../errors.js';
import { isEmailAddress, stringClaim } from './claims.js';
import type { IssuerSettings } from './config.js';
import { renderExtensions } from './extensions.js';
import type { Issuer, Principal, VerifiedClaims } from './issuer.js';

/** `email_verified` as Fulcio reads it: boolean true, or the strings "true"/"True". */
function emailVerified(v: unknown): boolean {
  return v === true || v === 'true' || v === 'True';
}

/**
 * An email issuer for `issuerUrl`.
 * Authenticate throws CaError MISSING_CLAIM (no `email`), EMAIL_NOT_VERIFIED, INVALID_TOKEN (not an address),
 * MISSING_CLAIM (IssuerClaim path absent).
 */
export function createEmailIssuer(issuerUrl: string, settings: IssuerSettings): Issuer {
  return {
    issuerUrl,
    authenticate(claims: VerifiedClaims): Principal {
      const email = stringClaim(claims, 'email', 'email issuers certify the email address');
      if (!settings.skipEmailVerification && !emailVerified(claims['email_verified'])) {
        const v = claims['email_verified'];
        throw new CaError('EMAIL_NOT_VERIFIED', v === undefined ? 'email_verified claim is missing' : `email_verified is ${JSON.stringify(v)}`);
      }
      if (!isEmailAddress(email)) throw new CaError('INVALID_TOKEN', `email claim ${JSON.stringify(email)} is not a valid email address`);
      const issuer = settings.issuerClaim === undefined ? claims.iss : claimAtPath(claims, settings.issuerClaim);
      return {
        challenge: email,
        subjectAltName: { type: 'email', value: email },
        sigstoreExtensions: renderExtensions(issuer, claims.sub),
      };
    },
  };
}

/** The value at an IssuerClaim JSONPath, stringified like Go's `%v` for scalars. */
function claimAtPath(claims: VerifiedClaims, path: { source: string; path: string[] }): string {
  let v: unknown = claims;
  for (const seg of path.path) v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[seg] : undefined;
  if (v === undefined || v === null || v === '' || typeof v === 'object') {
    throw new CaError('MISSING_CLAIM', `token has no value at ${path.source} (the configured IssuerClaim)`);
  }
  return String(v);
}
