// Reading claims of a verified token, with errors that name the claim.
import { CaError } from '../errors.js';
import type { VerifiedClaims } from './issuer.js';

/**
 * The claim `name` as a non-empty string.
 * @throws CaError MISSING_CLAIM if absent or empty, INVALID_TOKEN if not a string.
 */
export function stringClaim(claims: VerifiedClaims, name: string, why: string): string {
  const v = claims[name];
  if (v === undefined || v === null || v === '') throw new CaError('MISSING_CLAIM', `token has no ${name} claim (${why})`);
  if (typeof v !== 'string') throw new CaError('INVALID_TOKEN', `token claim ${name} must be a string, got ${typeof v}`);
  return v;
}

/**
 * Claim values as the strings CI templates see (Fulcio's mapValuesToString): numbers without a trailing
 * `.0`, booleans as `true`/`false`, nested objects and arrays as JSON (Go would print its `map[...]` form,
 * which no template can use anyway).
 */
export function claimsAsStrings(claims: VerifiedClaims): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(claims)) {
    if (v === null || v === undefined) continue;
    out.set(k, typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
  }
  return out;
}

/** A syntactically valid email address (one `@`, no spaces or controls, a dotted domain; ≤ 254 chars). */
export function isEmailAddress(s: string): boolean {
  return s.length <= 254 && /^[^\s@"<>()[\]\\,;:\u0000-\u001f\u007f]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(s);
}
