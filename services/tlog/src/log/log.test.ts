import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ecdsaNoteKeyId, ed25519NoteKeyId, hashLeaf, rootOf, verifyConsistency, verifyInclusion } from '@signet/merkle';
import { openSigner, type Signer } from '@signet/pki';
import type { LogStore } from '@signet/storage';
import { FaultyStore, assertRejectsCode, testDrivers } from '@signet/storage/testonly';
import { assertLogError, checkLog, testBody, tilesOf, verifierKeyOf, verifyCheckpoint } from '../testonly/index.js';
import { Log } from './log.js';
import type { LogOptions } from './options.js';

const N = 600; // three level-0 tiles (the last partial) and a partial level-1 tile

for (const driver of testDrivers(process.env.DATABASE_URL)) {
  describe(`log reads (${driver.name})`, () => {
    let store: LogStore;
    let signer: Signer;
    let log: Log;
    const bodies = Array.from({ length: N }, (_, i) => testBody(`r${i}`));
    const leafHashes = bodies.map(hashLeaf);
    const rootAt = (n: number): Uint8Array => rootOf(leafHashes.slice(0, n));
    const opts = (extra: Partial<LogOptions> = {}): LogOptions => ({
      name: 'reads',
      store,
      signer,
      origin: 'signet.test - 7',
      noteKeyName: 'signet.test',
      now: Date.now,
      ...extra,
    });

    before(async () => {
      store = await driver.open();
      signer = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
      log = await Log.open(opts());
      // In order, in batches of varying size, so that tiles grow across many commits.
      for (let i = 0; i < N; ) {
        const n = Math.min(1 + (i % 97), N - i);
        await Promise.all(bodies.slice(i, i + n).map((body, j) => log.append({ body, searchKeys: [`k${(i + j) % 5}`, `all`] })));
        i += n;
      }
    });
    after(async () => {
      await store.close();
      await driver.cleanup();
    });

    it('the head is signed, and the log passes checkLog', async () => {
      const head = await log.head();
      assert.equal(head.size, BigInt(N));
      assert.deepEqual(head.rootHash, rootAt(N));
      assert.deepEqual(verifyCheckpoint(head.checkpoint, verifierKeyOf(log, signer)), { size: BigInt(N), rootHash: rootAt(N) });
      await checkLog(store, 'reads', verifierKeyOf(log, signer));
    });

    it('log ID is SHA-256(SPKI) and the default note key ID is its first 4 bytes', () => {
      const id = createHash('sha256').update(signer.publicKeyDer).digest();
      assert.deepEqual(Buffer.from(log.logId), id);
      assert.deepEqual(log.noteKeyId, ecdsaNoteKeyId(signer.publicKeyDer));
      assert.deepEqual(Buffer.from(log.noteKeyId), id.subarray(0, 4));
    });

    for (const cold of [false, true]) {
      const which = cold ? 'a freshly opened Log (tiles from the store)' : 'the appending Log (tiles from memory)';
      it(`inclusion proofs for many (index, size) pairs verify, from ${which}`, async () => {
        const reader = cold ? await Log.open(opts()) : log;
        for (const size of [1, 2, 3, 255, 256, 257, 300, 511, 512, 513, N]) {
          for (let i = 0; i < size; i += Math.max(1, Math.floor(size / 9))) {
            const p = await reader.inclusionProof(BigInt(i), BigInt(size));
            assert.equal(p.treeSize, BigInt(size));
            assert.deepEqual(p.rootHash, rootAt(size));
            verifyInclusion(BigInt(i), BigInt(size), leafHashes[i]!, p.hashes, rootAt(size));
            assert.equal(p.checkpoint, size === N ? (await reader.head()).checkpoint : '');
          }
        }
        const last = await reader.inclusionProof(BigInt(N - 1));
        assert.equal(last.treeSize, BigInt(N));
        verifyInclusion(BigInt(N - 1), BigInt(N), leafHashes[N - 1]!, last.hashes, rootAt(N));
        assert.ok(last.checkpoint.length > 0);
      });

      it(`consistency proofs for many (size1, size2) pairs verify, from ${which}`, async () => {
        const reader = cold ? await Log.open(opts()) : log;
        for (const size2 of [1, 2, 7, 256, 257, 400, 512, 599, N]) {
          for (let size1 = 1; size1 <= size2; size1 += Math.max(1, Math.floor(size2 / 7))) {
            const p = await reader.consistencyProof(BigInt(size1), BigInt(size2));
            assert.deepEqual(p.rootHash, rootAt(size2));
            verifyConsistency(BigInt(size1), BigInt(size2), p.hashes, rootAt(size1), rootAt(size2));
          }
          assert.deepEqual((await reader.consistencyProof(BigInt(size2), BigInt(size2))).hashes, []);
        }
      });
    }

    it('warmTileCache() loads every tile, after which proofs need no tile reads', async () => {
      const faulty = new FaultyStore(store);
      const cold = await Log.open(opts({ store: faulty }));
      assert.equal(await cold.warmTileCache(), 4); // 0/0, 0/1, 0/2 (partial) and 1/0 (partial)
      const readsAfterWarm = faulty.calls.readTiles;
      faulty.fail('readTiles', 'before', { times: 1000 });
      for (let i = 0; i < N; i += 37) {
        verifyInclusion(BigInt(i), BigInt(N), leafHashes[i]!, (await cold.inclusionProof(BigInt(i))).hashes, rootAt(N));
      }
      const p = await cold.consistencyProof(3n, BigInt(N));
      verifyConsistency(3n, BigInt(N), p.hashes, rootAt(3), rootAt(N));
      assert.equal(faulty.calls.readTiles, readsAfterWarm, 'no tile read after warming');
      assert.equal(await cold.warmTileCache(), 0, 'nothing left to read');
      faulty.clear();
    });

    it('rejects out-of-range proof requests with codes naming the problem', async () => {
      await assertLogError(log.inclusionProof(BigInt(N)), 'NOT_FOUND');
      await assertLogError(log.inclusionProof(-1n), 'BAD_REQUEST');
      await assertLogError(log.inclusionProof(5n, 5n), 'BAD_REQUEST');
      await assertLogError(log.inclusionProof(5n, BigInt(N + 1)), 'BAD_REQUEST');
      await assertLogError(log.inclusionProof(5 as unknown as bigint), 'BAD_REQUEST');
      await assertLogError(log.consistencyProof(0n, 5n), 'BAD_REQUEST');
      await assertLogError(log.consistencyProof(6n, 5n), 'BAD_REQUEST');
      await assertLogError(log.consistencyProof(1n, BigInt(N + 1)), 'BAD_REQUEST');
    });

    it('serves C2SP tiles at every width they have, and NOT_FOUND beyond', async () => {
      const tiles = tilesOf(leafHashes);
      assert.deepEqual(await log.tile(0, 0n, 256), tiles.get('0/0')!.hashes);
      assert.deepEqual(await log.tile(0, 2n, 88), tiles.get('0/2')!.hashes);
      assert.deepEqual(await log.tile(0, 2n, 10), tiles.get('0/2')!.hashes.subarray(0, 320));
      assert.deepEqual(await log.tile(1, 0n, 2), tiles.get('1/0')!.hashes);
      const cold = await Log.open(opts());
      assert.deepEqual(await cold.tile(0, 1n, 256), tiles.get('0/1')!.hashes);
      await assertLogError(log.tile(0, 2n, 89), 'NOT_FOUND');
      await assertLogError(log.tile(0, 3n, 1), 'NOT_FOUND');
      await assertLogError(log.tile(1, 0n, 3), 'NOT_FOUND');
      await assertLogError(log.tile(2, 0n, 1), 'NOT_FOUND');
      await assertLogError(log.tile(0, 0n, 0), 'BAD_REQUEST');
      await assertLogError(log.tile(0, 0n, 257), 'BAD_REQUEST');
      await assertLogError(log.tile(64, 0n, 1), 'BAD_REQUEST');
      await assertLogError(log.tile(0, -1n, 1), 'BAD_REQUEST');
    });

    it('serves entry bundles (uint16-BE length || body)', async () => {
      const decode = (b: Uint8Array): Uint8Array[] => {
        const out: Uint8Array[] = [];
        for (let at = 0; at < b.length; ) {
          const n = (b[at]! << 8) | b[at + 1]!;
          out.push(b.subarray(at + 2, at + 2 + n));
          at += 2 + n;
        }
        return out;
      };
      assert.deepEqual(decode(await log.entryBundle(0n, 256)), bodies.slice(0, 256));
      assert.deepEqual(decode(await log.entryBundle(2n, 88)), bodies.slice(512, 600));
      assert.deepEqual(decode(await log.entryBundle(2n, 3)), bodies.slice(512, 515));
      await assertLogError(log.entryBundle(2n, 89), 'NOT_FOUND');
      await assertLogError(log.entryBundle(3n, 1), 'NOT_FOUND');
      await assertLogError(log.entryBundle(0n, 0), 'BAD_REQUEST');
    });

    it('reads entries and searches by key', async () => {
      const got = await log.entries({ from: 10n, count: 3 });
      assert.deepEqual(got.map((e) => e.index), [10n, 11n, 12n]);
      assert.deepEqual(got[0]!.body, bodies[10]);
      assert.deepEqual((await log.entries({ leafHashes: [leafHashes[42]!] }))[0]!.index, 42n);
      assert.deepEqual((await log.entries({ indices: [5n, BigInt(N + 5)] })).map((e) => e.index), [5n]);
      assert.equal((await log.search(['K1'], 'or', 1000)).length, N / 5);
      assert.equal((await log.search(['k1', 'all'], 'and', 1000)).length, N / 5);
      assert.deepEqual(await log.search(['k1', 'k2'], 'and', 1000), []);
      assert.equal((await log.search(['all'], 'or', 7)).length, 7);
      await assertLogError(log.entries({ from: -1n, count: 1 }), 'BAD_REQUEST');
      await assertLogError(log.entries({ from: 0n, count: 100_000 }), 'BAD_REQUEST');
      await assertLogError(log.entries({ leafHashes: [new Uint8Array(3)] }), 'BAD_REQUEST');
      await assertLogError(log.search([], 'or', 10), 'BAD_REQUEST');
      await assertLogError(log.search(['a'], 'xor' as 'or', 10), 'BAD_REQUEST');
      await assertLogError(log.search(['a'], 'or', 0), 'BAD_REQUEST');
    });

    it('refuses to open the log with another key (LOG_ID_MISMATCH)', async () => {
      const other = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
      await assertRejectsCode(Log.open(opts({ signer: other })), 'LOG_ID_MISMATCH');
      await Log.open(opts({ signer: other, name: 'reads-other-key' })); // another log name is fine
    });

    it('rejects invalid options', async () => {
      await assertLogError(Log.open(opts({ origin: 'a\nb' })), 'BAD_REQUEST');
      await assertLogError(Log.open(opts({ noteKeyName: 'has space' })), 'BAD_REQUEST');
      await assertLogError(Log.open(opts({ noteKeyId: new Uint8Array(3) })), 'BAD_REQUEST');
      await assertLogError(Log.open(opts({ maxBatch: 0 })), 'BAD_REQUEST');
      await assertLogError(Log.open(opts({ maxPending: 1.5 })), 'BAD_REQUEST');
    });

    it('an empty log has a signed size-0 checkpoint; Ed25519 keys get the C2SP key ID', async () => {
      const ed = await openSigner({ kind: 'ephemeral', algorithm: 'ed25519' });
      const empty = await Log.open(opts({ signer: ed, name: 'reads-ed25519', noteKeyName: 'log2025.example' }));
      assert.deepEqual(empty.noteKeyId, ed25519NoteKeyId('log2025.example', ed.publicKeyDer.subarray(12)));
      const head = await empty.head();
      assert.equal(head.size, 0n);
      assert.deepEqual(verifyCheckpoint(head.checkpoint, verifierKeyOf(empty, ed)).size, 0n);
      await assertLogError(empty.inclusionProof(0n), 'NOT_FOUND');
      await assertLogError(empty.tile(0, 0n, 1), 'NOT_FOUND');
      const a = await empty.append({ body: testBody('ed'), searchKeys: [] });
      assert.deepEqual(verifyCheckpoint(a.checkpoint, verifierKeyOf(empty, ed)).size, 1n);
      await checkLog(store, 'reads-ed25519', verifierKeyOf(empty, ed));
    });

    it('extraAtSequencing: stores what it computes from the placed entry, and a failure commits nothing', async () => {
      const seen: bigint[] = [];
      let fail = false;
      const stamped = await Log.open(
        opts({
          name: 'reads-stamped',
          extraAtSequencing: async (e) => {
            if (fail) throw new Error('stamp refused');
            seen.push(e.index);
            assert.deepEqual(e.leafHash, hashLeaf(e.body));
            return Buffer.from(`${e.index}@${e.integratedTime}:${e.extra === null ? '-' : Buffer.from(e.extra).toString()}`);
          },
        }),
      );
      const given = [null, Buffer.from('x'), null];
      const appended = await Promise.all(given.map((extra, i) => stamped.append({ body: testBody(`stamped${i}`), searchKeys: [], extra })));
      assert.deepEqual(seen.sort(), [0n, 1n, 2n]);
      const stored = await stamped.entries({ from: 0n, count: 3 });
      for (const [i, a] of appended.entries()) {
        const want = `${a.index}@${a.integratedTime}:${given[i] === null ? '-' : 'x'}`;
        assert.equal(Buffer.from(a.extra!).toString(), want);
        assert.equal(Buffer.from(stored[Number(a.index)]!.extra!).toString(), want);
      }
      fail = true;
      await assertLogError(stamped.append({ body: testBody('stamped-fails'), searchKeys: [] }), 'STORAGE_FAILURE');
      fail = false;
      assert.equal((await stamped.head()).size, 3n);
      const next = await stamped.append({ body: testBody('stamped3'), searchKeys: [] });
      assert.equal(next.index, 3n);
      await checkLog(store, 'reads-stamped', verifierKeyOf(stamped, signer));
      await assertLogError(Log.open(opts({ name: 'reads-stamped', extraAtSequencing: 'no' as never })), 'BAD_REQUEST');
    });

    it('bodyAtSequencing: stores the body it makes from the placed entry under that body\'s leaf hash, and a failure commits nothing', async () => {
      let fail = false;
      const made = await Log.open(
        opts({
          name: 'reads-made',
          bodyAtSequencing: async (e) => {
            if (fail) throw new Error('refused');
            return { body: Buffer.from(`${Buffer.from(e.body).toString()}#${e.index}@${e.integratedTime}`), extra: Buffer.from(`x${e.index}`) };
          },
        }),
      );
      // The same template three times in separate batches: three entries, each its own leaf.
      const appended: Awaited<ReturnType<Log['append']>>[] = [];
      for (let i = 0; i < 3; i++) appended.push(await made.append({ body: Buffer.from('template'), searchKeys: ['t'] }));
      appended.push(...(await Promise.all(['a', 'b'].map((b) => made.append({ body: Buffer.from(b), searchKeys: [] })))));
      const stored = await made.entries({ from: 0n, count: 5 });
      for (const a of appended) {
        const e = stored[Number(a.index)]!;
        assert.match(Buffer.from(e.body).toString(), new RegExp(`#${a.index}@${a.integratedTime}$`));
        assert.deepEqual(a.leafHash, hashLeaf(e.body));
        assert.deepEqual(e.leafHash, a.leafHash);
        assert.equal(Buffer.from(a.extra!).toString(), `x${a.index}`);
        verifyInclusion(a.index, a.treeSize, a.leafHash, a.proof, a.rootHash); // throws if it does not lead to the root
      }
      assert.deepEqual(await made.search(['t'], 'or', 10), [0n, 1n, 2n]);
      fail = true;
      await assertLogError(made.append({ body: Buffer.from('template'), searchKeys: [] }), 'STORAGE_FAILURE');
      fail = false;
      assert.equal((await made.head()).size, 5n);
      await checkLog(store, 'reads-made', verifierKeyOf(made, signer));
      await assertLogError(Log.open(opts({ name: 'reads-made', bodyAtSequencing: 'no' as never })), 'BAD_REQUEST');
      await assertLogError(
        Log.open(opts({ name: 'reads-made', bodyAtSequencing: async (e) => e, extraAtSequencing: async () => null })),
        'BAD_REQUEST',
      );
    });
  });
}
