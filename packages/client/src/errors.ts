/** Every way a client operation can fail. The CLI maps them to exit codes (cli/exit-codes.ts). */
export type ClientErrorCode =
  | 'USAGE' // a missing or contradictory option
  | 'NO_TOKEN' // no identity token could be obtained
  | 'NO_TRUST' // no trusted root configured, or it lacks the material a check needs
  | 'VERIFICATION_FAILED' // a signature, certificate, SCT, log or timestamp check failed
  | 'IDENTITY_MISMATCH' // verified, but the signer is not the identity asked for
  | 'PREDICATE_MISMATCH' // an attestation of another predicate type
  | 'LOG_INCONSISTENT' // the log's checkpoints are not consistent (fork or rollback)
  | 'BAD_BUNDLE' // a bundle that does not parse
  | 'BAD_KEY' // an unreadable key file or wrong password
  | 'SERVICE_ERROR' // a CA, log or issuer answered an error
  | 'IO'; // a file could not be read or written

/** The single error class of `@signet/client`. Foreign errors are wrapped in `cause`. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
