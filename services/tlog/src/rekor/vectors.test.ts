// The public Rekor v1 vectors, reproduced with this package's code: entry IDs, SET payload bytes,
// body canonicalization, inclusion proofs and checkpoints (with the real rekor.sigstore.dev key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hashLeaf } from '@signet/merkle';
import { canonicalizeToBytes } from './canonical-json.js';
import { entryIdOf, parseEntryId, uuidOf } from './entry-id.js';
import { setPayload } from './set.js';
import type { RekorLogEntry } from './log-entry.js';
import { verifyLogEntry, verifySet } from '../../test/testonly/verify-entry.js';

const vectors = JSON.parse(readFileSync(new URL('../../testdata/rekor-v1-entries.json', import.meta.url), 'utf8'));

for (const v of vectors.entries) {
  test(`vector ${v.name}`, () => {
    const response = v.logEntryResponse as RekorLogEntry;
    const [entryId, anon] = Object.entries(response)[0]!;
    const body = new Uint8Array(Buffer.from(anon.body, 'base64'));
    // canonicalization is byte-exact
    assert.equal(Buffer.from(canonicalizeToBytes(JSON.parse(Buffer.from(body).toString()))).compare(body), 0);
    // IDs
    const leafHash = hashLeaf(body);
    assert.equal(uuidOf(leafHash), v.derived.uuid);
    assert.equal(entryIdOf(BigInt(v.derived.treeID), leafHash), entryId);
    assert.equal(entryIdOf(BigInt(v.derived.treeID), leafHash), v.derived.entryID);
    const parsed = parseEntryId(entryId);
    assert.equal(parsed.treeId, BigInt(v.derived.treeID));
    assert.equal(uuidOf(parsed.leafHash), v.derived.uuid);
    // SET payload bytes and signature
    const payload = setPayload({ body: anon.body, integratedTime: anon.integratedTime, logID: anon.logID, logIndex: anon.logIndex });
    assert.equal(Buffer.from(payload).toString(), v.derived.setSignedPayload);
    const spkiDer = new Uint8Array(Buffer.from(v.logPublicKey.spkiDerBase64, 'base64'));
    assert.ok(verifySet(anon, spkiDer, payload));
    // proof + checkpoint (the global logIndex is offset by earlier shards; the proof index is shard-local)
    const hostname = new URL(v.logPublicKey.baseUrl).host;
    verifyLogEntry(response, { spkiDer, hostname, treeId: BigInt(v.derived.treeID), shardOffset: v.derived.shardOffset });
  });
}
