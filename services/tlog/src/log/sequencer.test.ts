import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { hashLeaf, verifyInclusion } from '@signet/merkle';
import { openSigner, type Signer } from '@signet/pki';
import type { LogStore } from '@signet/storage';
import { FaultyStore, testDrivers } from '@signet/storage/testonly';
import { FakeClock, GatedStore, assertLogError, checkLog, testBody, verifierKeyOf, verifyCheckpoint } from '../testonly/index.js';
import { Log } from './log.js';
import { type LogOptions, realTimers } from './options.js';
import type { Appended } from './sequencer.js';

/** Lets pending promise callbacks and immediates run (no timing involved). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Tracks whether a promise has settled yet, without changing its outcome. */
function track<T>(p: Promise<T>): { p: Promise<T>; done: () => boolean } {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  return { p, done: () => done };
}

for (const driver of testDrivers(process.env.DATABASE_URL)) {
  describe(`log sequencer (${driver.name})`, () => {
    let store: LogStore | undefined;
    let signer: Signer;
    let logs = 0;
    after(async () => {
      await store?.close();
      await driver.cleanup();
    });

    /** A fresh log (its own name) on the driver's shared store, behind a GatedStore (over a FaultyStore). */
    async function setup(opts: Partial<LogOptions> = {}): Promise<{ log: Log; gated: GatedStore; faulty: FaultyStore; clock: FakeClock; name: string }> {
      signer ??= await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
      store ??= await driver.open();
      const faulty = new FaultyStore(store);
      const gated = new GatedStore(faulty);
      const clock = new FakeClock();
      const name = `seq${++logs}`;
      const log = await Log.open({
        name,
        store: gated,
        signer,
        origin: 'signet.test - 1',
        noteKeyName: 'signet.test',
        now: clock.now,
        timers: clock.timers,
        ...opts,
      });
      return { log, gated, faulty, clock, name };
    }

    it('an append that waits for its age is cut when the age timer fires, even if the injected now() stands still', { timeout: 20_000 }, async () => {
      // Real timers, frozen clock (as tests with a fixed `now` use): the timer's firing is the age.
      const { log, gated } = await setup({ maxAgeMs: 1, now: () => 1_700_000_000_000, timers: realTimers });
      gated.hold();
      const first = log.append({ body: testBody('frozen-a'), searchKeys: [] });
      await gated.commitsReached(1);
      const second = log.append({ body: testBody('frozen-b'), searchKeys: [] }); // arrives while busy
      gated.release();
      const [a, b] = await Promise.all([first, second]);
      assert.equal(b.index, a.index + 1n);
    });

    it('cuts a batch at once when idle, at maxBatch under load, and by age for the rest', async () => {
      // One batch at a time (the default; pipelining: below): appends arriving while it is in flight wait.
      const { log, gated, clock } = await setup({ maxBatch: 4, maxAgeMs: 1000, pipelineDepth: 1 });
      gated.hold();
      const first = log.append({ body: testBody('a'), searchKeys: [] });
      await gated.commitsReached(1); // went without any clock movement: the sequencer was idle
      const rest = Array.from({ length: 10 }, (_, i) => track(log.append({ body: testBody(i), searchKeys: [] })));
      gated.release();
      await first;
      await Promise.all(rest.slice(0, 8).map((t) => t.p));
      await settle();
      assert.deepEqual(gated.commits, [1, 4, 4]);
      assert.equal(rest[8]!.done() || rest[9]!.done(), false, 'the last two wait for their age');
      assert.equal(clock.timerCount, 1);
      clock.advance(999);
      await settle();
      assert.deepEqual(gated.commits, [1, 4, 4]);
      clock.advance(1);
      const last = await Promise.all(rest.slice(8).map((t) => t.p));
      assert.deepEqual(gated.commits, [1, 4, 4, 2]);
      assert.deepEqual(last.map((a) => a.index), [9n, 10n]);
    });

    it('stamps integratedTime at sequencing, the same for a whole batch', async () => {
      const { log, gated, clock } = await setup({ maxAgeMs: 50, pipelineDepth: 1 });
      gated.hold();
      const a = log.append({ body: testBody('t0'), searchKeys: [] });
      await gated.commitsReached(1);
      clock.advance(20);
      const b = log.append({ body: testBody('t1'), searchKeys: [] });
      const c = log.append({ body: testBody('t2'), searchKeys: [] });
      gated.release();
      const t0 = clock.now() - 20;
      assert.equal((await a).integratedTime, t0);
      clock.advance(50);
      const [rb, rc] = await Promise.all([b, c]);
      assert.equal(rb.integratedTime, clock.now());
      assert.equal(rc.integratedTime, clock.now());
    });

    it('answers PUSHBACK beyond maxPending outstanding appends, and recovers', async () => {
      const { log, gated } = await setup({ maxPending: 3 });
      gated.hold();
      const ok = [0, 1, 2].map((i) => log.append({ body: testBody(`p${i}`), searchKeys: [] }));
      const err = await assertLogError(log.append({ body: testBody('p3'), searchKeys: [] }), 'PUSHBACK');
      assert.ok((err.details.retryAfterSeconds ?? 0) >= 1);
      gated.release();
      assert.deepEqual((await Promise.all(ok)).map((a) => a.index).sort(), [0n, 1n, 2n]);
      assert.equal((await log.append({ body: testBody('p3'), searchKeys: [] })).index, 3n);
    });

    it('rejects duplicates: already logged, twice in one batch, and queued behind the in-flight copy', async () => {
      const { log, gated, clock } = await setup({ maxAgeMs: 5, pipelineDepth: 1 });
      const x = await log.append({ body: testBody('x'), searchKeys: [] });
      const again = await assertLogError(log.append({ body: testBody('x'), searchKeys: [] }), 'ENTRY_EXISTS');
      assert.equal(again.details.index, x.index);

      gated.hold();
      const inFlight = log.append({ body: testBody('z'), searchKeys: [] });
      await gated.commitsReached(2);
      const queuedCopy = log.append({ body: testBody('z'), searchKeys: [] });
      const y1 = log.append({ body: testBody('y'), searchKeys: [] });
      const y2 = log.append({ body: testBody('y'), searchKeys: [] });
      gated.release();
      clock.advance(5); // the three queued behind the in-flight batch are cut by age
      const z = await inFlight;
      assert.equal((await assertLogError(queuedCopy, 'ENTRY_EXISTS')).details.index, z.index);
      const y = await y1;
      assert.equal((await assertLogError(y2, 'ENTRY_EXISTS')).details.index, y.index);
      assert.equal((await log.head()).size, 3n, 'each distinct leaf logged once');
    });

    it('a batch mixing logged leaves with new ones: the logged ones get ENTRY_EXISTS with their index, the rest land under one head', async () => {
      const { log, clock } = await setup({ maxAgeMs: 5, pipelineDepth: 1 });
      const a = log.append({ body: testBody('ma'), searchKeys: [] });
      const b = log.append({ body: testBody('mb'), searchKeys: [] });
      clock.advance(5);
      const [ia, ib] = [(await a).index, (await b).index];
      const mixed = ['ma', 'n1', 'mb', 'n2'].map((t) => log.append({ body: testBody(t), searchKeys: [] }));
      clock.advance(5);
      const [ra, n1, rb, n2] = await Promise.allSettled(mixed);
      for (const [r, index] of [[ra, ia], [rb, ib]] as const) {
        assert.ok(r.status === 'rejected');
        assert.equal((r.reason as { code: string }).code, 'ENTRY_EXISTS');
        assert.equal((r.reason as { details: { index: bigint } }).details.index, index);
      }
      assert.ok(n1.status === 'fulfilled' && n2.status === 'fulfilled');
      assert.deepEqual([n1.value.index, n2.value.index].sort(), [2n, 3n]);
      assert.equal(n2.value.treeSize, 4n, 'one head for the new ones');
      assert.equal((await log.head()).size, 4n);
    });

    it('pipelining: the next batch is prepared and sent while the previous commit runs; answers keep the commit order', async () => {
      const { log, gated, clock, name } = await setup({ maxAgeMs: 1000, pipelineDepth: 2 });
      gated.hold();
      const order: string[] = [];
      const append = (tag: string) => log.append({ body: testBody(tag), searchKeys: [] }).then((a) => (order.push(tag), a));
      const a = append('pa');
      await gated.commitsReached(1);
      const b = append('pb');
      const c = append('pc');
      await gated.commitsReached(2); // sent while the first is still held: the depth is 2
      const d = track(append('pd')); // arrives with two batches in flight: waits for its age
      await settle();
      assert.deepEqual(gated.commits, [1, 2], 'a third batch waits: two are in flight');
      gated.release();
      const [ra, rb, rc] = await Promise.all([a, b, c]);
      await settle();
      assert.equal(d.done(), false);
      clock.advance(1000);
      const rd = await d.p;
      assert.deepEqual([ra, rb, rc, rd].map((r) => r.index), [0n, 1n, 2n, 3n]);
      assert.deepEqual(order, ['pa', 'pb', 'pc', 'pd']);
      assert.deepEqual(gated.commits, [1, 2, 1]);
      assert.equal(rb.treeSize, 3n);
      const key = verifierKeyOf(log, signer);
      for (const r of [ra, rb, rc, rd]) verifyInclusion(r.index, r.treeSize, r.leafHash, r.proof, r.rootHash);
      await checkLog(store!, name, key);
    });

    it('pipelining: a batch sent behind one that fails unlanded is refused by the compare-and-swap and retried on what is committed', async () => {
      const { log, gated, faulty, clock, name } = await setup({ maxAgeMs: 1000, pipelineDepth: 2 });
      gated.hold();
      faulty.fail('commit', 'before'); // the first batch's commit never reaches the database
      const a = log.append({ body: testBody('fa'), searchKeys: [] });
      await gated.commitsReached(1);
      const b = log.append({ body: testBody('fb'), searchKeys: [] });
      await gated.commitsReached(2); // built on the first batch's placement
      gated.release();
      await assertLogError(a, 'STORAGE_FAILURE');
      const rb = await b;
      assert.equal(rb.index, 0n, 'retried on the committed (empty) log, not on the failed placement');
      assert.deepEqual(gated.commitErrors, { DB_ERROR: 1, HEAD_CONFLICT: 1 });
      await checkLog(store!, name, verifierKeyOf(log, signer));
      // A lost compare-and-swap counts as contention: the sequencer yields maxAgeMs after its next commit.
      const again = log.append({ body: testBody('fa'), searchKeys: [] });
      clock.advance(1000);
      assert.equal((await again).index, 1n, 'the failed entry can be appended again');
    });

    it('pipelining: a batch sent behind one whose commit landed but was not acknowledged lands on top of it', async () => {
      const { log, gated, faulty, name } = await setup({ maxAgeMs: 1000, pipelineDepth: 2 });
      gated.hold();
      faulty.fail('commit', 'after'); // the first batch lands; its acknowledgement is lost
      const a = log.append({ body: testBody('ua'), searchKeys: [] });
      await gated.commitsReached(1);
      const b = log.append({ body: testBody('ub'), searchKeys: [] });
      await gated.commitsReached(2);
      gated.release();
      await assertLogError(a, 'STORAGE_FAILURE');
      assert.equal((await b).index, 1n);
      assert.deepEqual(gated.commitErrors, { DB_ERROR: 1 });
      await checkLog(store!, name, verifierKeyOf(log, signer));
      assert.equal((await assertLogError(log.append({ body: testBody('ua'), searchKeys: [] }), 'ENTRY_EXISTS')).details.index, 0n);
    });

    it('pipelining: a copy of a leaf whose batch is in flight gets ENTRY_EXISTS with its index, without a commit of its own', async () => {
      const { log, gated } = await setup({ maxAgeMs: 1000, pipelineDepth: 2 });
      gated.hold();
      const a = log.append({ body: testBody('da'), searchKeys: [] });
      await gated.commitsReached(1);
      const copy = log.append({ body: testBody('da'), searchKeys: [] });
      const other = log.append({ body: testBody('db'), searchKeys: [] });
      await gated.commitsReached(2);
      gated.release();
      const ra = await a;
      assert.equal((await assertLogError(copy, 'ENTRY_EXISTS')).details.index, ra.index);
      assert.equal((await other).index, 1n);
      assert.deepEqual(gated.commits, [1, 1], 'the copy was never sent');
    });

    it('rejects bad entries with a code naming the problem', async () => {
      const { log } = await setup();
      await assertLogError(log.append({ body: new Uint8Array(0), searchKeys: [] }), 'ENTRY_INVALID');
      await assertLogError(log.append({ body: new Uint8Array(65_536), searchKeys: [] }), 'BODY_TOO_LARGE');
      await assertLogError(log.append({ body: testBody('k'), searchKeys: [''] }), 'ENTRY_INVALID');
      await assertLogError(log.append({ body: testBody('k'), searchKeys: ['ok', 'a\u0000b'] }), 'ENTRY_INVALID');
      await assertLogError(log.append({ body: testBody('k'), searchKeys: 'a' as unknown as string[] }), 'ENTRY_INVALID');
      assert.equal((await log.append({ body: new Uint8Array(65_535), searchKeys: [] })).index, 0n);
    });

    it('returns proofs and checkpoints that verify, and keeps search keys and extra data', async () => {
      const { log, name } = await setup({ now: Date.now, timers: undefined });
      const key = verifierKeyOf(log, signer);
      const results: Appended[] = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          log.append({ body: testBody(`v${i}`), searchKeys: [`Key-${i % 3}`], extra: i === 7 ? Uint8Array.of(7) : null }),
        ),
      );
      for (const [i, r] of results.entries()) {
        const body = testBody(`v${i}`);
        assert.deepEqual(r.leafHash, hashLeaf(body));
        const cp = verifyCheckpoint(r.checkpoint, key);
        assert.equal(cp.size, r.treeSize);
        assert.deepEqual(cp.rootHash, r.rootHash);
        verifyInclusion(r.index, r.treeSize, r.leafHash, r.proof, r.rootHash);
      }
      assert.deepEqual([...new Set(results.map((r) => r.index))].length, 300);
      const [e7] = await log.entries({ indices: [results[7]!.index] });
      assert.deepEqual(e7!.extra, Uint8Array.of(7));
      const found = await log.search(['key-1'], 'or', 1000);
      assert.equal(found.length, 100);
      await checkLog(store!, name, key);
    });

    it('close(): refuses new appends, commits what is queued, then resolves', async () => {
      const { log, gated } = await setup({ maxAgeMs: 60_000 });
      gated.hold();
      const queued = [0, 1, 2].map((i) => log.append({ body: testBody(`c${i}`), searchKeys: [] }));
      await gated.commitsReached(1);
      const closing = log.close();
      await assertLogError(log.append({ body: testBody('late'), searchKeys: [] }), 'SHUTTING_DOWN');
      gated.release();
      await closing; // the queued two were cut without waiting 60 s of age
      assert.deepEqual((await Promise.all(queued)).map((a) => a.index).sort(), [0n, 1n, 2n]);
    });

    it('close(): after closeTimeoutMs rejects what is still waiting with SHUTTING_DOWN', async () => {
      const { log, gated, clock, name } = await setup({ closeTimeoutMs: 100 });
      gated.hold();
      const a = track(log.append({ body: testBody('s0'), searchKeys: [] }));
      const b = track(log.append({ body: testBody('s1'), searchKeys: [] }));
      await gated.commitsReached(1);
      const closing = log.close();
      clock.advance(100);
      await closing;
      await assertLogError(a.p, 'SHUTTING_DOWN');
      await assertLogError(b.p, 'SHUTTING_DOWN');
      gated.release(); // the held commit lands now: logged, never acknowledged — allowed
      await gated.quiet();
      await checkLog(store!, name, verifierKeyOf(log, signer));
    });
  });
}
