/** Every way the CA refuses or fails a request. Statuses are decided in http/errors.ts only. */
export type CaErrorCode =
  // identity token (each names the check that failed in its message)
  | 'INVALID_TOKEN' // malformed JWT, bad signature, disallowed alg, expired, not yet valid, bad aud…
  | 'UNKNOWN_ISSUER' // no configured issuer matches `iss`
  | 'EMAIL_NOT_VERIFIED'
  | 'MISSING_CLAIM' // a claim the issuer type needs is absent
  | 'ISSUER_UNREACHABLE' // JWKS/discovery fetch failed (a 5xx: not the caller's fault)
  // request and keys
  | 'BAD_REQUEST' // missing/contradictory fields
  | 'BAD_PUBLIC_KEY'
  | 'WEAK_KEY'
  | 'UNSUPPORTED_KEY'
  | 'BAD_PROOF_OF_POSSESSION'
  | 'BAD_CSR'
  | 'ALGORITHM_NOT_PERMITTED' // key/hash combination outside the allow-list (e.g. a P-256 CSR signed with SHA-384)
  // issuing
  | 'CT_UNAVAILABLE' // the CT log could not be reached or refused the precertificate
  | 'CA_BACKEND_ERROR'
  | 'BAD_CONFIG';

/** The single error class of the CA service. Foreign errors are wrapped in `cause`. */
export class CaError extends Error {
  override readonly name = 'CaError';
  constructor(
    readonly code: CaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
