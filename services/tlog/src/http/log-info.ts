// GET /api/v1/log, /api/v1/log/publicKey and /api/v1/log/proof (rekor.md §1).
import type { FastifyPluginAsync } from 'fastify';
import type { RekorLog } from '../rekor/rekor-log.js';
import { SUCCESS } from './errors.js';
import { queryInteger } from './query.js';
import { consistencyProofSchema, logInfoSchema, NO_BODY_LIMIT, proofQuerySchema, publicKeyQuerySchema } from './schemas.js';

/** Dependencies of the log-info routes. */
export interface LogInfoRoutesOptions {
  rekor: RekorLog;
}

/** Registers the log-info routes. */
export const logInfoRoutes: FastifyPluginAsync<LogInfoRoutesOptions> = async (app, { rekor }) => {
  app.get(
    '/api/v1/log',
    { bodyLimit: NO_BODY_LIMIT, schema: { response: { [SUCCESS.ok]: logInfoSchema } } },
    async () => rekor.logInfo(),
  );

  app.get<{ Querystring: { treeID?: string } }>(
    '/api/v1/log/publicKey',
    { bodyLimit: NO_BODY_LIMIT, schema: { querystring: publicKeyQuerySchema } },
    async (request, reply) => {
      const treeId = request.query.treeID === undefined ? undefined : BigInt(request.query.treeID);
      return reply.type('application/x-pem-file').send(rekor.publicKeyPem(treeId));
    },
  );

  app.get<{ Querystring: { firstSize: number; lastSize: number; treeID?: string } }>(
    '/api/v1/log/proof',
    { bodyLimit: NO_BODY_LIMIT, schema: { querystring: proofQuerySchema, response: { [SUCCESS.ok]: consistencyProofSchema } } },
    async (request) => {
      const { firstSize, lastSize, treeID } = request.query;
      return rekor.consistencyProof(queryInteger(firstSize, 'firstSize'), queryInteger(lastSize, 'lastSize'), treeID === undefined ? undefined : BigInt(treeID));
    },
  );
};
