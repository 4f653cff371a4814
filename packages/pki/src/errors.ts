/** Every way a pki operation can fail. Tests assert codes, never messages. */
export type PkiErrorCode =
  | 'BAD_PEM'
  | 'BAD_DER'
  | 'BAD_PUBLIC_KEY'
  | 'UNSUPPORTED_KEY'
  | 'WEAK_KEY'
  | 'UNSUPPORTED_ALGORITHM'
  | 'BAD_SIGNATURE'
  | 'BAD_CERTIFICATE'
  | 'BAD_CSR'
  | 'BAD_TEMPLATE'
  | 'KEY_MISMATCH'
  | 'BAD_SCT'
  | 'CHAIN_INVALID'
  | 'KEY_BACKEND_UNAVAILABLE'
  | 'KEY_BACKEND_ERROR'
  | 'BAD_KEY_CONFIG'
  | 'BAD_KEY_PASSWORD'
  | 'KEY_NOT_FOUND'
  | 'BAD_DIGEST';

/** The single error class of `@signet/pki`. Foreign errors are wrapped in `cause`. */
export class PkiError extends Error {
  override readonly name = 'PkiError';
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
