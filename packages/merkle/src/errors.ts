/** Every way a `@signet/merkle` call can fail. Tests assert these codes, never messages. */
export type MerkleErrorCode =
  /** A leaf index is not below the tree size (or is negative). */
  | 'INDEX_OUT_OF_RANGE'
  /** A proof has more or fewer hashes than the (index, size) or (size1, size2) pair requires. */
  | 'WRONG_PROOF_SIZE'
  /** The root recomputed from a proof differs from the expected root. */
  | 'ROOT_MISMATCH'
  /** A leaf hash, proof hash or tile hash is not 32 bytes. */
  | 'BAD_HASH_SIZE'
  /** Tree sizes are negative, out of order, or size1 = 0 for a consistency check. */
  | 'BAD_SIZES'
  /** A string is not a valid C2SP tlog-tiles path, or a level/index/width is out of range. */
  | 'BAD_TILE_PATH'
  /** A tile source returned a tile narrower than the hashes needed from it. */
  | 'BAD_TILE'
  /** An entry bundle is malformed, or entries do not fit in one (C2SP tlog-tiles). */
  | 'BAD_BUNDLE'
  /** Text is not a valid C2SP tlog-checkpoint body. */
  | 'BAD_CHECKPOINT'
  /** Text is not a valid C2SP signed note (layout, signature lines, key name). */
  | 'BAD_NOTE'
  /** A signed note carries no valid signature by any trusted key. */
  | 'UNVERIFIED_NOTE'
  /** A verifier key string or public key is malformed or does not match its key ID. */
  | 'BAD_KEY'
  /** The key type is not one this package can verify (Ed25519 and ECDSA only). */
  | 'UNSUPPORTED_KEY';

/** The one error class of `@signet/merkle`. Foreign errors are kept in `cause`. */
export class MerkleError extends Error {
  override readonly name = 'MerkleError';
  readonly code: MerkleErrorCode;

  constructor(code: MerkleErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
  }
}
