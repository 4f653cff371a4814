// C2SP tlog-checkpoint body: origin line, decimal tree size, base64 root hash, then optional
// extension lines (Rekor v1 puts "Timestamp: <ns>" there). The body is the text of a signed note.
import { decodeBase64Strict, encodeBase64, HASH_SIZE } from './bytes.js';
import { MerkleError } from './errors.js';

/** A parsed checkpoint body. `extensions` are the lines after the root hash, without newlines. */
export interface Checkpoint {
  origin: string;
  size: bigint;
  rootHash: Uint8Array;
  extensions: string[];
}

/**
 * The checkpoint body (note text), ending with "\n".
 * @throws MerkleError `BAD_CHECKPOINT` for an empty origin, a negative size, a root hash that is
 *   not 32 bytes, or an origin/extension that is empty (extensions) or contains a newline.
 */
export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin.length === 0 || c.origin.includes('\n')) throw new MerkleError('BAD_CHECKPOINT', 'bad origin');
  if (c.size < 0n) throw new MerkleError('BAD_CHECKPOINT', 'negative tree size');
  if (c.rootHash.length !== HASH_SIZE) throw new MerkleError('BAD_CHECKPOINT', 'root hash must be 32 bytes');
  for (const e of c.extensions) {
    if (e.length === 0 || e.includes('\n')) throw new MerkleError('BAD_CHECKPOINT', 'bad extension line');
  }
  return [c.origin, c.size.toString(), encodeBase64(c.rootHash), ...c.extensions].join('\n') + '\n';
}

/**
 * Parses a checkpoint body (the text of a signed note, not the whole note). Strict: the size has
 * no sign or leading zeros, the root is canonical base64 of 32 bytes, extension lines are non-empty.
 * @throws MerkleError `BAD_CHECKPOINT` naming the problem.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new MerkleError('BAD_CHECKPOINT', 'checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new MerkleError('BAD_CHECKPOINT', 'checkpoint needs origin, size and root lines');
  const [origin, sizeStr, rootStr, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new MerkleError('BAD_CHECKPOINT', 'empty origin');
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeStr) || BigInt(sizeStr) >= 1n << 64n) {
    throw new MerkleError('BAD_CHECKPOINT', `bad tree size ${JSON.stringify(sizeStr)}`);
  }
  const rootHash = decodeBase64Strict(rootStr);
  if (!rootHash || rootHash.length !== HASH_SIZE) throw new MerkleError('BAD_CHECKPOINT', 'bad root hash');
  if (extensions.some((e) => e.length === 0)) throw new MerkleError('BAD_CHECKPOINT', 'empty extension line');
  return { origin, size: BigInt(sizeStr), rootHash, extensions };
}
