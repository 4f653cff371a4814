// THE status table of the tlog service (house style practice 8): every LogError code, every fastify
// error and the success codes map to HTTP here and nowhere else. Error bodies use Rekor's shape
// `{code, message}` (rekor.md §1); 5xx texts are generic and the cause is logged.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LogError, type LogErrorCode } from '../errors.js';

/** HTTP status of each LogError code. */
export const STATUS_BY_CODE = {
  PUSHBACK: 503,
  ENTRY_INVALID: 400,
  UNSUPPORTED_KIND: 400,
  ENTRY_EXISTS: 409,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  TOO_MANY: 422,
  BODY_TOO_LARGE: 413,
  CHAIN_REJECTED: 400,
  STORAGE_FAILURE: 503,
  SHUTTING_DOWN: 503,
  BAD_CONFIG: 500,
} as const satisfies Record<LogErrorCode, number>;

/** Success statuses, so that route files never spell a number. */
export const SUCCESS = { ok: 200, created: 201 } as const;

/** Rekor's error body. */
export interface RekorErrorBody {
  code: number;
  message: string;
}

/** Sends Rekor's error body with `status`. */
export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ code: status, message } satisfies RekorErrorBody);
}

/** Seconds a client is told to wait after PUSHBACK/SHUTTING_DOWN when the engine gives no hint. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * The status and message of fastify's own request errors (body too large, schema validation,
 * unsupported media type, bad or empty JSON, any other 4xx it raises), or undefined for anything
 * else. Shared by every personality's error handler; `limitSetting` names the configuration key of
 * the body limit in the 413 message, when there is one.
 */
export function fastifyRequestError(
  error: FastifyError,
  request: FastifyRequest,
  defaultBodyLimit: number | undefined,
  limitSetting?: string,
): { status: number; message: string } | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit ?? defaultBodyLimit;
    const setting = limitSetting === undefined ? '' : ` (setting ${limitSetting})`;
    return { status: 413, message: `request body is larger than this endpoint's limit of ${limit} bytes${setting}` };
  }
  if (error.validation) return { status: 400, message: `invalid request: ${error.message}` };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, message: `unsupported Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')}: send application/json` };
  }
  if ((error as unknown) instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, message: `request body is not valid JSON: ${error.message}` };
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, message: error.message };
  }
  return undefined;
}

/** Sets `Retry-After` on a 503 from the error's hint, else DEFAULT_RETRY_AFTER_SECONDS. */
export function setRetryAfter(reply: FastifyReply, error: LogError): void {
  reply.header('Retry-After', String(error.details.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
}

/**
 * Installs the one error handler and the 404 handler. LogErrors map through STATUS_BY_CODE (with
 * `Location` on 409 and `Retry-After` on 503); fastify's own 4xx errors (bad JSON, schema
 * validation, body too large, media type) keep their status with a message naming the problem;
 * anything else is a 500 with a generic message and a log line.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | LogError, request, reply) => {
    if (error instanceof LogError) {
      const status = STATUS_BY_CODE[error.code];
      if (error.code === 'ENTRY_EXISTS' && error.details.entryId) {
        reply.header('Location', `/api/v1/log/entries/${error.details.entryId}`);
      }
      if (status === 503) setRetryAfter(reply, error);
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return sendError(reply, status, error.code === 'BAD_CONFIG' ? 'internal server error' : error.message);
      }
      return sendError(reply, status, error.message);
    }
    const mapped = fastifyRequestError(error, request, app.initialConfig.bodyLimit, 'maxBodyBytes');
    if (mapped !== undefined) return sendError(reply, mapped.status, mapped.message);
    request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, 500, 'internal server error');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, `no route ${request.method} ${request.url.split('?')[0]}`));
}

/** Longest URL excerpt quoted back in an error message. */
const MAX_QUOTED_URL = 200;

/**
 * fastify's `frameworkErrors` option: errors the router raises before any route, hook or error
 * handler runs — a percent-escape that does not decode (FST_ERR_BAD_URL, 400) or a path parameter
 * longer than the router allows (FST_ERR_MAX_PARAM_LENGTH, 414). Answered in Rekor's shape like
 * every other error, naming the problem; without it fastify sends its own body.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const url = request.url.length > MAX_QUOTED_URL ? `${request.url.slice(0, MAX_QUOTED_URL)}…` : request.url;
  const why = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'it holds a percent-escape that does not decode';
  void sendError(reply, status, `malformed request URL ${JSON.stringify(url)}: ${why}`);
}
