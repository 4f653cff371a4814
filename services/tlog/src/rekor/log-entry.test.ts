import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, test } from 'node:test';
import { hashLeaf } from '@signet/merkle';
import { EphemeralSigner } from '@signet/pki';
import { entryTextOf, LogEntryWriter, renderLogEntry, type EntryWithProof, type RekorIdentity, type RekorLogEntry, type RekorLogEntryAnon } from './log-entry.js';
import { storedSet } from './set.js';

const signer = EphemeralSigner.generate('ecdsa-p256-sha256');

/** The writer's bytes for `e`, with the SET `renderLogEntry` put in `entry` (so both show the same one). */
function written(w: LogEntryWriter, e: EntryWithProof, entry: RekorLogEntry): string {
  const set = Object.values(entry)[0]!.verification.signedEntryTimestamp;
  return Buffer.from(w.write(entryTextOf(e), e.proof, set)).toString('utf8');
}

describe('LogEntryWriter', () => {
  it('writes JSON.stringify of the rendered entry, with or without proof hashes, whatever the checkpoint holds', async () => {
    const id: RekorIdentity = { treeId: 1234567890123n, logId: new Uint8Array(32).fill(7), signer };
    const w = new LogEntryWriter(id);
    const checkpoints = ['host - 1\n1\nAAAA\n\n— host sig"\\\n', 'other\n2\nBBBB\n\n— é\t\u0001\n', ''];
    for (const [i, hashes] of [[], [new Uint8Array(32).fill(1)], Array.from({ length: 20 }, (_, k) => new Uint8Array(32).fill(k * 13))].entries()) {
      for (const checkpoint of checkpoints) {
        for (const extra of [null, new Uint8Array([1, 0x30, 0x45, 0xff, 0x00, 0x7e])]) {
          const body = Buffer.from(`{"entry":${i},"text":"ü/+="}`);
          const e: EntryWithProof = {
            index: BigInt(i),
            leafHash: hashLeaf(body),
            body,
            integratedTime: 1_800_000_000_123 + i,
            extra,
            proof: { treeSize: BigInt(i + 1), rootHash: new Uint8Array(32).fill(9), hashes, checkpoint },
          };
          const { entry } = await renderLogEntry(id, e);
          if (extra !== null) assert.equal(Object.values(entry)[0]!.verification.signedEntryTimestamp, storedSet(extra));
          assert.equal(written(w, e, entry), JSON.stringify(entry));
        }
      }
    }
  });

  it('writes the tree parts of the tree each entry was proved against, also when one checkpoint text stands for several trees', async () => {
    const id: RekorIdentity = { treeId: 42n, logId: new Uint8Array(32).fill(3), signer };
    const w = new LogEntryWriter(id);
    const body = Buffer.from('{"x":1}');
    const base = { index: 0n, leafHash: hashLeaf(body), body, integratedTime: 1_700_000_000_000, extra: null };
    // Proofs to older trees carry no checkpoint: only the size and the root tell them apart.
    const rootHash = new Uint8Array(32).fill(1);
    const trees = [
      { treeSize: 5n, rootHash, checkpoint: 'a\n5\n' },
      { treeSize: 5n, rootHash, checkpoint: 'a\n5\n' },
      { treeSize: 6n, rootHash: new Uint8Array(32).fill(2), checkpoint: '' },
      { treeSize: 7n, rootHash: new Uint8Array(32).fill(2), checkpoint: '' },
      { treeSize: 7n, rootHash: new Uint8Array(32).fill(3), checkpoint: '' },
      { treeSize: 5n, rootHash, checkpoint: 'a\n5\n' },
    ];
    for (const t of trees) {
      const e: EntryWithProof = { ...base, proof: { ...t, hashes: [new Uint8Array(32).fill(8)] } };
      const { entry } = await renderLogEntry(id, e);
      assert.equal(written(w, e, entry), JSON.stringify(entry));
    }
    // A root hash changed in place after an answer is not served from the previous tree's text.
    const root = new Uint8Array(32).fill(4);
    const e: EntryWithProof = { ...base, proof: { treeSize: 9n, rootHash: root, hashes: [], checkpoint: '' } };
    const first = JSON.parse(written(w, e, (await renderLogEntry(id, e)).entry));
    root.fill(5);
    const second = JSON.parse(written(w, e, (await renderLogEntry(id, e)).entry));
    assert.notEqual(Object.values<RekorLogEntryAnon>(first)[0]!.verification.inclusionProof.rootHash, Object.values<RekorLogEntryAnon>(second)[0]!.verification.inclusionProof.rootHash);
    assert.equal(Object.values<RekorLogEntryAnon>(second)[0]!.verification.inclusionProof.rootHash, '05'.repeat(32));
  });
});

const vectors = JSON.parse(readFileSync(new URL('../../testdata/rekor-v1-entries.json', import.meta.url), 'utf8'));

/**
 * `anon` rebuilt with the members in log-entry.ts's order (what serialising renderLogEntry's object
 * gives), its proof's index set to the entry's: Rekor's sharded log numbers proofs within the shard,
 * Signet's one tree has one index for both.
 */
function inOurOrder(anon: RekorLogEntryAnon): RekorLogEntryAnon {
  const p = anon.verification.inclusionProof;
  return {
    body: anon.body,
    integratedTime: anon.integratedTime,
    logID: anon.logID,
    logIndex: anon.logIndex,
    verification: {
      signedEntryTimestamp: anon.verification.signedEntryTimestamp,
      inclusionProof: { logIndex: anon.logIndex, rootHash: p.rootHash, treeSize: p.treeSize, hashes: p.hashes, checkpoint: p.checkpoint },
    },
  };
}

/** The writer's bytes for a real Rekor LogEntry, rebuilt from its fields. */
function rewrite(entryId: string, anon: RekorLogEntryAnon): string {
  const p = anon.verification.inclusionProof;
  const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
  const w = new LogEntryWriter({ treeId: BigInt(`0x${entryId.slice(0, 16)}`), logId: hex(anon.logID), signer });
  const e = { index: BigInt(anon.logIndex), leafHashHex: entryId.slice(16), bodyBase64: anon.body, integratedTime: anon.integratedTime * 1000 };
  const proof = { treeSize: BigInt(p.treeSize), rootHash: hex(p.rootHash), hashes: p.hashes.map(hex), checkpoint: p.checkpoint };
  return Buffer.from(w.write(e, proof, anon.verification.signedEntryTimestamp)).toString('utf8');
}

test('LogEntryWriter writes real Rekor entries byte for byte as JSON.stringify does', () => {
  for (const v of vectors.entries) {
    const [entryId, anon] = Object.entries(v.logEntryResponse as RekorLogEntry)[0]!;
    const ours = inOurOrder(anon);
    assert.match(ours.verification.inclusionProof.checkpoint, /\n— /, 'a signed note: newlines and an em dash');
    const text = rewrite(entryId, ours);
    assert.equal(text, JSON.stringify({ [entryId]: ours }), v.name);
    assert.deepEqual(JSON.parse(text), { [entryId]: ours }, v.name);
  }
});

test('LogEntryWriter: an entry alone in its tree has an empty proof', () => {
  const [entryId, anon] = Object.entries(vectors.entries[0].logEntryResponse as RekorLogEntry)[0]!;
  const ours = inOurOrder(anon);
  const alone = { ...ours, logIndex: 0, verification: { ...ours.verification, inclusionProof: { ...ours.verification.inclusionProof, hashes: [], treeSize: 1, logIndex: 0 } } };
  assert.equal(rewrite(entryId, alone), JSON.stringify({ [entryId]: alone }));
});
