// HTTP face of the development OIDC issuer: OpenID discovery, JWKS and POST /token. Built, never started
// (start.ts listens, on loopback only).
import Fastify, { type FastifyInstance } from 'fastify';
import { frameworkErrors, installErrorHandler } from './http/errors.js';
import { createDevIssuer, type DevIssuer } from './issuer.js';
import { generateDevKey, type DevSigningKey } from './keys.js';

/** Options of buildOidcApp. */
export interface OidcAppOptions {
  /** Issuer URL (no trailing slash), or a function giving it once known. */
  issuerUrl: string | (() => string);
  now: () => Date;
  /** Signing keys, last one active; the array may be appended to later (rotation). Default: one fresh ES256 key. */
  keys?: DevSigningKey[];
  /** fastify logger option; default off. */
  logger?: boolean;
}

/** The fastify app and the issuer it serves. */
export type OidcApp = FastifyInstance & { readonly devIssuer: DevIssuer };

/** Largest accepted token request body (extra claims included). */
export const TOKEN_BODY_LIMIT = 64 * 1024;

/** Builds the app (does not listen). Routes: GET /.well-known/openid-configuration, GET /jwks, POST /token. */
export function buildOidcApp(opts: OidcAppOptions): OidcApp {
  const issuer = createDevIssuer({ issuerUrl: opts.issuerUrl, now: opts.now, keys: opts.keys ?? [generateDevKey('ES256')] });
  // No type coercion: a numeric `aud` is an error, not the string "7".
  const app = Fastify({ logger: opts.logger ?? false, ajv: { customOptions: { coerceTypes: false } }, frameworkErrors });
  // Only JSON bodies: without fastify's text/plain parser any other Content-Type is a 415.
  app.removeContentTypeParser('text/plain');
  installErrorHandler(app);
  app.get('/.well-known/openid-configuration', async () => issuer.discovery());
  app.get('/jwks', async () => issuer.jwks());
  app.post(
    '/token',
    {
      bodyLimit: TOKEN_BODY_LIMIT,
      schema: {
        body: {
          type: 'object',
          properties: {
            email: { type: 'string' },
            sub: { type: 'string' },
            aud: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
          },
          additionalProperties: true,
        },
      },
    },
    async (req) => issuer.mint(req.body as Record<string, unknown>),
  );
  return Object.assign(app, { devIssuer: issuer }) as OidcApp;
}
