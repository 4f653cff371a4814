import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, test } from 'node:test';
import { hashLeaf } from '@signet/merkle';
import { EphemeralSigner } from '@signet/pki';
import { logEntryJson, renderLogEntry, type EntryWithProof, type RekorLogEntry, type RekorLogEntryAnon } from './log-entry.js';

describe('logEntryJson', () => {
  it('is JSON.stringify of the rendered entry, with or without proof hashes, whatever the checkpoint holds', async () => {
    const signer = EphemeralSigner.generate('ecdsa-p256-sha256');
    const id = { treeId: 1234567890123n, logId: new Uint8Array(32).fill(7), signer };
    const checkpoints = ['host - 1\n1\nAAAA\n\n— host sig"\\\n', 'other\n2\nBBBB\n\n— é\t\u0001\n'];
    for (const [i, hashes] of [[], [new Uint8Array(32).fill(1)], Array.from({ length: 20 }, (_, k) => new Uint8Array(32).fill(k * 13))].entries()) {
      for (const checkpoint of checkpoints) {
        const body = Buffer.from(`{"entry":${i},"text":"ü/+="}`);
        const e: EntryWithProof = {
          index: BigInt(i),
          leafHash: hashLeaf(body),
          body,
          integratedTime: 1_800_000_000_123 + i,
          extra: null,
          proof: { treeSize: BigInt(i + 1), rootHash: new Uint8Array(32).fill(9), hashes, checkpoint },
        };
        const { entryId, entry } = await renderLogEntry(id, e);
        assert.equal(logEntryJson(entry), JSON.stringify(entry));
        assert.deepEqual(entry[entryId]!.verification.inclusionProof.hashes, hashes.map((h) => Buffer.from(h).toString('hex')));
      }
    }
  });
});

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
    const text = logEntryJson({ [entryId]: ours });
    assert.equal(text, JSON.stringify({ [entryId]: ours }), v.name);
    assert.deepEqual(JSON.parse(text), v.logEntryResponse, v.name);
  }
});

test('logEntryJson: an entry alone in its tree has an empty proof', () => {
  const [entryId, anon] = Object.entries(vectors.entries[0].logEntryResponse as RekorLogEntry)[0]!;
  const ours = inOurOrder(anon);
  const alone = { ...ours, verification: { ...ours.verification, inclusionProof: { ...ours.verification.inclusionProof, hashes: [], treeSize: 1, logIndex: 0 } } };
  assert.equal(logEntryJson({ [entryId]: alone }), JSON.stringify({ [entryId]: alone }));
});
