// GET /openapi.json: an OpenAPI 3.1 description of the CA, assembled from the route schemas.
import type { FastifyInstance } from 'fastify';
import {
  ERROR_BODY_SCHEMA,
  configurationResponse,
  healthResponse,
  signingCertV1Body,
  signingCertV2Body,
  signingCertV2Response,
  trustBundleResponse,
} from './schemas.js';

const errors = {
  '400': { description: 'the request, token or key is invalid (the message names the problem)', content: json(ERROR_BODY_SCHEMA) },
  '413': { description: 'the body exceeds 4 MiB', content: json(ERROR_BODY_SCHEMA) },
  '503': { description: 'the CT log or the OIDC issuer is unavailable; nothing was issued', content: json(ERROR_BODY_SCHEMA) },
};

function json(schema: object) {
  return { 'application/json': { schema } };
}

/** The OpenAPI 3.1 document of the CA's HTTP API. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Signet CA',
    version: '0.1.0',
    description: 'Fulcio-compatible certificate authority: OIDC identity token + public key → short-lived code-signing certificate.',
  },
  paths: {
    '/api/v2/signingCert': {
      post: {
        summary: 'Issue a signing certificate (Fulcio v2).',
        security: [{}, { bearer: [] }],
        requestBody: { required: true, content: json(signingCertV2Body) },
        responses: { '200': { description: 'issued', content: json(signingCertV2Response[200]) }, ...errors },
      },
    },
    '/api/v1/signingCert': {
      post: {
        summary: 'Issue a signing certificate (deprecated Fulcio v1).',
        security: [{ bearer: [] }],
        requestBody: { required: true, content: json(signingCertV1Body) },
        responses: {
          '201': { description: 'leaf then CA chain', content: { 'application/pem-certificate-chain': { schema: { type: 'string' } } } },
          ...errors,
        },
      },
    },
    '/api/v2/trustBundle': { get: { summary: 'The CA chains.', responses: { '200': { description: 'ok', content: json(trustBundleResponse[200]) } } } },
    '/api/v1/rootCert': {
      get: {
        summary: 'The CA chain as concatenated PEM (deprecated v1).',
        responses: { '200': { description: 'ok', content: { 'application/pem-certificate-chain': { schema: { type: 'string' } } } } },
      },
    },
    '/api/v2/configuration': {
      get: { summary: 'Configured OIDC issuers.', responses: { '200': { description: 'ok', content: json(configurationResponse[200]) } } },
    },
    '/healthz': { get: { summary: 'Liveness.', responses: { '200': { description: 'serving', content: json(healthResponse[200]) } } } },
    '/readyz': {
      get: {
        summary: 'Readiness.',
        responses: {
          '200': { description: 'ready', content: json(healthResponse[200]) },
          '503': { description: 'draining', content: json(healthResponse[503]) },
        },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics.', responses: { '200': { description: 'text exposition format' } } } },
  },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'OIDC identity token' } } },
} as const;

/** Registers `GET /openapi.json`. */
export async function openapiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', async () => OPENAPI_DOCUMENT);
}
