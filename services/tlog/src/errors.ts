/** Every way the log refuses or fails a request. Statuses are decided in http/errors.ts only. */
export type LogErrorCode =
  | 'PUSHBACK' // the append queue is full: retry later (503 + Retry-After)
  | 'ENTRY_INVALID' // the proposed entry is malformed or its signature does not verify (400)
  | 'UNSUPPORTED_KIND' // unknown kind or apiVersion (400)
  | 'ENTRY_EXISTS' // an equivalent entry is already in the log (409)
  | 'NOT_FOUND' // no such entry / tile / tree size (404)
  | 'BAD_REQUEST' // malformed query or parameters (400)
  | 'TOO_MANY' // a retrieve/search query asks for too much (422)
  | 'BODY_TOO_LARGE' // 413
  | 'CHAIN_REJECTED' // CT: chain does not end in an accepted root (400)
  | 'STORAGE_FAILURE' // the database failed; nothing was acknowledged (5xx)
  | 'SHUTTING_DOWN' // the process is closing; nothing was acknowledged (503)
  | 'BAD_CONFIG'; // the service configuration is invalid (startup only; `details.problems` lists every problem)

/** The single error class of the tlog service. Foreign errors are wrapped in `cause`. */
export class LogError extends Error {
  override readonly name = 'LogError';
  constructor(
    readonly code: LogErrorCode,
    message: string,
    readonly details: { index?: bigint; entryId?: string; retryAfterSeconds?: number; problems?: string[] } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
