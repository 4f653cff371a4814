// GET /api/v1/openapi.json: an OpenAPI 3.0 description of this log, built from the same schemas the
// routes validate with, so the document cannot drift from the code.
import type { FastifyPluginAsync } from 'fastify';
import * as s from './schemas.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json(s.errorSchema) });
const query = (schema: { properties: Record<string, object>; required?: readonly string[] }) =>
  Object.entries(schema.properties).map(([name, sch]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: sch }));

/** The OpenAPI document. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: {
    title: 'Signet transparency log (Rekor v1 compatible)',
    version: '1.0.0',
    description: 'See docs/api-compatibility.md for every difference from Rekor.',
  },
  paths: {
    '/api/v1/log': { get: { summary: 'Current tree head', responses: { 200: { description: 'LogInfo', ...json(s.logInfoSchema) } } } },
    '/api/v1/log/publicKey': {
      get: {
        summary: 'Log public key (PEM)',
        parameters: query(s.publicKeyQuerySchema),
        responses: { 200: { description: 'PEM', content: { 'application/x-pem-file': { schema: { type: 'string' } } } }, 400: err('unknown tree ID') },
      },
    },
    '/api/v1/log/proof': {
      get: {
        summary: 'Consistency proof between two tree sizes',
        parameters: query(s.proofQuerySchema),
        responses: { 200: { description: 'ConsistencyProof', ...json(s.consistencyProofSchema) }, 400: err('bad sizes') },
      },
    },
    '/api/v1/log/entries': {
      post: {
        summary: 'Add an entry (hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2)',
        requestBody: { required: true, ...json(s.proposedEntrySchema) },
        responses: {
          201: { description: 'LogEntry; headers ETag (entryID) and Location', ...json(s.logEntrySchema) },
          400: err('invalid entry'),
          409: err('duplicate; header Location'),
          413: err('body too large'),
          503: err('pushback; header Retry-After'),
        },
      },
      get: {
        summary: 'Entry by log index',
        parameters: query(s.logIndexQuerySchema),
        responses: { 200: { description: 'LogEntry', ...json(s.logEntrySchema) }, 404: err('no such entry') },
      },
    },
    '/api/v1/log/entries/{entryUUID}': {
      get: {
        summary: 'Entry by UUID or entryID',
        parameters: [{ name: 'entryUUID', in: 'path', required: true, schema: s.entryUuidParamsSchema.properties.entryUUID }],
        responses: { 200: { description: 'LogEntry', ...json(s.logEntrySchema) }, 400: err('malformed ID'), 404: err('no such entry') },
      },
    },
    '/api/v1/log/entries/retrieve': {
      post: {
        summary: 'Entries by UUIDs, proposed entries and indexes (≤ 10 in total)',
        requestBody: { required: true, ...json(s.searchLogQuerySchema) },
        responses: { 200: { description: 'LogEntry[]', ...json({ type: 'array', items: s.logEntrySchema }) }, 422: err('more than 10 items') },
      },
    },
    '/api/v1/index/retrieve': {
      post: {
        summary: 'Search the index (complete: written with the entry)',
        requestBody: { required: true, ...json(s.searchIndexSchema) },
        responses: { 200: { description: 'entryIDs', ...json({ type: 'array', items: { type: 'string' } }) }, 400: err('bad query') },
      },
    },
    '/checkpoint': { get: { summary: 'C2SP checkpoint (also /api/v2/checkpoint)', responses: { 200: { description: 'signed note' } } } },
    '/tile/{path}': { get: { summary: 'C2SP tlog-tiles hash tile or entry bundle (also under /api/v2/)', responses: { 200: { description: 'bytes' } } } },
    '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'ok' } } } },
    '/readyz': { get: { summary: 'Readiness (database reachable)', responses: { 200: { description: 'ready' }, 503: err('not ready') } } },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } } },
  },
} as const;

/** Registers GET /api/v1/openapi.json. */
export const openapiRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/openapi.json', { bodyLimit: s.NO_BODY_LIMIT }, async () => OPENAPI_DOCUMENT);
};
