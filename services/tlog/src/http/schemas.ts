// JSON Schemas of the Rekor v1 API bodies, parameters and responses (Rekor's openapi.yaml, as `const`
// objects). Routes validate with them, fastify serialises with them, and openapi.ts publishes them.

const hex64 = { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } as const;
const treeIdParam = { type: 'string', pattern: '^[0-9]+$', description: 'decimal tree ID (shard)' } as const;
/**
 * A log index or tree size in a query or JSON number: a non-negative integer no larger than
 * 2^53-1. Larger values (2^63, `1e30`) cannot travel exactly as JSON numbers and cannot exist in
 * a tree; they are a 400 here instead of an out-of-range error from the database. (A query's
 * `Infinity` passes ajv's integer and maximum checks after coercion; query.ts refuses it.)
 */
const indexNumber = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
const sizeNumber = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

/** ProposedEntry: the kind-specific `spec` is validated by the kind itself (rekor/kinds). */
export const proposedEntrySchema = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { type: 'string', description: 'hashedrekord | dsse | intoto' },
    apiVersion: { type: 'string' },
    spec: { type: 'object' },
  },
} as const;

/** The value under the entryID key of a LogEntry. */
export const logEntryAnonSchema = {
  type: 'object',
  required: ['body', 'integratedTime', 'logID', 'logIndex', 'verification'],
  properties: {
    body: { type: 'string', description: 'base64 of the canonicalized entry (the Merkle leaf)' },
    integratedTime: { type: 'integer', description: 'Unix seconds' },
    logID: { ...hex64, description: 'hex SHA-256 of the log key DER SPKI' },
    logIndex: { type: 'integer', minimum: 0 },
    verification: {
      type: 'object',
      properties: {
        signedEntryTimestamp: { type: 'string', description: 'base64 signature over JCS {body, integratedTime, logID, logIndex}' },
        inclusionProof: {
          type: 'object',
          required: ['logIndex', 'rootHash', 'treeSize', 'hashes', 'checkpoint'],
          properties: {
            logIndex: { type: 'integer', minimum: 0 },
            rootHash: hex64,
            treeSize: { type: 'integer', minimum: 1 },
            hashes: { type: 'array', items: hex64 },
            checkpoint: { type: 'string', description: 'signed note' },
          },
        },
      },
    },
  },
} as const;

/** LogEntry: exactly one key, the 80-hex entryID. */
export const logEntrySchema = { type: 'object', additionalProperties: logEntryAnonSchema } as const;

/** SearchLogQuery (POST /api/v1/log/entries/retrieve); more than 10 items in total is a 422. */
export const searchLogQuerySchema = {
  type: 'object',
  properties: {
    entryUUIDs: { type: 'array', minItems: 1, items: { type: 'string' } },
    logIndexes: { type: 'array', minItems: 1, items: indexNumber },
    entries: { type: 'array', minItems: 1, items: proposedEntrySchema },
  },
} as const;

/** SearchIndex (POST /api/v1/index/retrieve). */
export const searchIndexSchema = {
  type: 'object',
  properties: {
    email: { type: 'string', format: 'email' },
    subject: { type: 'string' },
    hash: { type: 'string' },
    publicKey: {
      type: 'object',
      required: ['format'],
      properties: {
        format: { type: 'string', enum: ['pgp', 'x509', 'minisign', 'ssh', 'tuf'] },
        content: { type: 'string' },
        url: { type: 'string' },
      },
    },
    operator: { type: 'string', enum: ['and', 'or'] },
  },
} as const;

/** LogInfo (GET /api/v1/log). */
export const logInfoSchema = {
  type: 'object',
  required: ['rootHash', 'treeSize', 'signedTreeHead', 'treeID'],
  properties: {
    rootHash: hex64,
    treeSize: { type: 'integer', minimum: 0 },
    signedTreeHead: { type: 'string' },
    treeID: { type: 'string', pattern: '^[0-9]+$' },
  },
} as const;

/** ConsistencyProof (GET /api/v1/log/proof). */
export const consistencyProofSchema = {
  type: 'object',
  required: ['rootHash', 'hashes'],
  properties: { rootHash: hex64, hashes: { type: 'array', items: hex64 } },
} as const;

/** Query of GET /api/v1/log/proof. */
export const proofQuerySchema = {
  type: 'object',
  required: ['lastSize'],
  properties: {
    firstSize: { ...sizeNumber, default: 1 },
    lastSize: sizeNumber,
    treeID: treeIdParam,
  },
} as const;

/** Query of GET /api/v1/log/publicKey. */
export const publicKeyQuerySchema = { type: 'object', properties: { treeID: treeIdParam } } as const;

/** Query of GET /api/v1/log/entries. */
export const logIndexQuerySchema = {
  type: 'object',
  required: ['logIndex'],
  properties: { logIndex: indexNumber },
} as const;

/** Params of GET /api/v1/log/entries/{entryUUID}. */
export const entryUuidParamsSchema = {
  type: 'object',
  required: ['entryUUID'],
  properties: { entryUUID: { type: 'string', description: '64-hex UUID or 80-hex entryID' } },
} as const;

/** Rekor's error body. */
export const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer' }, message: { type: 'string' } },
} as const;

/** Body limit of routes that take no body. */
export const NO_BODY_LIMIT = 1024;
