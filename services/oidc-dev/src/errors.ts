/** Every way the development OIDC issuer refuses or fails. Statuses are decided in http/errors.ts only. */
export type OidcDevErrorCode =
  | 'BAD_REQUEST' // a token request that cannot be honoured (message names the field)
  | 'NOT_LOOPBACK' // asked to listen on a non-loopback address
  | 'BAD_KEY_FILE'; // the persisted key file in dataDir is unreadable or malformed

/** The single error class of @signet/oidc-dev. Foreign errors are wrapped in `cause`. */
export class OidcDevError extends Error {
  override readonly name = 'OidcDevError';
  constructor(
    readonly code: OidcDevErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
