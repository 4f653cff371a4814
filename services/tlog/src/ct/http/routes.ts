// The CT log's HTTP API under its own prefix (default /ct): RFC 6962 §4 at `<prefix>/ct/v1/*` and
// the C2SP static-ct-api read path at `<prefix>/checkpoint`, `<prefix>/tile/...`, `<prefix>/issuer/<fp>`.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { LogError } from '../../errors.js';
import { parseTilePath } from '../../http/tile-path.js';
import { IMMUTABLE, sendTile } from '../../http/tiles.js';
import type { CtLog } from '../ct-log.js';
import { DEFAULT_CT_PREFIX } from '../personality.js';
import { CT_OK, registerCtErrorHandling } from './errors.js';
import {
  addChainBodySchema,
  consistencyQuerySchema,
  consistencySchema,
  CT_MAX_BODY_BYTES,
  CT_NO_BODY_LIMIT,
  entriesQuerySchema,
  entriesSchema,
  entryAndProofQuerySchema,
  entryAndProofSchema,
  proofByHashQuerySchema,
  proofByHashSchema,
  rootsSchema,
  sctSchema,
  sthSchema,
} from './schemas.js';

/** Options of `ctRoutes`. */
export interface CtRoutesOptions {
  ct: CtLog;
}

const get = { bodyLimit: CT_NO_BODY_LIMIT } as const;

/** Registers the RFC 6962 and static-ct-api routes (register it with `{prefix}`, see `registerCt`). */
export const ctRoutes: FastifyPluginAsync<CtRoutesOptions> = async (app, { ct }) => {
  registerCtErrorHandling(app);
  const add = { bodyLimit: CT_MAX_BODY_BYTES, schema: { body: addChainBodySchema, response: { [CT_OK]: sctSchema } } };
  app.post<{ Body: { chain: string[] } }>('/ct/v1/add-chain', add, async (request) => ct.addChain(request.body.chain));
  app.post<{ Body: { chain: string[] } }>('/ct/v1/add-pre-chain', add, async (request) => ct.addPreChain(request.body.chain));

  app.get('/ct/v1/get-sth', { ...get, schema: { response: { [CT_OK]: sthSchema } } }, async () => ct.getSth());
  app.get<{ Querystring: { first: string; second: string } }>(
    '/ct/v1/get-sth-consistency',
    { ...get, schema: { querystring: consistencyQuerySchema, response: { [CT_OK]: consistencySchema } } },
    async (request) => ct.getSthConsistency(BigInt(request.query.first), BigInt(request.query.second)),
  );
  app.get<{ Querystring: { hash: string; tree_size: string } }>(
    '/ct/v1/get-proof-by-hash',
    { ...get, schema: { querystring: proofByHashQuerySchema, response: { [CT_OK]: proofByHashSchema } } },
    // A '+' sent unescaped arrives as a space; base64 has no spaces, so put it back.
    async (request) => ct.getProofByHash(request.query.hash.replaceAll(' ', '+'), BigInt(request.query.tree_size)),
  );
  app.get<{ Querystring: { start: string; end: string } }>(
    '/ct/v1/get-entries',
    { ...get, schema: { querystring: entriesQuerySchema, response: { [CT_OK]: entriesSchema } } },
    async (request) => ct.getEntries(BigInt(request.query.start), BigInt(request.query.end)),
  );
  app.get<{ Querystring: { leaf_index: string; tree_size: string } }>(
    '/ct/v1/get-entry-and-proof',
    { ...get, schema: { querystring: entryAndProofQuerySchema, response: { [CT_OK]: entryAndProofSchema } } },
    async (request) => ct.getEntryAndProof(BigInt(request.query.leaf_index), BigInt(request.query.tree_size)),
  );
  app.get('/ct/v1/get-roots', { ...get, schema: { response: { [CT_OK]: rootsSchema } } }, async () => ct.getRoots());

  app.get('/checkpoint', get, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('Cache-Control', 'no-cache').send(await ct.checkpoint()),
  );
  app.get<{ Params: { '*': string } }>('/tile/*', get, async (request, reply) => {
    const rest = request.params['*'];
    const data = rest.startsWith('data/');
    let t;
    try {
      t = parseTilePath(data ? `entries/${rest.slice(5)}` : rest);
    } catch (e) {
      throw new LogError('BAD_REQUEST', `tile path ${JSON.stringify(`tile/${rest}`)} is not a static-ct-api tile (tile/<L>/<N>[.p/<W>] or tile/data/<N>[.p/<W>])`, {}, { cause: e });
    }
    const width = t.width === 0 ? 256 : t.width;
    const bytes = t.level === 'entries' ? await ct.dataTile(t.index, width) : await ct.tile(t.level, t.index, width);
    return sendTile(reply, bytes, t.width);
  });
  app.get<{ Params: { fingerprint: string } }>('/issuer/:fingerprint', get, async (request, reply) => {
    const der = await ct.issuer(request.params.fingerprint);
    return reply.type('application/pkix-cert').header('Cache-Control', IMMUTABLE).send(Buffer.from(der));
  });
};

/**
 * Registers the CT routes on `app` under `prefix` (default DEFAULT_CT_PREFIX), so that the log URL
 * is `<base><prefix>` and add-pre-chain is `<base><prefix>/ct/v1/add-pre-chain`. Call before ready().
 */
export function registerCt(app: FastifyInstance, ct: CtLog, opts: { prefix?: string } = {}): void {
  app.register(ctRoutes, { ct, prefix: opts.prefix ?? DEFAULT_CT_PREFIX });
}
