// GET /api/v2/trustBundle (Fulcio v2) and GET /api/v1/rootCert (deprecated v1): the CA chain.
import type { FastifyInstance } from 'fastify';
import { trustBundleResponse } from './schemas.js';

/** What the trust-bundle routes need: the CA chain as PEM, issuing CA first, root last. */
export interface TrustBundleDeps {
  chainPem: readonly string[];
}

/** Registers `GET /api/v2/trustBundle` and `GET /api/v1/rootCert`. */
export async function trustBundleRoutes(app: FastifyInstance, deps: TrustBundleDeps): Promise<void> {
  // Fulcio keeps each PEM's trailing newline here (unlike the signingCert chain).
  const certificates = deps.chainPem.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`));
  const bundle = { chains: [{ certificates }] };
  const concatenated = certificates.join('\n').trim(); // Fulcio's v1 shape: a blank line between, no final newline
  app.get('/api/v2/trustBundle', { schema: { response: trustBundleResponse } }, async () => bundle);
  app.get('/api/v1/rootCert', async (_request, reply) => reply.type('application/pem-certificate-chain').send(concatenated));
}
