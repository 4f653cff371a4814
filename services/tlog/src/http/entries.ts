// POST/GET /api/v1/log/entries, GET /api/v1/log/entries/{entryUUID}, POST /api/v1/log/entries/retrieve
// (rekor.md §1). 201 carries ETag and Location; a duplicate is a LogError ENTRY_EXISTS → 409.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RekorLog, SearchLogQuery } from '../rekor/rekor-log.js';
import { SUCCESS } from './errors.js';
import { queryInteger } from './query.js';
import {
  entryUuidParamsSchema,
  errorSchema,
  logEntrySchema,
  logIndexQuerySchema,
  NO_BODY_LIMIT,
  proposedEntrySchema,
  searchLogQuerySchema,
} from './schemas.js';

/** What fastify sends for an object payload, so the text answer carries the same header. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** Dependencies of the entry routes. */
export interface EntriesRoutesOptions {
  rekor: RekorLog;
  /** Largest accepted request body in bytes (413 above it). */
  maxBodyBytes: number;
}

/** A LogEntry sent as the JSON bytes `LogEntryWriter` writes (what the 200's schema would serialise, faster). */
const sendLogEntry = (reply: FastifyReply, json: Buffer): FastifyReply => reply.type(JSON_TYPE).send(json);

/** Registers the entry routes. */
export const entriesRoutes: FastifyPluginAsync<EntriesRoutesOptions> = async (app, opts) => {
  const { rekor, maxBodyBytes } = opts;

  app.post(
    '/api/v1/log/entries',
    { bodyLimit: maxBodyBytes, schema: { body: proposedEntrySchema, response: { [SUCCESS.created]: logEntrySchema, '4xx': errorSchema } } },
    async (request, reply) => {
      // The LogEntry comes as JSON bytes (the schema above documents it; a Buffer is sent as is).
      const { entryId, json } = await rekor.createEntryJson(request.body);
      const path = request.url.split('?')[0]!.replace(/\/+$/, '');
      reply.code(SUCCESS.created).header('ETag', entryId).header('Location', `${path}/${entryId}`).type(JSON_TYPE);
      return json;
    },
  );

  app.get<{ Querystring: { logIndex: number } }>(
    '/api/v1/log/entries',
    { bodyLimit: NO_BODY_LIMIT, schema: { querystring: logIndexQuerySchema, response: { [SUCCESS.ok]: logEntrySchema } } },
    async (request, reply) => sendLogEntry(reply, await rekor.entryJsonByIndex(queryInteger(request.query.logIndex, 'logIndex'))),
  );

  app.get<{ Params: { entryUUID: string } }>(
    '/api/v1/log/entries/:entryUUID',
    { bodyLimit: NO_BODY_LIMIT, schema: { params: entryUuidParamsSchema, response: { [SUCCESS.ok]: logEntrySchema } } },
    async (request, reply) => sendLogEntry(reply, await rekor.entryJsonById(request.params.entryUUID)),
  );

  app.post<{ Body: SearchLogQuery }>(
    '/api/v1/log/entries/retrieve',
    {
      bodyLimit: maxBodyBytes,
      schema: { body: searchLogQuerySchema, response: { [SUCCESS.ok]: { type: 'array', items: logEntrySchema } } },
    },
    async (request) => rekor.retrieve(request.body ?? {}),
  );
};
