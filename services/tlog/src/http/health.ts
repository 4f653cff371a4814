// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers and the
// process is not shutting down).
import type { FastifyPluginAsync } from 'fastify';
import { LogError } from '../errors.js';
import type { LogEngine } from '../rekor/engine.js';
import { NO_BODY_LIMIT } from './schemas.js';

/** Dependencies of the health routes. */
export interface HealthRoutesOptions {
  engine: LogEngine;
  /** True once shutdown has begun: readiness fails so load balancers drain the process. */
  isClosing: () => boolean;
}

const HEALTH = { type: 'object', required: ['status'], properties: { status: { type: 'string' }, treeSize: { type: 'integer' } } } as const;

/** Registers /healthz and /readyz. */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { engine, isClosing }) => {
  app.get('/healthz', { bodyLimit: NO_BODY_LIMIT, schema: { response: { 200: HEALTH } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { bodyLimit: NO_BODY_LIMIT, schema: { response: { 200: HEALTH } } }, async () => {
    if (isClosing()) throw new LogError('SHUTTING_DOWN', 'the log is shutting down');
    try {
      const head = await engine.head();
      return { status: 'ready', treeSize: Number(head.size) };
    } catch (e) {
      throw new LogError('STORAGE_FAILURE', 'the database is not reachable', {}, { cause: e });
    }
  });
};
