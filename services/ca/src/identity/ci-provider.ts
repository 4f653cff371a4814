// Generic CI issuers (Fulcio pkg/identity/ciprovider): claims, overlaid on the provider's defaults, are
// rendered through the provider's templates (ci-providers.ts or the file's CIIssuerMetadata) into the SAN
// URI and the CI extensions. Issuer (1.1/1.8) and token subject (1.24) always come from the token.
import { CaError } from '../errors.js';
import { claimsAsStrings, stringClaim } from './claims.js';
import type { CiProviderConfig } from './config.js';
import { renderExtensions, type CiExtensionName } from './extensions.js';
import type { Issuer, Principal, VerifiedClaims } from './issuer.js';
import { MissingKeyError, type CompiledTemplate } from './template.js';

/**
 * A ci-provider issuer rendering `provider`'s templates.
 * Authenticate throws CaError MISSING_CLAIM naming the claim a template needs, INVALID_TOKEN when the
 * rendered SAN is not an absolute URI.
 */
export function createCiProviderIssuer(issuerUrl: string, provider: CiProviderConfig): Issuer {
  return {
    issuerUrl,
    authenticate(claims: VerifiedClaims): Principal {
      const sub = stringClaim(claims, 'sub', 'the proof of possession signs it');
      // Claims win over defaults (Fulcio copies the defaults first, then the claims).
      const data = new Map(provider.defaults);
      for (const [k, v] of claimsAsStrings(claims)) data.set(k, v);
      const san = render(provider, 'subject-alternative-name', provider.san, data);
      if (!URL.canParse(san)) throw new CaError('INVALID_TOKEN', `${provider.name} SAN ${JSON.stringify(san)} rendered from the token is not a URI`);
      const values = new Map<CiExtensionName, string>();
      for (const ext of provider.extensions) values.set(ext.name, render(provider, ext.name, ext.template, data));
      return { challenge: sub, subjectAltName: { type: 'uri', value: san }, sigstoreExtensions: renderExtensions(claims.iss, sub, values) };
    },
  };
}

function render(provider: CiProviderConfig, what: string, t: CompiledTemplate, data: ReadonlyMap<string, string>): string {
  try {
    return t.render(data);
  } catch (err) {
    if (err instanceof MissingKeyError) {
      throw new CaError('MISSING_CLAIM', `token has no ${err.key} claim, which the ${provider.name} template for ${what} needs`);
    }
    throw new CaError('INVALID_TOKEN', `the ${provider.name} template for ${what} failed on this token: ${(err as Error).message}`, { cause: err });
  }
}
