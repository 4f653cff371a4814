/** Every way building or serving trust material can fail. Tests assert codes, never messages. */
export type TrustErrorCode =
  | 'BAD_INPUT' // missing or malformed material given to a builder
  | 'BAD_METADATA' // TUF metadata that does not parse or does not verify
  | 'THRESHOLD_NOT_MET' // not enough valid signatures for a role
  | 'EXPIRED' // metadata past its expiry
  | 'NOT_FOUND'; // a repository file or target that does not exist

/** The single error class of `@signet/trust`. Foreign errors are wrapped in `cause`. */
export class TrustError extends Error {
  override readonly name = 'TrustError';
  constructor(
    readonly code: TrustErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
