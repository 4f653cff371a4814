import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { verifyConsistency, verifyInclusion } from '@signet/merkle';
import { openSigner } from '@signet/pki';
import { type LogStore, openStore } from '@signet/storage';
import { testDrivers } from '@signet/storage/testonly';
import { GatedStore, checkLog, testBody, verifierKeyOf, verifyCheckpoint } from '../testonly/index.js';
import { LogError } from '../errors.js';
import { Log } from './log.js';
import type { Appended } from './sequencer.js';

const WORKERS = 6; // closed-loop appenders per Log
const PER_WORKER = 25;

for (const driver of testDrivers(process.env.DATABASE_URL)) {
  describe(`two Logs appending to one database (${driver.name})`, () => {
    const stores: LogStore[] = [];
    after(async () => {
      for (const s of stores) await s.close();
      await driver.cleanup();
    });

    // pipelineDepth 2: a batch may be sent before the one ahead of it lands (until the first lost
    // compare-and-swap: a contended log runs at depth 1), and the other log can move the head between.
    for (const pipelineDepth of [1, 2]) it(`keeps one linear history; every acknowledged entry and handed-out checkpoint holds (pipelineDepth ${pipelineDepth})`, async () => {
      // Two stores on one location where the driver allows it (pg: two pools, like two processes).
      const loc = await driver.location();
      const storeA = await openStore(loc);
      stores.push(storeA);
      const storeB = driver.concurrentOpen ? await openStore(loc) : storeA;
      if (storeB !== storeA) stores.push(storeB);
      const signer = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
      const gated = [new GatedStore(storeA), new GatedStore(storeB)];
      const logs = await Promise.all(
        gated.map((store) =>
          Log.open({ name: 'shared', store, signer, origin: 'signet.test - 9', noteKeyName: 'signet.test', now: Date.now, maxBatch: 8, pipelineDepth }),
        ),
      );

      const acked: { body: Uint8Array; r: Appended }[] = [];
      const exists = new Map<string, bigint>();
      async function worker(log: Log, w: number, who: string): Promise<void> {
        for (let i = 0; i < PER_WORKER; i++) {
          // Every 5th body is appended by both logs at about the same time.
          const body = testBody(i % 5 === 0 ? `shared-${w}-${i}` : `${who}-${w}-${i}`);
          try {
            acked.push({ body, r: await log.append({ body, searchKeys: [] }) });
          } catch (err) {
            assert.ok(err instanceof LogError && err.code === 'ENTRY_EXISTS', `unexpected ${String(err)}`);
            exists.set(Buffer.from(body).toString('hex'), err.details.index!);
          }
        }
      }
      await Promise.all(logs.flatMap((log, l) => Array.from({ length: WORKERS }, (_, w) => worker(log, w, `log${l}`))));

      const conflicts = gated.reduce((n, g) => n + (g.commitErrors.HEAD_CONFLICT ?? 0), 0);
      assert.ok(conflicts > 0, 'the two logs really raced for the head');
      const distinct = WORKERS * PER_WORKER * 2 - WORKERS * (PER_WORKER / 5);
      assert.equal(acked.length, distinct, 'every distinct body acknowledged exactly once');
      assert.equal(exists.size, WORKERS * (PER_WORKER / 5), 'the second copy of each shared body got ENTRY_EXISTS');
      assert.equal(new Set(acked.map((a) => a.r.index)).size, acked.length, 'no index handed out twice');

      const key = verifierKeyOf(logs[0]!, signer);
      const final = await checkLog(storeA, 'shared', key);
      assert.equal(final.size, BigInt(distinct));
      const byIndex = new Map((await readAll(logs[0]!, final.size)).map((e) => [e.index, e.body]));
      for (const { body, r } of acked) {
        assert.deepEqual(byIndex.get(r.index), body, `acknowledged entry ${r.index} is in the log`);
        verifyInclusion(r.index, r.treeSize, r.leafHash, r.proof, r.rootHash);
        const cp = verifyCheckpoint(r.checkpoint, key);
        if (cp.size < final.size) {
          const p = await logs[1]!.consistencyProof(cp.size, final.size);
          verifyConsistency(cp.size, final.size, p.hashes, cp.rootHash, final.rootHash);
        } else {
          assert.deepEqual(cp.rootHash, final.rootHash);
        }
      }
      for (const [bodyHex, index] of exists) assert.equal(Buffer.from(byIndex.get(index)!).toString('hex'), bodyHex);
    });
  });
}

async function readAll(log: Log, size: bigint): Promise<{ index: bigint; body: Uint8Array }[]> {
  const out: { index: bigint; body: Uint8Array }[] = [];
  for (let from = 0n; from < size; from += 1000n) out.push(...(await log.entries({ from, count: 1000 })));
  return out;
}
