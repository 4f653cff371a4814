// Username issuers (Fulcio pkg/identity/username): SAN = OtherName (type-id 1.3.6.1.4.1.57264.1.7, critical)
// holding `sub!SubjectDomain`; the proof of possession signs the bare `sub`.
import { CaError } from '../errors.js';
import { isEmailAddress, stringClaim } from './claims.js';
import type { IssuerSettings } from './config.js';
import { renderExtensions } from './extensions.js';
import type { Issuer, Principal, VerifiedClaims } from './issuer.js';

/**
 * A username issuer for `issuerUrl`; `settings.subjectDomain` is a scheme-less domain.
 * Authenticate throws CaError INVALID_TOKEN when `sub` contains `!` or is an email address.
 */
export function createUsernameIssuer(issuerUrl: string, settings: IssuerSettings): Issuer {
  return {
    issuerUrl,
    authenticate(claims: VerifiedClaims): Principal {
      const sub = stringClaim(claims, 'sub', 'username issuers certify the subject');
      if (sub.includes('!')) throw new CaError('INVALID_TOKEN', 'sub of a username issuer cannot contain "!"');
      if (isEmailAddress(sub)) throw new CaError('INVALID_TOKEN', 'sub of a username issuer must not be an email address');
      return {
        challenge: sub,
        subjectAltName: { type: 'otherName', value: `${sub}!${settings.subjectDomain as string}` },
        sigstoreExtensions: renderExtensions(claims.iss, sub),
      };
    },
  };
}
