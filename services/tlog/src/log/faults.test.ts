import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashLeaf } from '@signet/merkle';
import { openSigner, type Signer } from '@signet/pki';
import type { LogHead, LogStore } from '@signet/storage';
import { FaultyStore, testDrivers } from '@signet/storage/testonly';
import { FakeClock, assertLogError, checkLog, testBody, verifierKeyOf } from '../testonly/index.js';
import type { CheckpointVerifierKey } from '../testonly/index.js';
import { Log } from './log.js';

/** A real signer that can be told to fail its next signatures (an HSM going away). */
class FlakySigner implements Signer {
  failures = 0;
  constructor(private readonly inner: Signer) {}
  get algorithm(): Signer['algorithm'] {
    return this.inner.algorithm;
  }
  get publicKeyDer(): Uint8Array {
    return this.inner.publicKeyDer;
  }
  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('injected signer failure');
    }
    return this.inner.sign(data);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

for (const driver of testDrivers(process.env.DATABASE_URL)) {
  describe(`log under storage faults (${driver.name})`, () => {
    let store: LogStore;
    let faulty: FaultyStore;
    let signer: FlakySigner;
    let clock: FakeClock;
    let log: Log;
    let key: CheckpointVerifierKey;
    let prev: LogHead | undefined;
    /** Every acknowledged append: index → body. */
    const acked = new Map<bigint, Uint8Array>();

    before(async () => {
      store = await driver.open();
      faulty = new FaultyStore(store);
      signer = new FlakySigner(await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' }));
      clock = new FakeClock();
      log = await Log.open({
        name: 'faults',
        store: faulty,
        signer,
        origin: 'signet.test - 3',
        noteKeyName: 'signet.test',
        now: clock.now,
        timers: clock.timers,
        headTtlMs: 1000,
      });
      key = verifierKeyOf(log, signer);
    });
    after(async () => {
      await store.close();
      await driver.cleanup();
    });

    async function append(label: string): Promise<bigint> {
      const body = testBody(label);
      const r = await log.append({ body, searchKeys: [label] });
      acked.set(r.index, body);
      return r.index;
    }

    /** checkLog against the previous head, and every acknowledged entry still there. */
    async function check(): Promise<LogHead> {
      faulty.clear();
      prev = await checkLog(store, 'faults', key, prev);
      const found = await store.readEntries('faults', { indices: [...acked.keys()] });
      assert.equal(found.length, acked.size, 'no acknowledged entry lost');
      for (const e of found) assert.deepEqual(e.body, acked.get(e.index));
      return prev;
    }

    const present = async (label: string): Promise<boolean> =>
      (await store.readEntries('faults', { leafHashes: [hashLeaf(testBody(label))] })).length === 1;

    it('starts healthy', async () => {
      await append('a0');
      await append('a1');
      await check();
    });

    it('commit failing before it persists: STORAGE_FAILURE, nothing written, next append fine', async () => {
      faulty.fail('commit', 'before');
      await assertLogError(append('b0'), 'STORAGE_FAILURE');
      await check();
      assert.equal(await present('b0'), false);
      await append('b1');
      assert.equal(await append('b0'), 3n, 'the failed entry can be appended again');
      await check();
    });

    it('commit failing after it persisted: STORAGE_FAILURE, entry logged unacknowledged, retry → ENTRY_EXISTS', async () => {
      faulty.fail('commit', 'after');
      await assertLogError(append('c0'), 'STORAGE_FAILURE');
      await check();
      assert.equal(await present('c0'), true);
      const again = await assertLogError(append('c0'), 'ENTRY_EXISTS');
      assert.equal(again.details.index, (await log.head()).size - 1n);
      await append('c1');
      await check();
    });

    it('reloading state failing (head, then tiles) after an unknown outcome', async () => {
      faulty.fail('commit', 'after');
      await assertLogError(append('d0'), 'STORAGE_FAILURE');
      faulty.fail('head', 'before');
      await assertLogError(append('d1'), 'STORAGE_FAILURE');
      await check();
      faulty.fail('commit', 'before');
      faulty.fail('readTiles', 'before');
      await assertLogError(append('d2'), 'STORAGE_FAILURE');
      await assertLogError(append('d3'), 'STORAGE_FAILURE');
      await check();
      await append('d1');
      await append('d2');
      await append('d3');
      await check();
    });

    it('the duplicate pre-check failing, and the signer failing: STORAGE_FAILURE, nothing written', async () => {
      const before = (await log.head()).size;
      faulty.fail('readEntries', 'before');
      await assertLogError(append('e0'), 'STORAGE_FAILURE');
      signer.failures = 1;
      await assertLogError(append('e1'), 'STORAGE_FAILURE');
      await check();
      assert.equal((await store.head('faults')).size, before);
      await append('e0');
      await append('e1');
      await check();
    });

    it('many appends in flight while commits fail before and after persisting', async () => {
      faulty.fail('commit', 'after', { times: 2 });
      faulty.fail('commit', 'before', { times: 2 });
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => append(`f${i}`)),
      );
      const failed = results.filter((r) => r.status === 'rejected');
      assert.ok(failed.length > 0);
      for (const r of failed) assert.equal((r.reason as { code?: string }).code, 'STORAGE_FAILURE');
      await check();
      // Everything not acknowledged can be retried: it lands, or is already there (ENTRY_EXISTS).
      for (let i = 0; i < 40; i++) {
        await append(`f${i}`).catch((err: { code?: string }) => assert.equal(err.code, 'ENTRY_EXISTS'));
      }
      const head = await check();
      for (let i = 0; i < 40; i++) assert.equal(await present(`f${i}`), true);
      assert.ok(head.size >= 40n);
    });

    it('read paths report STORAGE_FAILURE while the store fails, and recover', async () => {
      clock.advance(1000); // the cached head is now stale
      faulty.fail('head', 'before');
      await assertLogError(log.head(), 'STORAGE_FAILURE');
      const head = await log.head();
      assert.equal(head.size, (await store.head('faults')).size);

      const cold = await Log.open({ name: 'faults', store: faulty, signer, origin: 'signet.test - 3', noteKeyName: 'signet.test', now: clock.now });
      faulty.fail('readTiles', 'before');
      await assertLogError(cold.inclusionProof(0n), 'STORAGE_FAILURE');
      assert.ok((await cold.inclusionProof(0n)).hashes.length > 0);
      faulty.fail('readEntries', 'before');
      await assertLogError(cold.entryBundle(0n, 1), 'STORAGE_FAILURE');
      faulty.fail('search', 'before');
      await assertLogError(cold.search(['a0'], 'or', 5), 'STORAGE_FAILURE');
      assert.deepEqual(await cold.search(['a0'], 'or', 5), [0n]);
      await check();
    });
  });
}
