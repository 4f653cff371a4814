import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashLeaf } from '@signet/merkle';
import { openSigner } from '@signet/pki';
import type { LogStore } from '@signet/storage';
import { FaultyStore, testDrivers } from '@signet/storage/testonly';
import { assertLogError, testBody } from '../testonly/index.js';
import { Log } from './log.js';
import { hashKeyOf, ReadCoalescer } from './read-coalescer.js';

const N = 20;

for (const driver of testDrivers(process.env.DATABASE_URL)) {
  describe(`coalesced point reads (${driver.name})`, () => {
    let store: LogStore;
    let faulty: FaultyStore;
    let log: Log;
    const bodies = Array.from({ length: N }, (_, i) => testBody(`c${i}`));

    before(async () => {
      store = await driver.open();
      faulty = new FaultyStore(store);
      const signer = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
      log = await Log.open({ name: 'coalesce', store: faulty, signer, origin: 'signet.test - 11', noteKeyName: 'signet.test', now: Date.now });
      for (const body of bodies) await log.append({ body, searchKeys: ['k'] });
    });
    after(async () => {
      await store.close();
      await driver.cleanup();
    });

    it('concurrent single-index reads make one store call; each caller gets its own entry or nothing', async () => {
      const before = faulty.calls.readEntries;
      const wanted = [3n, 7n, 7n, 19n, 0n, 25n, 1000n];
      const got = await Promise.all(wanted.map((i) => log.entries({ indices: [i] })));
      assert.equal(faulty.calls.readEntries - before, 1);
      wanted.forEach((i, k) => {
        if (i < BigInt(N)) {
          assert.equal(got[k]!.length, 1);
          assert.equal(got[k]![0]!.index, i);
          assert.deepEqual(Buffer.from(got[k]![0]!.body), Buffer.from(bodies[Number(i)]!));
        } else assert.deepEqual(got[k], []);
      });
    });

    it('concurrent single-hash reads make one store call; misses get nothing', async () => {
      const before = faulty.calls.readEntries;
      const hashes = [hashLeaf(bodies[5]!), hashLeaf(testBody('absent')), hashLeaf(bodies[12]!), hashLeaf(bodies[5]!)];
      const got = await Promise.all(hashes.map((h) => log.entries({ leafHashes: [h] })));
      assert.equal(faulty.calls.readEntries - before, 1);
      assert.deepEqual(got.map((r) => r.map((e) => e.index)), [[5n], [], [12n], [5n]]);
    });

    it('text reads (entryTexts) coalesce the same way, into their own store call, and match the byte reads', async () => {
      const text = (e: { index: bigint; leafHash: Uint8Array; body: Uint8Array; integratedTime: number; extra: Uint8Array | null }) => ({
        index: e.index,
        leafHashHex: Buffer.from(e.leafHash).toString('hex'),
        bodyBase64: Buffer.from(e.body).toString('base64'),
        integratedTime: e.integratedTime,
        extra: e.extra,
      });
      const [bytes, texts] = [faulty.calls.readEntries, faulty.calls.readEntryTexts];
      const wanted = [3n, 7n, 7n, 1000n];
      const hashes = [hashLeaf(bodies[5]!), hashLeaf(testBody('absent')), hashLeaf(bodies[12]!)];
      const [byIndex, byHash] = await Promise.all([
        Promise.all(wanted.map((i) => log.entryTexts({ indices: [i] }))),
        Promise.all(hashes.map((h) => log.entryTexts({ leafHashes: [h] }))),
      ]);
      assert.equal(faulty.calls.readEntryTexts - texts, 2, 'one query by index, one by hash');
      assert.equal(faulty.calls.readEntries, bytes);
      const expected = async (q: Parameters<Log['entries']>[0]) => (await log.entries(q)).map(text);
      assert.deepEqual(byIndex, [await expected({ indices: [3n] }), await expected({ indices: [7n] }), await expected({ indices: [7n] }), []]);
      assert.deepEqual(byHash, [await expected({ indices: [5n] }), [], await expected({ indices: [12n] })]);
      assert.deepEqual(await log.entryTexts({ from: 2n, count: 3 }), await expected({ from: 2n, count: 3 }));
      await assertLogError(log.entryTexts({ indices: [-1n] }), 'BAD_REQUEST');
      faulty.fail('readEntryTexts', 'before');
      await Promise.all([4n, 9n].map((i) => assertLogError(log.entryTexts({ indices: [i] }), 'STORAGE_FAILURE')));
    });

    it('reads in later turns of the event loop are separate queries', async () => {
      const before = faulty.calls.readEntries;
      assert.equal((await log.entries({ indices: [1n] }))[0]!.index, 1n);
      assert.equal((await log.entries({ indices: [2n] }))[0]!.index, 2n);
      assert.equal(faulty.calls.readEntries - before, 2);
    });

    it('a failed coalesced query fails every reader in it with STORAGE_FAILURE', async () => {
      faulty.fail('readEntries', 'before');
      const reads = [4n, 9n].map((i) => log.entries({ indices: [i] }));
      await Promise.all(reads.map((r) => assertLogError(r, 'STORAGE_FAILURE')));
      assert.equal((await log.entries({ indices: [4n] }))[0]!.index, 4n);
    });

    it('splits a turn into queries of at most maxBatch keys', async () => {
      let queries = 0;
      const reader = new ReadCoalescer(
        (q) => {
          queries++;
          return store.readEntries('coalesce', q);
        },
        (e) => hashKeyOf(e.leafHash),
        3,
      );
      const got = await Promise.all([0n, 1n, 2n, 3n, 4n, 5n, 6n, 42n].map((i) => reader.entryAt(i)));
      assert.equal(queries, 3);
      assert.deepEqual(got.map((e) => e?.index), [0n, 1n, 2n, 3n, 4n, 5n, 6n, undefined]);
    });
  });
}
