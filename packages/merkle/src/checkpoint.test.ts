import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { parseSignedNote } from './note.js';
import { assertThrowsCode, loadVector } from './testonly/index.js';

// Vector files: signed-notes.json, rekor-v1-entries.json
const notes = loadVector('signed-notes.json');
const v1 = loadVector('rekor-v1-entries.json');

test('the C2SP example checkpoint parses and formats back to the same text', () => {
  const ex = notes.parseOnly[0];
  const { text } = parseSignedNote(ex.signedNote);
  const c = parseCheckpoint(text);
  assert.equal(c.origin, ex.origin);
  assert.equal(c.size, BigInt(ex.treeSize));
  assert.equal(Buffer.from(c.rootHash).toString('base64'), ex.rootHashBase64);
  assert.deepEqual(c.extensions, []);
  assert.equal(formatCheckpoint(c), text);
});

test('Rekor v1 checkpoints (origin with spaces, optional Timestamp extension) round-trip', () => {
  let withExtension = 0;
  for (const e of v1.entries) {
    const resp = Object.values(e.logEntryResponse)[0] as any;
    const { text } = parseSignedNote(resp.verification.inclusionProof.checkpoint);
    const c = parseCheckpoint(text);
    assert.equal(c.size, BigInt(resp.verification.inclusionProof.treeSize));
    assert.equal(Buffer.from(c.rootHash).toString('hex'), resp.verification.inclusionProof.rootHash);
    if (c.extensions.length > 0) {
      withExtension++;
      assert.match(c.extensions[0]!, /^Timestamp: \d+$/);
    }
    assert.equal(formatCheckpoint(c), text);
  }
  assert.ok(withExtension >= 1);
});

test('malformed checkpoints are rejected with BAD_CHECKPOINT', () => {
  const root = Buffer.alloc(32).toString('base64');
  for (const [what, text] of [
    ['no final newline', `o\n1\n${root}`],
    ['missing root', 'o\n1\n'],
    ['empty origin', `\n1\n${root}\n`],
    ['leading zero', `o\n01\n${root}\n`],
    ['signed size', `o\n+1\n${root}\n`],
    ['size over 2^64', `o\n18446744073709551616\n${root}\n`],
    ['short root', `o\n1\n${Buffer.alloc(31).toString('base64')}\n`],
    ['non-canonical base64', `o\n1\n${root.slice(0, -2)}B=\n`],
    ['empty extension', `o\n1\n${root}\n\n`],
  ] as const) {
    assertThrowsCode(() => parseCheckpoint(text), 'BAD_CHECKPOINT', what);
  }
  const ok = { origin: 'o', size: 1n, rootHash: new Uint8Array(32), extensions: [] };
  assert.equal(parseCheckpoint(formatCheckpoint(ok)).size, 1n);
  assertThrowsCode(() => formatCheckpoint({ ...ok, origin: '' }), 'BAD_CHECKPOINT');
  assertThrowsCode(() => formatCheckpoint({ ...ok, size: -1n }), 'BAD_CHECKPOINT');
  assertThrowsCode(() => formatCheckpoint({ ...ok, rootHash: new Uint8Array(31) }), 'BAD_CHECKPOINT');
  assertThrowsCode(() => formatCheckpoint({ ...ok, extensions: ['a\nb'] }), 'BAD_CHECKPOINT');
});
