// Test-only Ed25519 note signing, used to reproduce upstream checkpoints byte for byte.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { MerkleError } from '../errors.js';
import { ed25519NoteKeyId } from '../note-keys.js';
import type { NoteSignature } from '../note.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Parses a golang.org/x/mod/sumdb/note private key "PRIVATE+KEY+<name>+<hex id>+base64(0x01||seed)".
 * @throws MerkleError `BAD_KEY`.
 */
export function parseNotePrivateKey(s: string): { name: string; keyId: Uint8Array; privateKey: KeyObject } {
  // The base64 part may contain "+": split at the first four only.
  const m = /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+(.+)$/s.exec(s);
  if (!m) throw new MerkleError('BAD_KEY', 'not a note private key');
  const parts = ['PRIVATE', 'KEY', m[1]!, m[2]!, m[3]!];
  const blob = Buffer.from(parts[4]!, 'base64');
  if (blob.length !== 33 || blob[0] !== 1) throw new MerkleError('BAD_KEY', 'only Ed25519 note private keys are supported');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, blob.subarray(1)]), format: 'der', type: 'pkcs8' });
  return { name: parts[2]!, keyId: Uint8Array.from(Buffer.from(parts[3]!, 'hex')), privateKey };
}

/** Signs note `text` with an Ed25519 key under `name`, computing the key ID from the public key. */
export function signNoteEd25519(text: string, name: string, privateKey: KeyObject): NoteSignature {
  const pub = rawPublicFrom(privateKey);
  return {
    name,
    keyId: ed25519NoteKeyId(name, pub),
    signature: new Uint8Array(sign(null, Buffer.from(text, 'utf8'), privateKey)),
  };
}

function rawPublicFrom(privateKey: KeyObject): Uint8Array {
  const jwk = privateKey.export({ format: 'jwk' });
  return Uint8Array.from(Buffer.from(jwk.x!, 'base64url'));
}
