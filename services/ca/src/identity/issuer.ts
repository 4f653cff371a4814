// The two roles of the identity layer (house style practice 11): an Issuer turns the verified claims of
// one OIDC issuer into a Principal, the identity the CA certifies. Mirrors Fulcio's pkg/identity.

/**
 * The claims of an identity token whose signature, `iss`, `aud`, `exp` and `nbf` have been verified
 * (see verify-token.ts). `iss` and `sub` are always non-empty strings; everything else is as sent.
 */
export interface VerifiedClaims {
  readonly iss: string;
  readonly sub: string;
  readonly [claim: string]: unknown;
}

/** One Sigstore certificate extension (arc 1.3.6.1.4.1.57264.1) and its string value. */
export interface SigstoreExtension {
  /** Dotted OID, e.g. `1.3.6.1.4.1.57264.1.8`. */
  oid: string;
  /** Never empty: empty values are omitted, as Fulcio does. */
  value: string;
}

/** Which general-name form the certificate's single SAN takes. */
export type SanType = 'email' | 'uri' | 'dns' | 'otherName';

/** The identity the CA certifies, as the certificate profile needs it. */
export interface Principal {
  /** The string the proof of possession signs: the `email` claim for email issuers, else `sub` (Fulcio's challenge). */
  challenge: string;
  /**
   * The single SAN. `otherName` values are Fulcio's username form `sub!SubjectDomain`, to be encoded as
   * an OtherName of type-id 1.3.6.1.4.1.57264.1.7 (UTF8String).
   */
  subjectAltName: { type: SanType; value: string };
  /**
   * Sigstore extensions in Fulcio's order (ascending last arc: 1.1–1.6, 1.8, 1.9–1.24). The encoding is the
   * profile's job: 1.1–1.6 raw UTF-8 bytes, 1.8 and above a DER UTF8String (Fulcio docs/oid-info.md).
   */
  sigstoreExtensions: SigstoreExtension[];
}

/** One configured issuer of a given type. `authenticate` is pure: no I/O, no clock. */
export interface Issuer {
  /** The exact `iss` this issuer accepts (for a meta issuer: the concrete URL that matched its pattern). */
  readonly issuerUrl: string;
  /**
   * Maps verified claims to a Principal.
   * @throws CaError MISSING_CLAIM, EMAIL_NOT_VERIFIED or INVALID_TOKEN naming the claim that failed.
   */
  authenticate(claims: VerifiedClaims): Principal;
}
