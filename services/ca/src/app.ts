// buildApp: the CA's HTTP application (fastify). Builds, never listens: main.ts/start.ts do that.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { CertificateAuthority } from './ca.js';
import type { Principal } from './identity/issuer.js';
import { configurationRoutes, type IssuerDescription } from './http/configuration.js';
import { frameworkErrors, installErrorHandling } from './http/errors.js';
import { healthRoutes } from './http/health.js';
import { createMetrics, installMetrics, type Metrics } from './http/metrics.js';
import { openapiRoutes } from './http/openapi.js';
import { BODY_LIMIT } from './http/schemas.js';
import { signingCertRoutes } from './http/signing-cert.js';
import { trustBundleRoutes } from './http/trust-bundle.js';

/** Everything the HTTP application needs; routes receive their part as plugin options. */
export interface AppDeps {
  /** Issues certificates (ca.ts). */
  ca: CertificateAuthority;
  /** The OIDC issuer pool (identity/): authenticates raw tokens, describes the issuers. */
  issuers: {
    authenticate(rawToken: string): Promise<Principal>;
    describe(): readonly IssuerDescription[];
  };
  /** The CA chain as PEM, issuing CA first, root last (trustBundle, rootCert). */
  chainPem: readonly string[];
  /**
   * Logging: `false` for none, else pino options (level, and a destination stream for tests).
   * Whatever is given, request logs carry only method, URL, id and remote address: never a
   * header or a body, so no identity token can reach the log.
   */
  logger?: false | { level?: string; stream?: { write(line: string): void } };
  /** Readiness (default: always ready). */
  isReady?: () => boolean;
  /** Metrics registry (default: a fresh one). */
  metrics?: Metrics;
}

/** The redaction paths, a second line of defence should a header or body ever be logged. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'body',
  'headers.authorization',
  'request.headers.authorization',
  'request.body',
  'token',
  'oidcIdentityToken',
];

/**
 * Builds the CA application with every route registered: Fulcio v2 and v1 REST, trust bundle,
 * configuration, health, readiness, metrics and the OpenAPI document. Never listens.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.logger),
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreDuplicateSlashes: true }, // sigstore-js builds `${base}/api/...`: accept `//api/...`
    genReqId: () => randomUUID(),
    frameworkErrors,
  });
  // Only JSON bodies: without fastify's text/plain parser any other Content-Type is a 415.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app, BODY_LIMIT);
  const metrics = deps.metrics ?? createMetrics();
  installMetrics(app, metrics);
  await app.register(signingCertRoutes, {
    ca: deps.ca,
    authenticate: (token: string) => deps.issuers.authenticate(token),
    metrics,
  });
  await app.register(trustBundleRoutes, { chainPem: deps.chainPem });
  await app.register(configurationRoutes, { describeIssuers: () => deps.issuers.describe() });
  await app.register(healthRoutes, { isReady: deps.isReady ?? (() => true) });
  await app.register(openapiRoutes);
  return app;
}

function loggerOptions(logger: AppDeps['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false;
  return {
    level: logger.level ?? 'info',
    ...(logger.stream !== undefined ? { stream: logger.stream } : {}),
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
