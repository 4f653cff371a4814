import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashLeaf } from '@signet/merkle';
import { EphemeralSigner } from '@signet/pki';
import { logEntryJson, renderLogEntry, type EntryWithProof } from './log-entry.js';

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
