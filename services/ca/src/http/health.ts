// Liveness and readiness: GET /healthz (Fulcio's grpc-gateway health shape) and GET /readyz.
import type { FastifyInstance } from 'fastify';
import { NOT_READY_STATUS, sendStatus } from './errors.js';
import { healthResponse } from './schemas.js';

/** What the health routes need. */
export interface HealthDeps {
  /** False while the process drains before exit (readiness fails so balancers stop routing). */
  isReady(): boolean;
}

/** Registers `GET /healthz` (always SERVING while the process runs) and `GET /readyz`. */
export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get('/healthz', { schema: { response: healthResponse } }, async () => ({ status: 'SERVING' }));
  app.get('/readyz', { schema: { response: healthResponse } }, async (_request, reply) =>
    deps.isReady() ? { status: 'READY' } : sendStatus(reply, NOT_READY_STATUS).send({ status: 'DRAINING' }),
  );
}
