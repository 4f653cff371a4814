// URI issuers (Fulcio pkg/identity/uri): `sub` is a URI under the configured SubjectDomain (same scheme and
// host); SAN URI = `sub`, the proof of possession signs `sub`.
import { CaError } from '../errors.js';
import { isEmailAddress, stringClaim } from './claims.js';
import type { IssuerSettings } from './config.js';
import { renderExtensions } from './extensions.js';
import type { Issuer, Principal, VerifiedClaims } from './issuer.js';

/**
 * A uri issuer for `issuerUrl`; `settings.subjectDomain` (validated at load) is `scheme://host`.
 * Authenticate throws CaError INVALID_TOKEN when `sub` is an email, not a URI, or outside the domain.
 */
export function createUriIssuer(issuerUrl: string, settings: IssuerSettings): Issuer {
  const domain = new URL(settings.subjectDomain as string);
  return {
    issuerUrl,
    authenticate(claims: VerifiedClaims): Principal {
      const sub = stringClaim(claims, 'sub', 'uri issuers certify the subject URI');
      if (isEmailAddress(sub)) throw new CaError('INVALID_TOKEN', 'sub of a uri issuer must be a URI, not an email address');
      let u: URL;
      try {
        u = new URL(sub);
      } catch {
        throw new CaError('INVALID_TOKEN', `sub ${JSON.stringify(sub)} is not a URI`);
      }
      if (u.protocol !== domain.protocol) throw new CaError('INVALID_TOKEN', `sub scheme ${u.protocol} must be ${domain.protocol} (SubjectDomain)`);
      if (u.hostname !== domain.hostname) throw new CaError('INVALID_TOKEN', `sub host ${u.hostname} must be ${domain.hostname} (SubjectDomain)`);
      return { challenge: sub, subjectAltName: { type: 'uri', value: sub }, sigstoreExtensions: renderExtensions(claims.iss, sub) };
    },
  };
}
