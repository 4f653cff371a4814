import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RekorLogEntry, RekorLogEntryAnon } from './log-entry.js';
import { logEntryJson } from './log-entry-json.js';

const vectors = JSON.parse(readFileSync(new URL('../../testdata/rekor-v1-entries.json', import.meta.url), 'utf8'));

/** `anon` rebuilt with the members in log-entry.ts's order (what serialising renderLogEntry's object gives). */
function inOurOrder(anon: RekorLogEntryAnon): RekorLogEntryAnon {
  const p = anon.verification.inclusionProof;
  return {
    body: anon.body,
    integratedTime: anon.integratedTime,
    logID: anon.logID,
    logIndex: anon.logIndex,
    verification: {
      signedEntryTimestamp: anon.verification.signedEntryTimestamp,
      inclusionProof: { logIndex: p.logIndex, rootHash: p.rootHash, treeSize: p.treeSize, hashes: p.hashes, checkpoint: p.checkpoint },
    },
  };
}

test('logEntryJson is byte for byte the JSON of the LogEntry object (real Rekor entries)', () => {
  for (const v of vectors.entries) {
    const [entryId, anon] = Object.entries(v.logEntryResponse as RekorLogEntry)[0]!;
    const ours = inOurOrder(anon);
    assert.match(ours.verification.inclusionProof.checkpoint, /\n— /, 'a signed note: newlines and an em dash');
    const text = logEntryJson(entryId, ours);
    assert.equal(text, JSON.stringify({ [entryId]: ours }), v.name);
    assert.deepEqual(JSON.parse(text), v.logEntryResponse, v.name);
  }
});

test('logEntryJson: an entry alone in its tree has an empty proof', () => {
  const [entryId, anon] = Object.entries(vectors.entries[0].logEntryResponse as RekorLogEntry)[0]!;
  const ours = inOurOrder(anon);
  const alone = { ...ours, verification: { ...ours.verification, inclusionProof: { ...ours.verification.inclusionProof, hashes: [], treeSize: 1, logIndex: 0 } } };
  assert.equal(logEntryJson(entryId, alone), JSON.stringify({ [entryId]: alone }));
});
