// GET /api/v2/configuration: the configured OIDC issuers and their challenge claims (Fulcio v2).
import type { FastifyInstance } from 'fastify';
import { configurationResponse } from './schemas.js';

/** One issuer as Fulcio's configuration endpoint lists it. */
export interface IssuerDescription {
  issuerUrl?: string;
  wildcardIssuerUrl?: string;
  audience: string;
  challengeClaim: string;
  spiffeTrustDomain?: string;
  issuerType?: string;
  subjectDomain?: string;
  skipEmailVerification?: boolean;
}

/** What the configuration route needs. */
export interface ConfigurationDeps {
  describeIssuers(): readonly IssuerDescription[];
}

/** Registers `GET /api/v2/configuration`. */
export async function configurationRoutes(app: FastifyInstance, deps: ConfigurationDeps): Promise<void> {
  app.get('/api/v2/configuration', { schema: { response: configurationResponse } }, async () => ({
    issuers: deps.describeIssuers(),
  }));
}
