import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { verifyConsistency } from '@signet/merkle';
import { pemDecode } from '@signet/pki';
import { testDrivers } from '@signet/storage/testonly';
import { startTestTlog, type TestTlog } from '../../test/testonly/tlog.js';
import { verifyCheckpointNote } from '../../test/testonly/verify-entry.js';
import { clientKey, hashedrekord } from '../../test/testonly/fixtures.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));

for (const driver of drivers) {
  describe(`log info, public key and proofs (${driver.name})`, () => {
    let tl: TestTlog;
    const cleanups: (() => Promise<void>)[] = [];
    before(async () => {
      tl = await startTestTlog((fn) => cleanups.push(fn), driver);
    });
    after(async () => {
      for (const fn of cleanups) await fn();
    });
    const get = (url: string) => tl.app.inject({ method: 'GET', url });

    test('GET /api/v1/log: an empty log has a signed size-0 head; then it grows', async () => {
      const empty = (await get('/api/v1/log')).json();
      assert.equal(empty.treeSize, 0);
      assert.equal(empty.rootHash, createHash('sha256').digest('hex'));
      assert.equal(empty.treeID, tl.treeId.toString());
      const trust = { spkiDer: tl.signer.publicKeyDer, hostname: tl.hostname, treeId: tl.treeId };
      assert.equal(verifyCheckpointNote(empty.signedTreeHead, trust).size, 0n);
      const key = clientKey();
      for (let i = 0; i < 5; i++) await tl.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: hashedrekord(key, Buffer.from(`li${i}`)).proposed });
      const res = await get('/api/v1/log');
      assert.equal(res.statusCode, 200);
      const info = res.json();
      assert.deepEqual(Object.keys(info), ['rootHash', 'treeSize', 'signedTreeHead', 'treeID']);
      assert.equal(info.treeSize, 5);
      const cp = verifyCheckpointNote(info.signedTreeHead, trust);
      assert.equal(cp.origin, `localhost - ${tl.treeId}`);
      assert.equal(Buffer.from(cp.rootHash).toString('hex'), info.rootHash);
    });

    test('GET /api/v1/log/publicKey: the log key as PEM', async () => {
      const res = await get('/api/v1/log/publicKey');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/x-pem-file');
      assert.deepEqual(Buffer.from(pemDecode(res.body, 'PUBLIC KEY')), Buffer.from(tl.signer.publicKeyDer));
      assert.equal((await get(`/api/v1/log/publicKey?treeID=${tl.treeId}`)).statusCode, 200);
      const other = await get('/api/v1/log/publicKey?treeID=42');
      assert.equal(other.statusCode, 400);
      assert.match(other.json().message, /tree ID 42 is not served/);
      assert.equal((await get('/api/v1/log/publicKey?treeID=abc')).statusCode, 400);
    });

    test('GET /api/v1/log/proof: consistency proofs verify; Rekor errors for bad sizes', async () => {
      const key = clientKey();
      for (let i = 0; i < 3; i++) await tl.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: hashedrekord(key, Buffer.from(`pr${i}`)).proposed });
      const size = Number((await tl.engine.head()).size);
      const roots = new Map<number, Buffer>();
      for (let s = 1; s <= size; s++) roots.set(s, Buffer.from((await get(`/api/v1/log/proof?firstSize=${s}&lastSize=${s}`)).json().rootHash, 'hex'));
      for (let m = 1; m <= size; m++) {
        const res = await get(`/api/v1/log/proof?firstSize=${m}&lastSize=${size}`);
        assert.equal(res.statusCode, 200);
        const p = res.json();
        verifyConsistency(BigInt(m), BigInt(size), p.hashes.map((h: string) => Buffer.from(h, 'hex')), roots.get(m)!, Buffer.from(p.rootHash, 'hex'));
      }
      const dflt = (await get(`/api/v1/log/proof?lastSize=${size}`)).json();
      assert.deepEqual(dflt, (await get(`/api/v1/log/proof?firstSize=1&lastSize=${size}`)).json());
      const cases: [string, RegExp][] = [
        [`/api/v1/log/proof?firstSize=3&lastSize=2`, /firstSize\(3\) must be less than or equal to lastSize\(2\)/],
        [`/api/v1/log/proof?firstSize=1&lastSize=${size + 10}`, new RegExp(`the tree size requested\\(${size + 10}\\) was greater than what is currently observable\\(${size}\\)`)],
        ['/api/v1/log/proof?firstSize=0&lastSize=1', /firstSize/],
        ['/api/v1/log/proof?firstSize=1', /lastSize/],
        ['/api/v1/log/proof?firstSize=1&lastSize=x', /lastSize/],
        [`/api/v1/log/proof?firstSize=1&lastSize=1&treeID=7`, /tree ID 7/],
      ];
      for (const [url, re] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.json().message, re, url);
      }
    });
  });
}
