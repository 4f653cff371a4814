import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { ed25519PublicKey, openSignedNote, parseVerifierKey, verifyNoteSignature } from './note-keys.js';
import { formatSignedNote, parseSignedNote } from './note.js';
import { assertThrowsCode, loadVector, signNoteEd25519 } from './testonly/index.js';

// Vector file: signed-notes.json
const v = loadVector('signed-notes.json');

test('verifiable notes verify with their verifier keys, and re-format byte for byte', () => {
  for (const item of v.verifiable) {
    const vk = parseVerifierKey(item.verifierKey);
    const key = ed25519PublicKey(vk.key);
    const { text, signatures } = parseSignedNote(item.signedNote);
    if (item.noteText) assert.equal(text, item.noteText);
    assert.equal(signatures.length, 1);
    assert.ok(verifyNoteSignature(text, signatures[0]!, key), item.name);
    assert.deepEqual(openSignedNote(item.signedNote, [{ name: vk.name, key }]).verified, signatures);
    assert.equal(formatSignedNote(text, signatures), item.signedNote);
    // A changed text no longer verifies.
    assert.equal(verifyNoteSignature(text.replace(/.$/s, ' \n'), signatures[0]!, key), false);
  }
});

test('parse-only notes parse; signatures by unknown keys are ignored, none known is an error', () => {
  const known = v.verifiable[0];
  const vk = parseVerifierKey(known.verifierKey);
  const trusted = [{ name: vk.name, key: ed25519PublicKey(vk.key) }];
  for (const item of v.parseOnly.filter((x: any) => x.signedNote)) {
    const { text, signatures } = parseSignedNote(item.signedNote);
    assert.ok(text.startsWith(item.signedNote.split('\n')[0]));
    assert.ok(signatures.every((s) => s.keyId.length === 4 && s.signature.length > 0));
    assertThrowsCode(() => openSignedNote(item.signedNote, trusted), 'UNVERIFIED_NOTE', item.name);
    // Adding a real signature by a trusted key makes the note open, the unknown ones still ignored.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const extra = signNoteEd25519(text, 'signet.example/test', privateKey);
    const note = formatSignedNote(text, [...signatures, extra]);
    const opened = openSignedNote(note, [...trusted, { name: 'signet.example/test', key: publicKey }]);
    assert.deepEqual(opened.verified, [extra]);
  }
  const cosig = parseSignedNote(v.parseOnly[1].signedNote).signatures[1]!;
  assert.equal(cosig.name, 'witness.example.com/w1');
  assert.equal(cosig.signature.length, 8 + 64);
  // The witness request body has a blank line inside; the note is what follows the last one.
  const body = v.parseOnly[2].requestBody;
  assert.equal(parseSignedNote(body).signatures.length, 2);
});

test('a trusted key whose signature does not verify rejects the note', () => {
  const item = v.verifiable[0];
  const vk = parseVerifierKey(item.verifierKey);
  const bad = item.signedNote.replace('Uw2QOkn8', 'Uw2QOkn9');
  assertThrowsCode(() => openSignedNote(bad, [{ name: vk.name, key: ed25519PublicKey(vk.key) }]), 'UNVERIFIED_NOTE');
});

test('malformed notes are rejected with BAD_NOTE', () => {
  const sig = '\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
  for (const [what, note] of [
    ['no blank line', 'text\n' + sig],
    ['no signature', 'text\n\n'],
    ['no final newline', 'text\n\n' + sig.slice(0, -1)],
    ['hyphen instead of em dash', 'text\n\n' + sig.replace('\u2014', '-')],
    ['short signature', 'text\n\n\u2014 a AAAA\n'],
    ['bad base64', 'text\n\n\u2014 a AAAA!AAA\n'],
    ['name with plus', 'text\n\n\u2014 a+b AAAAAAAA\n'],
    ['control character', 'te\txt\n\n' + sig],
    ['empty signature line', 'text\n\n' + sig + '\n'],
    ['too many signatures', 'text\n\n' + sig.repeat(101)],
  ] as const) {
    assertThrowsCode(() => parseSignedNote(note), 'BAD_NOTE', what);
  }
  const s = { name: 'a', keyId: new Uint8Array(4), signature: new Uint8Array(64) };
  assertThrowsCode(() => formatSignedNote('no newline', [s]), 'BAD_NOTE');
  assertThrowsCode(() => formatSignedNote('x\n', []), 'BAD_NOTE');
  assertThrowsCode(() => formatSignedNote('x\n', [{ ...s, name: 'a b' }]), 'BAD_NOTE');
  assertThrowsCode(() => formatSignedNote('x\n', [{ ...s, keyId: new Uint8Array(5) }]), 'BAD_NOTE');
});
