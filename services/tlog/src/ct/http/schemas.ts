// JSON Schemas of the CT routes (RFC 6962 §4), `as const` for fastify.

/** Body limit of add-chain / add-pre-chain: ample for MAX_CHAIN_LENGTH certificates in base64. */
export const CT_MAX_BODY_BYTES = 128 * 1024;
/** Body limit of routes that take no body. */
export const CT_NO_BODY_LIMIT = 1024;

/** A tree size or index in a query string: decimal, no sign, at most 18 digits (below 2^63). */
const index = { type: 'string', pattern: '^(0|[1-9][0-9]{0,17})$' } as const;

export const addChainBodySchema = {
  type: 'object',
  required: ['chain'],
  properties: { chain: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'string', maxLength: CT_MAX_BODY_BYTES } } },
} as const;

export const sctSchema = {
  type: 'object',
  required: ['sct_version', 'id', 'timestamp', 'extensions', 'signature'],
  properties: {
    sct_version: { type: 'integer' },
    id: { type: 'string' },
    timestamp: { type: 'integer' },
    extensions: { type: 'string' },
    signature: { type: 'string' },
  },
} as const;

export const sthSchema = {
  type: 'object',
  required: ['tree_size', 'timestamp', 'sha256_root_hash', 'tree_head_signature'],
  properties: {
    tree_size: { type: 'integer' },
    timestamp: { type: 'integer' },
    sha256_root_hash: { type: 'string' },
    tree_head_signature: { type: 'string' },
  },
} as const;

export const consistencyQuerySchema = {
  type: 'object',
  required: ['first', 'second'],
  properties: { first: index, second: index },
} as const;

export const proofByHashQuerySchema = {
  type: 'object',
  required: ['hash', 'tree_size'],
  properties: { hash: { type: 'string', maxLength: 64 }, tree_size: index },
} as const;

export const entriesQuerySchema = {
  type: 'object',
  required: ['start', 'end'],
  properties: { start: index, end: index },
} as const;

export const entryAndProofQuerySchema = {
  type: 'object',
  required: ['leaf_index', 'tree_size'],
  properties: { leaf_index: index, tree_size: index },
} as const;

const stringArray = { type: 'array', items: { type: 'string' } } as const;

export const consistencySchema = { type: 'object', required: ['consistency'], properties: { consistency: stringArray } } as const;
export const proofByHashSchema = {
  type: 'object',
  required: ['leaf_index', 'audit_path'],
  properties: { leaf_index: { type: 'integer' }, audit_path: stringArray },
} as const;
const entry = { leaf_input: { type: 'string' }, extra_data: { type: 'string' } } as const;
export const entriesSchema = {
  type: 'object',
  required: ['entries'],
  properties: { entries: { type: 'array', items: { type: 'object', required: ['leaf_input', 'extra_data'], properties: entry } } },
} as const;
export const entryAndProofSchema = {
  type: 'object',
  required: ['leaf_input', 'extra_data', 'audit_path'],
  properties: { ...entry, audit_path: stringArray },
} as const;
export const rootsSchema = { type: 'object', required: ['certificates'], properties: { certificates: stringArray } } as const;
