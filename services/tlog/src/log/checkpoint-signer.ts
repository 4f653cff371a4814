// Signs C2SP checkpoints (signed notes) for the log's tree heads.
import { ecdsaNoteKeyId, ed25519NoteKeyId, formatCheckpoint, formatSignedNote } from '@signet/merkle';
import type { Signer } from '@signet/pki';
import { LogError } from '../errors.js';

const encoder = new TextEncoder();
/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key is the last 32 bytes. */
const ED25519_SPKI_LENGTH = 44;

/**
 * The signed-note key hint used unless configured: the C2SP Ed25519 key ID for Ed25519 keys, else
 * SHA-256(SPKI)[:4] (the C2SP ECDSA ID, and Rekor v1's `logID[:4]` for every key type).
 */
export function defaultNoteKeyId(signer: Signer, noteKeyName: string): Uint8Array {
  if (signer.algorithm === 'ed25519') {
    if (signer.publicKeyDer.length !== ED25519_SPKI_LENGTH) {
      throw new LogError('BAD_REQUEST', 'Ed25519 signer has an unexpected SubjectPublicKeyInfo');
    }
    return ed25519NoteKeyId(noteKeyName, signer.publicKeyDer.subarray(ED25519_SPKI_LENGTH - 32));
  }
  return ecdsaNoteKeyId(signer.publicKeyDer);
}

/** Checks a signed-note key name: non-empty, no whitespace, no '+' (C2SP signed-note). */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !/[\s+]/u.test(name);
}

/**
 * Signs checkpoints `origin / size / base64(root)` with one key. Callers must only ask for sizes
 * and roots of the log's real history (see docs/design/sequencer.md: never two inconsistent heads).
 */
export class CheckpointSigner {
  constructor(
    private readonly signer: Signer,
    readonly origin: string,
    readonly keyName: string,
    readonly keyId: Uint8Array,
  ) {}

  /** The signed note for (size, root). Throws whatever the signer throws (an HSM failing…). */
  async sign(size: bigint, rootHash: Uint8Array): Promise<string> {
    const text = formatCheckpoint({ origin: this.origin, size, rootHash, extensions: [] });
    const signature = await this.signer.sign(encoder.encode(text));
    return formatSignedNote(text, [{ name: this.keyName, keyId: this.keyId, signature }]);
  }
}
