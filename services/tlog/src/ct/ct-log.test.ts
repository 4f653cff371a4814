// The CT personality without HTTP: opening (config errors, key binding), crash safety of
// submissions under a faulty store, and SCT/leaf agreement after a failure that still persisted.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { EphemeralSigner, type Signer, pemEncode } from '@signet/pki';
import { FaultyStore, testDrivers } from '@signet/storage/testonly';
import { assertLogError } from '../testonly/index.js';
import { decodeLeaf } from './leaf.js';
import { openCtPersonality } from './personality.js';
import { createTestCa, issuePrecert, testLeafTemplate } from './testonly/fixtures.js';

const drivers = testDrivers(process.env.DATABASE_URL);
const T0 = Date.parse('2026-03-01T12:00:00Z');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

for (const driver of drivers) {
  describe(`CT personality (${driver.name})`, () => {
    after(() => driver.cleanup());

    test('opening refuses unsuitable keys, origins and roots, and a store whose CT log has another key', async (t) => {
      const store = await driver.open();
      t.after(() => store.close());
      const ca = await createTestCa(new Date(T0));
      const base = { store, rootsPem: ca.chainPem, origin: 'ct.example/ct', now: () => T0 };
      await assertLogError(openCtPersonality({ ...base, signer: EphemeralSigner.generate('ed25519') }), 'BAD_CONFIG');
      await assertLogError(openCtPersonality({ ...base, signer: EphemeralSigner.generate('ecdsa-p256-sha256'), origin: 'has space' }), 'BAD_CONFIG');
      await assertLogError(openCtPersonality({ ...base, signer: EphemeralSigner.generate('ecdsa-p256-sha256'), rootsPem: 'nothing' }), 'BAD_CONFIG');
      const first = await openCtPersonality({ ...base, signer: EphemeralSigner.generate('ecdsa-p256-sha256') });
      await first.close();
      await assert.rejects(openCtPersonality({ ...base, signer: EphemeralSigner.generate('ecdsa-p256-sha256') }), (e: Error & { code?: string }) => e.code === 'LOG_ID_MISMATCH');
    });

    test('submissions in one turn share the duplicate lookup: new chains are logged, earlier ones get their stored SCT', async (t) => {
      const store = await driver.open();
      t.after(() => store.close());
      let clock = T0;
      const ca = await createTestCa(new Date(T0));
      const ct = await openCtPersonality({ store, signer: EphemeralSigner.generate('ecdsa-p256-sha256'), rootsPem: ca.chainPem, origin: 'ct.example/ct', now: () => clock, maxAgeMs: 1 });
      t.after(() => ct.close());
      const chains = await Promise.all(Array.from({ length: 12 }, async () => [b64(await issuePrecert(ca, testLeafTemplate(ca, new Date(clock)))), b64(ca.intermediateDer)]));
      const early = await Promise.all(chains.slice(0, 4).map((c) => ct.log.addPreChain(c)));
      clock += 1000;
      // one turn: 4 resubmissions mixed with 8 new chains
      const all = await Promise.all(chains.map((c) => ct.log.addPreChain(c)));
      for (let i = 0; i < 4; i++) assert.deepEqual(all[i], early[i], `resubmission ${i} gets its first SCT`);
      for (let i = 4; i < 12; i++) assert.equal(all[i]!.timestamp, clock, `chain ${i} is new`);
      assert.equal((await ct.engine.head()).size, 12n);
    });

    test('an issuer outside the configuration stays reachable by fingerprint though only its first entry indexes it', async (t) => {
      const store = await driver.open();
      t.after(() => store.close());
      const clock = T0;
      const ca = await createTestCa(new Date(T0));
      const rootOnly = pemEncode('CERTIFICATE', ca.rootDer);
      const open = () => openCtPersonality({ store, signer, rootsPem: rootOnly, origin: 'ct.example/ct', now: () => clock, maxAgeMs: 1 });
      const signer = EphemeralSigner.generate('ecdsa-p256-sha256');
      const ct = await open();
      const chainOf = async () => [b64(await issuePrecert(ca, testLeafTemplate(ca, new Date(clock)))), b64(ca.intermediateDer), b64(ca.rootDer)];
      for (let i = 0; i < 3; i++) await ct.log.addPreChain(await chainOf());
      const fp = createHash('sha256').update(ca.intermediateDer).digest('hex');
      assert.deepEqual(await ct.log.issuer(fp), ca.intermediateDer);
      assert.deepEqual(await ct.log.issuer(createHash('sha256').update(ca.rootDer).digest('hex')), ca.rootDer);
      await ct.close();
      const again = await open();
      t.after(() => again.close());
      await again.log.addPreChain(await chainOf());
      assert.deepEqual(await again.log.issuer(fp), ca.intermediateDer);
      assert.equal((await again.engine.head()).size, 4n);
    });

    test('a failed commit returns no SCT; a commit that persisted but failed is answered with the logged SCT on retry', async (t) => {
      const store = new FaultyStore(await driver.open());
      t.after(() => store.close());
      let clock = T0;
      const signer: Signer = EphemeralSigner.generate('ecdsa-p256-sha256');
      const ca = await createTestCa(new Date(T0));
      const ct = await openCtPersonality({ store, signer, rootsPem: ca.chainPem, origin: 'ct.example/ct', now: () => clock, maxAgeMs: 1 });
      t.after(() => ct.close());
      const chainOf = async () => [b64(await issuePrecert(ca, testLeafTemplate(ca, new Date(clock)))), b64(ca.intermediateDer)];

      const lost = await chainOf();
      store.fail('commit', 'before');
      await assertLogError(ct.log.addPreChain(lost), 'STORAGE_FAILURE');
      assert.equal((await ct.engine.head()).size, 0n);
      clock += 10;
      const retried = await ct.log.addPreChain(lost);
      assert.equal(retried.timestamp, clock);
      assert.equal((await ct.engine.head()).size, 1n);

      const landed = await chainOf();
      clock += 10;
      const landedAt = clock;
      store.fail('commit', 'after');
      await assertLogError(ct.log.addPreChain(landed), 'STORAGE_FAILURE');
      clock += 10;
      const again = await ct.log.addPreChain(landed);
      assert.equal(again.timestamp, landedAt, 'the SCT of the entry that did land, not a new one');
      clock += 5_000; // past the engine's head cache
      const head = await ct.engine.head();
      assert.equal(head.size, 2n);
      const [entry] = await ct.engine.entries({ indices: [1n] });
      assert.equal(decodeLeaf(entry!.body).timestamp, BigInt(landedAt));
      const key = createPublicKey({ key: Buffer.from(signer.publicKeyDer), format: 'der', type: 'spki' });
      assert.ok(verify('sha256', entry!.body, { key, dsaEncoding: 'der' }, Buffer.from(again.signature, 'base64').subarray(4)), 'the SCT signs the logged leaf');
      const sth = await ct.log.getSth();
      assert.equal(sth.tree_size, 2);
      assert.ok(sth.timestamp >= landedAt);
    });
  });
}
