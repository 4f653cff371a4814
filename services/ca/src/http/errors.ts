// THE status table of the CA: CaError codes → HTTP status + Fulcio's error body. No other file
// decides a status code.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CaError, type CaErrorCode } from '../errors.js';

/** gRPC status codes, which Fulcio's error bodies carry in `code` (grpc-gateway convention). */
const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14 } as const;

/** HTTP status and gRPC code for every CaError code (exhaustive at compile time). */
export const CA_ERROR_STATUS = {
  INVALID_TOKEN: [400, GRPC.INVALID_ARGUMENT], // Fulcio answers 400, not 401, for every token problem
  UNKNOWN_ISSUER: [400, GRPC.INVALID_ARGUMENT],
  EMAIL_NOT_VERIFIED: [400, GRPC.INVALID_ARGUMENT],
  MISSING_CLAIM: [400, GRPC.INVALID_ARGUMENT],
  ISSUER_UNREACHABLE: [503, GRPC.UNAVAILABLE],
  BAD_REQUEST: [400, GRPC.INVALID_ARGUMENT],
  BAD_PUBLIC_KEY: [400, GRPC.INVALID_ARGUMENT],
  WEAK_KEY: [400, GRPC.INVALID_ARGUMENT],
  UNSUPPORTED_KEY: [400, GRPC.INVALID_ARGUMENT],
  BAD_PROOF_OF_POSSESSION: [400, GRPC.INVALID_ARGUMENT],
  BAD_CSR: [400, GRPC.INVALID_ARGUMENT],
  ALGORITHM_NOT_PERMITTED: [400, GRPC.INVALID_ARGUMENT],
  CT_UNAVAILABLE: [503, GRPC.UNAVAILABLE], // retryable; nothing was issued
  CA_BACKEND_ERROR: [500, GRPC.INTERNAL],
  BAD_CONFIG: [500, GRPC.INTERNAL],
} as const satisfies Record<CaErrorCode, readonly [number, number]>;

/** Successful issuance on the v2 API: 200 (grpc-gateway's default; Fulcio sets no other code). */
export const ISSUED_V2_STATUS = 200;
/** Successful issuance on the deprecated v1 API: 201 Created (Fulcio's legacy handler sets it). */
export const ISSUED_V1_STATUS = 201;
/** The status of /readyz while the server drains. */
export const NOT_READY_STATUS = 503;

/** Fulcio's (grpc-gateway's) error body. */
export interface FulcioErrorBody {
  code: number;
  message: string;
  details: unknown[];
}

/** Sends a non-error status chosen here (issuance, a draining /readyz). */
export function sendStatus(
  reply: FastifyReply,
  status: typeof ISSUED_V2_STATUS | typeof ISSUED_V1_STATUS | typeof NOT_READY_STATUS,
): FastifyReply {
  return reply.code(status);
}

/** Maps fastify's own request errors (bad JSON, schema, size, media type) to a status + message. */
function fastifyRequestError(err: FastifyError, bodyLimit: number): [number, number, string] | undefined {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return [413, GRPC.RESOURCE_EXHAUSTED, `request body too large: the limit is ${bodyLimit / 1048576} MiB`];
  }
  if (err.validation !== undefined) {
    return [400, GRPC.INVALID_ARGUMENT, `invalid request: ${err.message}`];
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return [415, GRPC.INVALID_ARGUMENT, 'unsupported Content-Type: send application/json'];
  }
  const status = err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return [status, GRPC.INVALID_ARGUMENT, `invalid request: ${err.message}`];
  }
  return undefined;
}

/**
 * Installs the single error handler and the 404 handler. CaErrors get their table status and
 * their own (specific) message; fastify request errors get a 4xx naming the problem; anything else
 * is a 500 with a generic text, and the real cause goes to the log only.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError | CaError, request, reply) => {
    if (err instanceof CaError) {
      const [status, code] = CA_ERROR_STATUS[err.code];
      const level = status >= 500 ? 'error' : 'warn';
      request.log[level]({ code: err.code, cause: causeText(err) }, err.message);
      return reply.code(status).type('application/json').send({ code, message: err.message, details: [] } satisfies FulcioErrorBody);
    }
    const mapped = fastifyRequestError(err as FastifyError, bodyLimit);
    if (mapped !== undefined) {
      const [status, code, message] = mapped;
      request.log.warn({ code: (err as FastifyError).code }, message);
      return reply.code(status).type('application/json').send({ code, message, details: [] } satisfies FulcioErrorBody);
    }
    request.log.error({ err: { type: (err as Error).name, message: (err as Error).message, stack: (err as Error).stack } }, 'unexpected error');
    return reply
      .code(500)
      .type('application/json')
      .send({ code: GRPC.INTERNAL, message: 'internal error; see the CA log', details: [] } satisfies FulcioErrorBody);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json')
      .send({ code: GRPC.NOT_FOUND, message: `no such endpoint: ${request.method} ${request.url.split('?')[0]}`, details: [] }),
  );
}

/** Longest URL excerpt quoted back in an error message. */
const MAX_QUOTED_URL = 200;

/**
 * fastify's `frameworkErrors` option: errors the router raises before any route or error handler
 * runs — a percent-escape that does not decode (400) or an over-long path parameter (414) —
 * answered in Fulcio's error shape, naming the problem, instead of fastify's own body.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const url = request.url.length > MAX_QUOTED_URL ? `${request.url.slice(0, MAX_QUOTED_URL)}…` : request.url;
  const why = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'it holds a percent-escape that does not decode';
  void reply
    .code(status)
    .type('application/json')
    .send({ code: GRPC.INVALID_ARGUMENT, message: `malformed request URL ${JSON.stringify(url)}: ${why}`, details: [] } satisfies FulcioErrorBody);
}

function causeText(err: Error): string | undefined {
  const cause = err.cause;
  if (cause === undefined) return undefined;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
