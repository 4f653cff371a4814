import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from './hasher.js';
import {
  ecdsaNoteKeyId,
  ed25519NoteKeyId,
  ed25519PublicKey,
  ed25519RawPublicKey,
  ed25519VerifierKey,
  noteKeyIdOf,
  openSignedNote,
  parseVerifierKey,
  verifyNoteSignature,
} from './note-keys.js';
import { parseSignedNote } from './note.js';
import { parseCheckpoint } from './checkpoint.js';
import { assertThrowsCode, hex, loadVector, toHex } from './testonly/index.js';
import { verifyInclusion } from './verify.js';

// Vector files: rekor-v1-entries.json, rekor-v2-entries.json, signed-notes.json
const v1 = loadVector('rekor-v1-entries.json');
const v2 = loadVector('rekor-v2-entries.json');
const notes = loadVector('signed-notes.json');
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

test('Rekor v1: ECDSA checkpoints verify, key hint = log ID[:4], proofs lead to the root', () => {
  for (const e of v1.entries) {
    const spki = b64(e.logPublicKey.spkiDerBase64);
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    assert.equal(toHex(ecdsaNoteKeyId(spki)), e.logPublicKey.logIdHex.slice(0, 8));
    const resp = Object.values(e.logEntryResponse)[0] as any;
    const ip = resp.verification.inclusionProof;
    const note = parseSignedNote(ip.checkpoint);
    const sig = note.signatures[0]!;
    assert.ok(verifyNoteSignature(note.text, sig, key), e.name);
    assert.equal(verifyNoteSignature(note.text + 'x\n', sig, key), false);
    assert.equal(openSignedNote(ip.checkpoint, [{ name: sig.name, key }]).verified.length, 1);
    // The leaf hash is the entry UUID (Rekor v1) and the proof leads to the checkpoint root.
    const cp = parseCheckpoint(note.text);
    verifyInclusion(BigInt(ip.logIndex), BigInt(ip.treeSize), hex(e.derived.uuid), ip.hashes.map(hex), cp.rootHash);
  }
});

test('Rekor v2: Ed25519 checkpoints verify, log ID = full SHA-256 of the key-ID preimage', () => {
  for (const e of v2.entries) {
    const key = createPublicKey({ key: Buffer.from(b64(e.log.spkiDerBase64)), format: 'der', type: 'spki' });
    const raw = ed25519RawPublicKey(key);
    const pre = Buffer.concat([Buffer.from(e.log.origin), Buffer.from([0x0a, 0x01]), raw]);
    assert.deepEqual(sha256(pre), b64(e.log.logIdBase64));
    assert.deepEqual(ed25519NoteKeyId(e.log.origin, raw), b64(e.log.logIdBase64).slice(0, 4));
    const tle = e.transparencyLogEntry;
    const { text } = openSignedNote(tle.inclusionProof.checkpoint.envelope, [{ name: e.log.origin, key }]);
    const cp = parseCheckpoint(text);
    verifyInclusion(BigInt(tle.inclusionProof.logIndex), cp.size, hex(e.derived.leafHash), tle.inclusionProof.hashes.map(b64), cp.rootHash);
  }
  // A cosigned checkpoint: the unknown witness line is ignored.
  const e = v2.entries[0];
  const key = createPublicKey({ key: Buffer.from(b64(e.log.spkiDerBase64)), format: 'der', type: 'spki' });
  assert.equal(openSignedNote(v2.cosignedCheckpointExample.signedNote, [{ name: e.log.origin, key }]).verified.length, 1);
});

test('verifier keys parse, check their key ID, and are produced by ed25519VerifierKey', () => {
  for (const item of notes.verifiable) {
    const vk = parseVerifierKey(item.verifierKey);
    assert.equal(vk.type, 1);
    assert.equal(ed25519VerifierKey(vk.name, vk.key), item.verifierKey);
    if (item.publicKeyPem) assert.deepEqual(ed25519RawPublicKey(createPublicKey(item.publicKeyPem)), vk.key);
  }
  const good = notes.verifiable[0].verifierKey as string;
  for (const bad of [
    good.replace('+530d903a+', '+530d903b+'),
    good.replace('example.com/foo', ''),
    good.replace('+530d903a+', '+530D903A+'),
    good.slice(0, -4),
    'name+530d903a',
    good.replace('+Aek', '+Aak'),
  ]) {
    assertThrowsCode(() => parseVerifierKey(bad), 'BAD_KEY', bad);
  }
  // Non-Ed25519 types are returned as they are.
  const other = parseVerifierKey(`n+01020304+${Buffer.from([0xff, 1, 2, 3]).toString('base64')}`);
  assert.deepEqual(other, { name: 'n', keyId: Uint8Array.of(1, 2, 3, 4), type: 0xff, key: Uint8Array.of(1, 2, 3) });
});

test('key helpers reject wrong sizes and unsupported key types', () => {
  assertThrowsCode(() => ed25519PublicKey(new Uint8Array(31)), 'BAD_KEY');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  assertThrowsCode(() => noteKeyIdOf('n', rsa), 'UNSUPPORTED_KEY');
  const sig = { name: 'n', keyId: new Uint8Array(4), signature: new Uint8Array(64) };
  assertThrowsCode(() => verifyNoteSignature('t\n', sig, rsa), 'UNSUPPORTED_KEY');
  // Wrong key ID or a garbage ECDSA signature: false, not a throw.
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  assert.equal(verifyNoteSignature('t\n', sig, ec), false);
  const spki = ec.export({ format: 'der', type: 'spki' });
  assert.equal(verifyNoteSignature('t\n', { ...sig, keyId: ecdsaNoteKeyId(spki) }, ec), false);
});
