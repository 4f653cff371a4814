// POST /api/v1/index/retrieve (rekor.md §5): entryIDs by artifact hash, email, SAN or public key.
// The index is written in the same transaction as the entry, so it never misses an acknowledged one.
import type { FastifyPluginAsync } from 'fastify';
import type { RekorLog } from '../rekor/rekor-log.js';
import type { SearchIndexQuery } from '../rekor/search-index.js';
import { SUCCESS } from './errors.js';
import { searchIndexSchema } from './schemas.js';

/** Dependencies of the search route. */
export interface SearchRoutesOptions {
  rekor: RekorLog;
  maxBodyBytes: number;
}

/** Registers POST /api/v1/index/retrieve. */
export const searchRoutes: FastifyPluginAsync<SearchRoutesOptions> = async (app, { rekor, maxBodyBytes }) => {
  app.post<{ Body: SearchIndexQuery }>(
    '/api/v1/index/retrieve',
    {
      bodyLimit: maxBodyBytes,
      schema: { body: searchIndexSchema, response: { [SUCCESS.ok]: { type: 'array', items: { type: 'string' } } } },
    },
    async (request) => rekor.searchIndex(request.body ?? {}),
  );
};
