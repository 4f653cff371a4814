// The only place the development issuer decides HTTP statuses. Error bodies follow OAuth 2.0 (RFC 6749 §5.2).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OidcDevError, type OidcDevErrorCode } from '../errors.js';

/** Status of each error code. */
export const STATUS = { BAD_REQUEST: 400, NOT_LOOPBACK: 500, BAD_KEY_FILE: 500 } as const satisfies Record<OidcDevErrorCode, number>;

/** Sends an RFC 6749 §5.2 error body. */
function sendError(reply: FastifyReply, status: number, description: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send({ error: status >= 500 ? 'server_error' : 'invalid_request', error_description: description });
}

/**
 * Installs the error handler (domain errors by table, fastify's own 4xx — validation, bad JSON,
 * size, media type — with their status and a message naming the problem, the rest 500) and the
 * 404 handler, all in the OAuth error shape.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | OidcDevError, req, reply) => {
    if (err instanceof OidcDevError) return sendError(reply, STATUS[err.code], err.message);
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'development issuer failed');
      return sendError(reply, 500, 'internal error');
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 415, `unsupported Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')}: send application/json`);
    }
    return sendError(reply, status, err.message);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, `no such endpoint: ${req.method} ${req.url.split('?')[0]}`));
}

/**
 * fastify's `frameworkErrors` option: a request URL the router cannot decode (400) or with an
 * over-long path segment (414), answered in the OAuth error shape instead of fastify's own body.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const why = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'it holds a percent-escape that does not decode';
  void sendError(reply, status, `malformed request URL ${JSON.stringify(req.url.slice(0, 200))}: ${why}`);
}
