// The only place the development issuer decides HTTP statuses. Error bodies follow OAuth 2.0 (RFC 6749 §5.2).
import type { FastifyError, FastifyInstance } from 'fastify';
import { OidcDevError, type OidcDevErrorCode } from '../errors.js';

/** Status of each error code. */
export const STATUS = { BAD_REQUEST: 400, NOT_LOOPBACK: 500, BAD_KEY_FILE: 500 } as const satisfies Record<OidcDevErrorCode, number>;

/** Installs the error handler: domain errors by table, fastify validation errors as 400, the rest 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | OidcDevError, req, reply) => {
    if (err instanceof OidcDevError) {
      const status = STATUS[err.code];
      return reply.code(status).send({ error: status === 400 ? 'invalid_request' : 'server_error', error_description: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'development issuer failed');
      return reply.code(500).send({ error: 'server_error', error_description: 'internal error' });
    }
    return reply.code(status).send({ error: 'invalid_request', error_description: err.message });
  });
}
