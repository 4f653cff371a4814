// Note verifier keys: key IDs (C2SP signed-note, Rekor v1 checkpoint conventions), the
// "<name>+<hex key ID>+<base64(type || key)>" verifier-key string, and signature checks.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { bytesEqual, concatBytes, decodeBase64Strict, encodeBase64 } from './bytes.js';
import { MerkleError } from './errors.js';
import { sha256 } from './hasher.js';
import { isValidKeyName, type NoteSignature } from './note.js';

/** Signature type byte of Ed25519 note keys (C2SP signed-note). */
export const NOTE_KEY_ED25519 = 0x01;
/** Signature type byte of ECDSA note keys; the key is a DER SubjectPublicKeyInfo. */
export const NOTE_KEY_ECDSA = 0x02;
/** Signature type byte of timestamped Ed25519 cosignatures (C2SP tlog-cosignature). */
export const NOTE_KEY_COSIGNATURE_ED25519 = 0x04;

const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** Key ID of an Ed25519 note key: SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4] (C2SP signed-note). */
export function ed25519NoteKeyId(name: string, rawPublicKey: Uint8Array): Uint8Array {
  return typedKeyId(name, NOTE_KEY_ED25519, rawPublicKey);
}

/**
 * Key ID of an ECDSA note key: SHA-256(DER SPKI)[:4]. No name is mixed in; this is the C2SP rule
 * for type 0x02 and the "key hint" Rekor v1 puts on its checkpoint signatures.
 */
export function ecdsaNoteKeyId(spkiDer: Uint8Array): Uint8Array {
  return sha256(spkiDer).slice(0, 4);
}

function typedKeyId(name: string, type: number, key: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  return sha256(concatBytes(enc.encode(name), Uint8Array.of(0x0a, type), key)).slice(0, 4);
}

/** Ed25519 public KeyObject from the 32 raw key bytes. @throws MerkleError `BAD_KEY`. */
export function ed25519PublicKey(rawPublicKey: Uint8Array): KeyObject {
  if (rawPublicKey.length !== 32) throw new MerkleError('BAD_KEY', 'an Ed25519 key is 32 bytes');
  return createPublicKey({ key: Buffer.from(concatBytes(ED25519_SPKI_PREFIX, rawPublicKey)), format: 'der', type: 'spki' });
}

/** The 32 raw bytes of an Ed25519 public KeyObject. */
export function ed25519RawPublicKey(key: KeyObject): Uint8Array {
  const spki = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** Verifier-key string "<name>+<hex key ID>+<base64(0x01 || key)>" of an Ed25519 note key. */
export function ed25519VerifierKey(name: string, rawPublicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new MerkleError('BAD_KEY', `bad key name ${JSON.stringify(name)}`);
  const id = Buffer.from(ed25519NoteKeyId(name, rawPublicKey)).toString('hex');
  return `${name}+${id}+${encodeBase64(concatBytes(Uint8Array.of(NOTE_KEY_ED25519), rawPublicKey))}`;
}

/**
 * Parses a verifier key "<name>+<hex key ID>+<base64(type || key)>". For Ed25519 (type 0x01) the
 * key must be 32 bytes and the key ID must equal `ed25519NoteKeyId(name, key)`; other types are
 * returned as they are.
 * @throws MerkleError `BAD_KEY` naming the problem.
 */
export function parseVerifierKey(vkey: string): { name: string; keyId: Uint8Array; type: number; key: Uint8Array } {
  const parts = vkey.split('+');
  if (parts.length !== 3) throw new MerkleError('BAD_KEY', 'verifier key must be name+keyid+key');
  const [name, idHex, b64] = parts as [string, string, string];
  if (!isValidKeyName(name)) throw new MerkleError('BAD_KEY', `bad key name ${JSON.stringify(name)}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new MerkleError('BAD_KEY', 'key ID must be 8 lowercase hex digits');
  const blob = decodeBase64Strict(b64);
  if (!blob || blob.length < 2) throw new MerkleError('BAD_KEY', 'bad key encoding');
  const keyId = Uint8Array.from(Buffer.from(idHex, 'hex'));
  const type = blob[0]!;
  const key = blob.slice(1);
  if (type === NOTE_KEY_ED25519) {
    if (key.length !== 32) throw new MerkleError('BAD_KEY', 'an Ed25519 key is 32 bytes');
    if (!bytesEqual(keyId, ed25519NoteKeyId(name, key))) throw new MerkleError('BAD_KEY', 'key ID does not match the key');
  }
  return { name, keyId, type, key };
}

/**
 * Checks one note signature against `key`: Ed25519 (signature over the text bytes, key ID
 * `ed25519NoteKeyId(sig.name, key)`) or ECDSA with SHA-256 and a DER signature (key ID
 * `ecdsaNoteKeyId(spki)`, as Rekor v1 checkpoints). False when the key ID is not this key's or the
 * signature does not verify; a caller should ignore signatures of names/IDs it does not know.
 * @throws MerkleError `UNSUPPORTED_KEY` for any other key type.
 */
export function verifyNoteSignature(text: string, sig: NoteSignature, key: KeyObject): boolean {
  const data = Buffer.from(text, 'utf8');
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      if (!bytesEqual(sig.keyId, ed25519NoteKeyId(sig.name, ed25519RawPublicKey(key)))) return false;
      return sig.signature.length === 64 && verify(null, data, key, sig.signature);
    case 'ec': {
      const spki = key.export({ format: 'der', type: 'spki' });
      if (!bytesEqual(sig.keyId, ecdsaNoteKeyId(spki))) return false;
      // A malformed DER signature makes OpenSSL report failure, not throw; guard anyway.
      try {
        return verify('sha256', data, { key, dsaEncoding: 'der' }, sig.signature);
      } catch {
        return false;
      }
    }
    default:
      throw new MerkleError('UNSUPPORTED_KEY', `cannot verify note signatures with ${key.asymmetricKeyType} keys`);
  }
}
