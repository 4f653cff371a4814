// Note verifier keys: key IDs (C2SP signed-note, Rekor v1 checkpoint conventions), the
// "<name>+<hex key ID>+<base64(type || key)>" verifier-key string, and signature checks.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { bytesEqual, concatBytes, decodeBase64Strict, encodeBase64 } from './bytes.js';
import { MerkleError } from './errors.js';
import { sha256 } from './hasher.js';
import { isValidKeyName, parseSignedNote, type NoteSignature } from './note.js';

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
  // The base64 key may itself contain "+", so split only at the first two.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!m) throw new MerkleError('BAD_KEY', 'verifier key must be name+keyid+key');
  const [, name, idHex, b64] = m as unknown as [string, string, string, string];
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
 * The note key ID of `key` under `name`: `ed25519NoteKeyId` for Ed25519, `ecdsaNoteKeyId` for EC.
 * @throws MerkleError `UNSUPPORTED_KEY` for any other key type.
 */
export function noteKeyIdOf(name: string, key: KeyObject): Uint8Array {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return ed25519NoteKeyId(name, ed25519RawPublicKey(key));
    case 'ec':
      return ecdsaNoteKeyId(key.export({ format: 'der', type: 'spki' }));
    default:
      throw new MerkleError('UNSUPPORTED_KEY', `no note key IDs for ${key.asymmetricKeyType} keys`);
  }
}

/**
 * Checks one note signature against `key`: Ed25519 (signature over the text bytes, key ID
 * `ed25519NoteKeyId(sig.name, key)`) or ECDSA with SHA-256 and a DER signature (key ID
 * `ecdsaNoteKeyId(spki)`, as Rekor v1 checkpoints). False when the key ID is not this key's or the
 * signature does not verify; a caller should ignore signatures of names/IDs it does not know.
 * @throws MerkleError `UNSUPPORTED_KEY` for any key that is neither Ed25519 nor EC.
 */
export function verifyNoteSignature(text: string, sig: NoteSignature, key: KeyObject): boolean {
  if (!bytesEqual(sig.keyId, noteKeyIdOf(sig.name, key))) return false;
  const data = Buffer.from(text, 'utf8');
  if (key.asymmetricKeyType === 'ed25519') return sig.signature.length === 64 && verify(null, data, key, sig.signature);
  // A malformed DER signature makes OpenSSL report failure, not throw; guard anyway.
  try {
    return verify('sha256', data, { key, dsaEncoding: 'der' }, sig.signature);
  } catch {
    return false;
  }
}

/** A key a note reader trusts: signatures are matched to it by name and key ID. */
export interface NoteVerifier {
  name: string;
  key: KeyObject;
}

/**
 * Opens a signed note with the verifiers the reader trusts (C2SP signed-note): signatures whose
 * name and key ID match no verifier are ignored (e.g. witness cosignatures), at least one must
 * match, and every matching one must verify.
 * @throws MerkleError `BAD_NOTE` (malformed), `UNVERIFIED_NOTE` (no trusted signature, or a
 *   trusted key's signature is invalid), `UNSUPPORTED_KEY`.
 */
export function openSignedNote(note: string, verifiers: NoteVerifier[]): { text: string; verified: NoteSignature[] } {
  const { text, signatures } = parseSignedNote(note);
  const ids = verifiers.map((v) => ({ ...v, id: noteKeyIdOf(v.name, v.key) }));
  const verified: NoteSignature[] = [];
  for (const sig of signatures) {
    const v = ids.find((k) => k.name === sig.name && bytesEqual(k.id, sig.keyId));
    if (!v) continue;
    if (!verifyNoteSignature(text, sig, v.key)) throw new MerkleError('UNVERIFIED_NOTE', `invalid signature by ${sig.name}`);
    verified.push(sig);
  }
  if (verified.length === 0) throw new MerkleError('UNVERIFIED_NOTE', 'no signature by a trusted key');
  return { text, verified };
}
