import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { verifyConsistency, verifyInclusion } from '@signet/merkle';
import { openSigner, type Signer } from '@signet/pki';
import { type LogStore, openStore } from '@signet/storage';
import { testDrivers } from '@signet/storage/testonly';
import { GatedStore, assertLogError, checkLog, testBody, verifierKeyOf, verifyCheckpoint } from '../testonly/index.js';
import { LogError } from '../errors.js';
import { AppendClient, serveAppends, type Channel } from './forward.js';
import { Log } from './log.js';
import type { Appended } from './sequencer.js';

/** A channel over a real MessagePort (structured clone, like the cluster channel in advanced mode). */
function channelOf(port: MessagePort): Channel {
  return {
    send: (m, onError) => {
      try {
        port.postMessage(m);
      } catch (e) {
        onError(e as Error);
      }
    },
    onMessage: (fn) => void port.on('message', fn),
  };
}

const CLIENTS = 6; // closed-loop appenders per forwarding Log
const PER_CLIENT = 20;

for (const driver of testDrivers(process.env.DATABASE_URL)) {
  describe(`one sequencer fed by forwarding Logs (${driver.name})`, () => {
    const stores: LogStore[] = [];
    const ports: MessagePort[] = [];
    after(async () => {
      for (const p of ports) p.close();
      for (const s of stores) await s.close();
      await driver.cleanup();
    });

    /** A sequencing Log and `n` forwarding Logs, each over its own channel (and store, where possible). */
    async function host(n: number, opts: { maxPending?: number; store?: LogStore } = {}) {
      const loc = await driver.location();
      const store = opts.store ?? (await openStore(loc));
      if (opts.store === undefined) stores.push(store);
      const signer: Signer = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
      const base = { name: 'fwd', signer, origin: 'signet.test - 7', noteKeyName: 'signet.test', now: Date.now };
      const gated = new GatedStore(store);
      const sequencer = await Log.open({ ...base, store: gated, maxBatch: 16, ...(opts.maxPending !== undefined && { maxPending: opts.maxPending }) });
      const clients: AppendClient[] = [];
      const forwarding: Log[] = [];
      for (let i = 0; i < n; i++) {
        const { port1, port2 } = new MessageChannel();
        ports.push(port1, port2);
        serveAppends(sequencer, channelOf(port1));
        const client = new AppendClient(channelOf(port2));
        clients.push(client);
        const own = driver.concurrentOpen ? await openStore(loc) : store;
        if (own !== store) stores.push(own);
        forwarding.push(await Log.open({ ...base, store: own, forwardTo: client }));
      }
      return { store, signer, sequencer, gated, clients, forwarding };
    }

    it('a forwarding Log that forwarded nothing learns every committed head before the appends are answered', async () => {
      const { forwarding } = await host(2);
      const [a, b] = forwarding as [Log, Log];
      const before = (await b.head()).size; // cached now: without the broadcast it would stay for headTtlMs
      for (let i = 0; i < 5; i++) {
        const r = await a.append({ body: testBody(`seen-by-b-${i}`), searchKeys: [] });
        await new Promise((resolve) => setImmediate(resolve)); // the MessagePort delivers in a later turn
        const seen = await b.head();
        assert.equal(seen.size, r.treeSize, 'the other worker serves the head just handed out');
        assert.equal(seen.checkpoint, r.checkpoint);
      }
      assert.equal((await b.head()).size, before + 5n);
    });

    it('appends through two forwarding Logs form one linear history with no lost compare-and-swap', async () => {
      const { store, signer, sequencer, gated, forwarding } = await host(2);
      const acked: { body: Uint8Array; r: Appended; who: string }[] = [];
      const exists = new Map<string, bigint>();
      const loop = async (log: Log, c: number, who: string) => {
        for (let i = 0; i < PER_CLIENT; i++) {
          // Every 5th body is sent through both forwarding Logs at about the same time.
          const body = testBody(i % 5 === 0 ? `shared-${c}-${i}` : `${who}-${c}-${i}`);
          try {
            acked.push({ body, who, r: await log.append({ body, searchKeys: [`k-${who}`] }) });
          } catch (err) {
            assert.ok(err instanceof LogError && err.code === 'ENTRY_EXISTS', `unexpected ${String(err)}`);
            exists.set(Buffer.from(body).toString('hex'), err.details.index!);
          }
        }
      };
      await Promise.all(forwarding.flatMap((log, l) => Array.from({ length: CLIENTS }, (_, c) => loop(log, c, `w${l}`))));

      assert.equal(gated.commitErrors.HEAD_CONFLICT ?? 0, 0, 'one sequencer: the head compare-and-swap is never lost');
      const distinct = CLIENTS * PER_CLIENT * 2 - CLIENTS * (PER_CLIENT / 5);
      assert.equal(acked.length, distinct, 'every distinct body acknowledged exactly once');
      assert.equal(exists.size, CLIENTS * (PER_CLIENT / 5), 'the second copy of each shared body got ENTRY_EXISTS');
      assert.equal(new Set(acked.map((a) => a.r.index)).size, acked.length, 'no index handed out twice');

      const key = verifierKeyOf(sequencer, signer);
      const final = await checkLog(store, 'fwd', key);
      assert.equal(final.size, BigInt(distinct));
      for (const { body, r } of acked) {
        const [stored] = await forwarding[0]!.entries({ indices: [r.index] });
        assert.deepEqual(stored?.body, body, `acknowledged entry ${r.index} is in the log`);
        verifyInclusion(r.index, r.treeSize, r.leafHash, r.proof, r.rootHash);
        const cp = verifyCheckpoint(r.checkpoint, key);
        assert.equal(cp.size, r.treeSize);
        if (cp.size < final.size) {
          const p = await forwarding[1]!.consistencyProof(cp.size, final.size);
          verifyConsistency(cp.size, final.size, p.hashes, cp.rootHash, final.rootHash);
        }
      }
      // A forwarding Log learns the head from its own answers, without reading the store.
      const seen = acked.filter((a) => a.who === 'w0').reduce((m, a) => (a.r.treeSize > m ? a.r.treeSize : m), 0n);
      assert.ok((await forwarding[0]!.head()).size >= seen);
      for (const log of [sequencer, ...forwarding]) await log.close();
    });

    it('pushback, bad entries and duplicates come back as the sequencer decided them', async () => {
      const { forwarding, sequencer } = await host(1, { maxPending: 3 });
      const [log] = forwarding as [Log];
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => log.append({ body: testBody(`p${i}`), searchKeys: [] })));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as LogError);
      assert.ok(refused.length >= 5, 'beyond maxPending the sequencer pushes back');
      for (const e of refused) {
        assert.equal(e.code, 'PUSHBACK');
        assert.equal(e.details.retryAfterSeconds, 1);
      }
      const first = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Appended>;
      const dup = await assertLogError(log.append({ body: testBody('p0'), searchKeys: [] }), 'ENTRY_EXISTS');
      assert.equal(dup.details.index, first.value.index);
      await assertLogError(log.append({ body: new Uint8Array(0), searchKeys: [] }), 'ENTRY_INVALID');
      await log.close();
      await assertLogError(log.append({ body: testBody('late'), searchKeys: [] }), 'SHUTTING_DOWN');
      await sequencer.close();
    });

    it('a sequencer that goes away fails waiting appends with STORAGE_FAILURE, never with a false acknowledgement', async () => {
      const { forwarding, clients, sequencer, store } = await host(1);
      const [log] = forwarding as [Log];
      const ok = await log.append({ body: testBody('before'), searchKeys: [] });
      const waiting = log.append({ body: testBody('in flight'), searchKeys: [] });
      clients[0]!.disconnected(); // what a worker does when the primary's channel closes
      await assertLogError(waiting, 'STORAGE_FAILURE');
      await assertLogError(log.append({ body: testBody('after'), searchKeys: [] }), 'STORAGE_FAILURE');
      await log.close(); // nothing left waiting: returns at once
      await sequencer.close();
      const [stored] = await store.readEntries('fwd', { indices: [ok.index] });
      assert.deepEqual(stored?.body, testBody('before'), 'the acknowledged entry is in the log');
    });
  });
}
