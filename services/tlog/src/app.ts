// buildApp: the tlog HTTP service as a Fastify instance that never listens (house style practice 9).
// main.ts listens; tests call app.inject().
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { LogEngine } from './rekor/engine.js';
import type { RekorLog } from './rekor/rekor-log.js';
import { frameworkErrors, registerErrorHandling } from './http/errors.js';
import { entriesRoutes } from './http/entries.js';
import { logInfoRoutes } from './http/log-info.js';
import { searchRoutes } from './http/search.js';
import { tileRoutes } from './http/tiles.js';
import { healthRoutes } from './http/health.js';
import { metricsRoutes } from './http/metrics.js';
import { openapiRoutes } from './http/openapi.js';
import { registerCt, type CtLog } from './ct/index.js';

/** Everything the HTTP layer needs. */
export interface AppDeps {
  /** The Rekor v1 personality. */
  rekor: RekorLog;
  /** The engine under it (tiles, checkpoint, health, metrics). */
  engine: LogEngine;
  /** Largest accepted request body in bytes; larger bodies get a 413 naming this limit. */
  maxBodyBytes: number;
  /** Fastify/pino logger options (JSON lines); false or absent = silent. */
  logger?: FastifyServerOptions['logger'];
  /** True once graceful shutdown has begun (readiness then fails). */
  isClosing?: () => boolean;
  /** Export Node process metrics too (off in tests: the collectors are process-global). */
  processMetrics?: boolean;
  /** The CT personality, served under `prefix` (its own routes, schemas and error bodies). */
  ct?: { log: CtLog; prefix: string };
}

/** Builds the app with every route registered; the caller awaits `ready()`/`listen()` or injects. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.maxBodyBytes,
    return503OnClosing: true,
    frameworkErrors,
    ajv: { customOptions: { allErrors: false, coerceTypes: true } },
  });
  // Only JSON bodies: without fastify's text/plain parser every other type is a 415.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  app.register(metricsRoutes, { engine: deps.engine, processMetrics: deps.processMetrics ?? false });
  app.register(entriesRoutes, { rekor: deps.rekor, maxBodyBytes: deps.maxBodyBytes });
  app.register(logInfoRoutes, { rekor: deps.rekor });
  app.register(searchRoutes, { rekor: deps.rekor, maxBodyBytes: deps.maxBodyBytes });
  app.register(tileRoutes, { engine: deps.engine });
  app.register(healthRoutes, { engine: deps.engine, isClosing: deps.isClosing ?? (() => false) });
  app.register(openapiRoutes);
  if (deps.ct) registerCt(app, deps.ct.log, { prefix: deps.ct.prefix });
  return app;
}
