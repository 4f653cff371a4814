// THE status table of the CT personality's routes (house style practice 8, one per personality):
// LogError codes and fastify's own errors map to HTTP here and nowhere else in src/ct. Error bodies
// are JSON `{"success": false, "error_message": "<reason>"}` (the RFC 6962 reference log's shape);
// 5xx texts are generic and the cause is logged.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { LogError, type LogErrorCode } from '../../errors.js';
import { fastifyRequestError, setRetryAfter } from '../../http/errors.js';

/** HTTP status of each LogError code on the CT routes. */
export const CT_STATUS_BY_CODE = {
  PUSHBACK: 503,
  ENTRY_INVALID: 400,
  UNSUPPORTED_KIND: 400,
  ENTRY_EXISTS: 409,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  TOO_MANY: 400,
  BODY_TOO_LARGE: 413,
  CHAIN_REJECTED: 400,
  STORAGE_FAILURE: 503,
  SHUTTING_DOWN: 503,
  BAD_CONFIG: 500,
} as const satisfies Record<LogErrorCode, number>;

/** Success status, so that route files never spell a number. */
export const CT_OK = 200;

/** The CT error body. */
export interface CtErrorBody {
  success: false;
  error_message: string;
}

function send(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ success: false, error_message: message } satisfies CtErrorBody);
}

/**
 * Installs the CT error handler on `scope` (an encapsulated plugin, so the Rekor routes keep
 * theirs): LogErrors through CT_STATUS_BY_CODE (Retry-After on 503), fastify's 4xx (validation,
 * bad JSON, body too large, media type) as the Rekor routes classify them, anything else 500.
 */
export function registerCtErrorHandling(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError | LogError, request, reply) => {
    if (error instanceof LogError) {
      const status = CT_STATUS_BY_CODE[error.code];
      if (status === 503) setRetryAfter(reply, error);
      if (status >= 500) {
        request.log.error({ err: error }, 'CT request failed');
        return send(reply, status, status === 500 ? 'internal server error' : error.message);
      }
      return send(reply, status, error.message);
    }
    const mapped = fastifyRequestError(error, request, scope.initialConfig.bodyLimit);
    if (mapped !== undefined) return send(reply, mapped.status, mapped.message);
    request.log.error({ err: error }, 'unexpected CT error');
    return send(reply, 500, 'internal server error');
  });
  // Unknown paths and methods under the CT prefix answer in the CT shape too.
  scope.setNotFoundHandler((request, reply) => send(reply, 404, `no route ${request.method} ${request.url.split('?')[0]}`));
}
