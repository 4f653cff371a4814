import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { openStore, StorageError, type CommitBatch, type LogStore } from '../index.js';
import { assertRejectsCode } from './assert-code.js';
import { FaultyStore } from './faulty-store.js';

const logId = new Uint8Array(createHash('sha256').update('key').digest());
let inner: LogStore;
before(async () => {
  inner = await openStore();
});
after(() => inner.close());

function batch(size: bigint, tag: string): CommitBatch {
  const body = new TextEncoder().encode(tag);
  const leafHash = new Uint8Array(createHash('sha256').update(new Uint8Array([0])).update(body).digest());
  return {
    entries: [{ index: size, leafHash, body, integratedTime: 1, extra: null, searchKeys: [tag] }],
    tiles: [],
    head: { size: size + 1n, rootHash: leafHash, checkpoint: tag },
  };
}

test('a fault before commit persists nothing', async () => {
  const store = new FaultyStore(inner);
  await store.openLog('before', logId);
  store.fail('commit', 'before');
  await assertRejectsCode(store.commit('before', 0n, batch(0n, 'b0')), 'DB_ERROR');
  assert.equal((await store.head('before')).size, 0n);
  await store.commit('before', 0n, batch(0n, 'b0')); // the fault fired once only
  assert.equal((await store.head('before')).size, 1n);
  assert.equal(store.calls.commit, 2);
});

test('a fault after commit persists the batch and still throws', async () => {
  const store = new FaultyStore(inner);
  await store.openLog('after', logId);
  store.fail('commit', 'after');
  await assertRejectsCode(store.commit('after', 0n, batch(0n, 'a0')), 'DB_ERROR');
  assert.equal((await store.head('after')).size, 1n);
  assert.deepEqual(await store.search('after', ['a0'], 'or', 5), [0n]);
  // a retry at the old size now conflicts, as it would after a lost acknowledgement
  await assertRejectsCode(store.commit('after', 0n, batch(0n, 'a0')), 'HEAD_CONFLICT');
});

test('faults can be limited to matching calls, repeated, given an error, and cleared', async () => {
  const store = new FaultyStore(inner);
  store.fail('head', 'before', { times: 2, match: (args) => args[0] === 'x', error: () => new StorageError('NOT_FOUND', 'x') });
  await store.openLog('y', logId);
  assert.equal((await store.head('y')).size, 0n);
  await assertRejectsCode(store.head('x'), 'NOT_FOUND');
  await assertRejectsCode(store.head('x'), 'NOT_FOUND');
  await store.openLog('x', logId);
  assert.equal((await store.head('x')).size, 0n);
  store.fail('readEntries', 'after');
  store.clear();
  assert.deepEqual(await store.readEntries('x', { from: 0n, count: 1 }), []);
});
