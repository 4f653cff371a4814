// The C2SP tlog-tiles read API (rekor.md §7): /checkpoint, /tile/<L>/<N>[.p/<W>] and
// /tile/entries/<N>[.p/<W>], served at the root and under /api/v2/. Full tiles never change, so they
// are cached as immutable; partial tiles briefly; the checkpoint not at all.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { LogEngine } from '../rekor/engine.js';
import { parseTilePath } from './tile-path.js';
import { NO_BODY_LIMIT } from './schemas.js';

/** Dependencies of the tile routes. */
export interface TileRoutesOptions {
  engine: LogEngine;
}

/** Cache-Control of content that never changes (full tiles, issuers). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
const PARTIAL = 'public, max-age=60';

/**
 * Sends tile or bundle bytes: `application/octet-stream`, cached as immutable when `width` is 0
 * (a full tile, which never changes) and briefly otherwise (a partial tile grows).
 */
export function sendTile(reply: FastifyReply, bytes: Uint8Array, width: number): FastifyReply {
  return reply
    .type('application/octet-stream')
    .header('Cache-Control', width === 0 ? IMMUTABLE : PARTIAL)
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
const TILE_PARAMS = { type: 'object', properties: { '*': { type: 'string', maxLength: 128 } } } as const;

/** Registers the tile routes under '' and '/api/v2'. */
export const tileRoutes: FastifyPluginAsync<TileRoutesOptions> = async (app, { engine }) => {
  for (const prefix of ['', '/api/v2']) {
    app.get(`${prefix}/checkpoint`, { bodyLimit: NO_BODY_LIMIT, schema: { response: { 200: { type: 'string' } } } }, async (_request, reply) => {
      const head = await engine.head();
      return reply.type('text/plain; charset=utf-8').header('Cache-Control', 'no-cache').send(head.checkpoint);
    });

    app.get<{ Params: { '*': string } }>(`${prefix}/tile/*`, { bodyLimit: NO_BODY_LIMIT, schema: { params: TILE_PARAMS } }, async (request, reply) => {
      const t = parseTilePath(request.params['*']);
      const width = t.width === 0 ? 256 : t.width;
      const bytes = t.level === 'entries' ? await engine.entryBundle(t.index, width) : await engine.tile(t.level, t.index, width);
      return sendTile(reply, bytes, t.width);
    });
  }
};
