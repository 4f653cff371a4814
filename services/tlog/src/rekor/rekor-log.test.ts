import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { EphemeralSigner } from '@signet/pki';
import type { LogStore } from '@signet/storage';
import { testDrivers } from '@signet/storage/testonly';
import { clientKey, hashedrekord } from '../../test/testonly/fixtures.js';
import { verifyLogEntry, type LogTrust } from '../../test/testonly/verify-entry.js';
import { Log } from '../log/index.js';
import { assertLogError } from '../testonly/index.js';
import { defaultTreeId } from './entry-id.js';
import type { RekorLogEntryAnon } from './log-entry.js';
import { RekorLog } from './rekor-log.js';
import { setAtSequencing, storedSet } from './set.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));

for (const driver of drivers) {
  describe(`RekorLog SETs (${driver.name})`, () => {
    it('a SET signed at sequencing is stored and served on every read; entries stored without one get fresh ones, and all verify', async (t) => {
      const store: LogStore = await driver.open();
      t.after(() => store.close());
      const signer = EphemeralSigner.generate('ecdsa-p256-sha256');
      const logId = new Uint8Array(await crypto.subtle.digest('SHA-256', signer.publicKeyDer));
      const treeId = defaultTreeId(logId);
      const trust: LogTrust = { spkiDer: signer.publicKeyDer, hostname: 'localhost', treeId };
      const open = async (storeSets: boolean) => {
        const engine = await Log.open({
          name: 'rekor-sets',
          store,
          signer,
          origin: `localhost - ${treeId}`,
          noteKeyName: 'localhost',
          noteKeyId: logId.slice(0, 4),
          now: Date.now,
          maxAgeMs: 1,
          ...(storeSets && { extraAtSequencing: setAtSequencing(signer, logId) }),
        });
        t.after(() => engine.close());
        // No SET cache: a SET signed on a read differs from one read to the next (ECDSA).
        return { engine, rekor: new RekorLog({ engine, signer, treeId, setCacheEntries: 0 }) };
      };
      const key = clientKey();
      const anonOf = (e: Record<string, RekorLogEntryAnon>) => verifyLogEntry(e, trust).anon;

      // Written by a log that did not store SETs (as before this feature).
      const before = await open(false);
      const old = await before.rekor.createEntry(hashedrekord(key, Buffer.from('before')).proposed);
      const oldAnon = anonOf(old.entry);
      assert.equal((await before.engine.entries({ indices: [BigInt(oldAnon.logIndex)] }))[0]!.extra, null);

      const now = await open(true);
      const created = await now.rekor.createEntry(hashedrekord(key, Buffer.from('after')).proposed);
      const anon = anonOf(created.entry);
      const [row] = await now.engine.entries({ indices: [BigInt(anon.logIndex)] });
      assert.equal(storedSet(row!.extra), anon.verification.signedEntryTimestamp, 'the 201 carries the stored SET');

      const byIndex = anonOf(await now.rekor.entryByIndex(BigInt(anon.logIndex)));
      const byId = anonOf(await now.rekor.entryById(created.entryId));
      const [retrieved] = await now.rekor.retrieve({ logIndexes: [anon.logIndex] });
      for (const read of [byIndex, byId, anonOf(retrieved!)]) {
        assert.equal(read.verification.signedEntryTimestamp, anon.verification.signedEntryTimestamp);
        assert.deepEqual({ ...read, verification: undefined }, { ...anon, verification: undefined });
      }

      // The GET routes' JSON bytes are those of the objects, for an entry with a stored SET and for
      // one without (its SET signed on the first read, then cached by this RekorLog).
      const cached = new RekorLog({ engine: now.engine, signer, treeId });
      for (const e of [created, old]) {
        const index = BigInt(anonOf(e.entry).logIndex);
        const asJson = (o: object) => Buffer.from(JSON.stringify(o));
        const byIndexJson = await cached.entryJsonByIndex(index);
        assert.deepEqual(byIndexJson, asJson(await cached.entryByIndex(index)));
        assert.deepEqual(await cached.entryJsonById(e.entryId), byIndexJson);
        assert.deepEqual(await cached.entryJsonById(e.entryId.slice(16)), byIndexJson, 'a bare UUID');
        anonOf(JSON.parse(byIndexJson.toString('utf8')) as Record<string, RekorLogEntryAnon>);
      }
      await assertLogError(cached.entryJsonByIndex(1000n), 'NOT_FOUND');
      await assertLogError(cached.entryJsonById('ab'.repeat(32)), 'NOT_FOUND');
      await assertLogError(cached.entryJsonById(`${'0'.repeat(15)}1${'ab'.repeat(32)}`), 'NOT_FOUND');
      await assertLogError(cached.entryJsonById('xyz'), 'BAD_REQUEST');

      const oldReads = await Promise.all([0, 1].map(() => now.rekor.entryByIndex(BigInt(oldAnon.logIndex))));
      const [r1, r2] = oldReads.map(anonOf); // each verifies (verifyLogEntry checks the SET)
      assert.notEqual(r1!.verification.signedEntryTimestamp, r2!.verification.signedEntryTimestamp, 'signed on each read');
      assert.equal(r1!.body, oldAnon.body);
    });
  });
}
