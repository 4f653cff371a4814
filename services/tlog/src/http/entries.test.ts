import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testDrivers } from '@signet/storage/testonly';
import { startTestTlog, type TestTlog } from '../../test/testonly/tlog.js';
import { verifyLogEntry } from '../../test/testonly/verify-entry.js';
import { certificateChain, clientKey, dsse, dsseEnvelope, hashedrekord, inTotoStatement, intoto, signArtifact, type ClientKey } from '../../test/testonly/fixtures.js';
import type { RekorLogEntry } from '../rekor/log-entry.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));
const post = (url: string, payload: unknown) => ({ method: 'POST' as const, url, payload: payload as object });

for (const driver of drivers) {
  describe(`entries (${driver.name})`, () => {
    let tl: TestTlog;
    let small: TestTlog;
    const cleanups: (() => Promise<void>)[] = [];
    before(async () => {
      tl = await startTestTlog((fn) => cleanups.push(fn), driver);
      small = await startTestTlog((fn) => cleanups.push(fn), driver, { maxBodyBytes: 4096 });
    });
    after(async () => {
      for (const fn of cleanups) await fn();
    });

    test('POST hashedrekord → 201 with ETag, Location and a LogEntry that verifies', async () => {
      const trust = { spkiDer: tl.signer.publicKeyDer, hostname: tl.hostname, treeId: tl.treeId };
      const key = clientKey();
      for (let i = 0; i < 3; i++) {
        const { proposed } = hashedrekord(key, Buffer.from(`artifact ${i}`));
        const before = Math.floor(Date.now() / 1000);
        const res = await tl.app.inject(post('/api/v1/log/entries', proposed));
        const after = Math.ceil(Date.now() / 1000);
        assert.equal(res.statusCode, 201, res.body);
        assert.match(res.headers['content-type'] as string, /^application\/json/);
        const entry = res.json() as RekorLogEntry;
        const { entryId, anon } = verifyLogEntry(entry, trust);
        assert.equal(res.headers.etag, entryId);
        assert.equal(res.headers.location, `/api/v1/log/entries/${entryId}`);
        assert.equal(anon.verification.inclusionProof.treeSize, anon.logIndex + 1);
        assert.ok(anon.logIndex >= i);
        assert.ok(anon.integratedTime >= before && anon.integratedTime <= after, 'integratedTime is the integration second, in Unix seconds');
        assert.deepEqual(Object.keys(anon), ['body', 'integratedTime', 'logID', 'logIndex', 'verification']);
      }
    });

    test('hashedrekord with an Ed25519 key and a SHA-512 digest (Ed25519ph) → 201; a wrong signature or another hash → 400', async () => {
      const trust = { spkiDer: tl.signer.publicKeyDer, hostname: tl.hostname, treeId: tl.treeId };
      const key = clientKey('ed25519');
      const chain = await certificateChain(key);
      for (const verifierPem of [key.publicKeyPem, chain.leafPem]) {
        const { proposed, digestHex } = hashedrekord(key, Buffer.from(`ed25519ph ${verifierPem.length}`), { hash: 'sha512', verifierPem });
        const res = await tl.app.inject(post('/api/v1/log/entries', proposed));
        assert.equal(res.statusCode, 201, res.body);
        const body = JSON.parse(Buffer.from(verifyLogEntry(res.json(), trust).anon.body, 'base64').toString());
        assert.deepEqual(body.spec.data.hash, { algorithm: 'sha512', value: digestHex });
      }
      // A wrong signature is the same 400 as for any other key type.
      const wrong = (k: ClientKey) => {
        const { proposed } = hashedrekord(k, Buffer.from('signed'), { hash: 'sha512' });
        proposed.spec.signature.content = Buffer.from(signArtifact(k, Buffer.from('not signed'), 'sha512')).toString('base64');
        return tl.app.inject(post('/api/v1/log/entries', proposed));
      };
      const [edWrong, ecWrong] = [await wrong(key), await wrong(clientKey('p384'))];
      assert.equal(edWrong.statusCode, 400);
      assert.deepEqual(edWrong.json(), ecWrong.json());
      assert.deepEqual(edWrong.json(), { code: 400, message: 'spec.signature.content does not verify over the sha512 digest with the given public key' });
      // Ed25519 with SHA-256 stays refused, naming the pair.
      const sha256 = await tl.app.inject(post('/api/v1/log/entries', hashedrekord(key, Buffer.from('sha256')).proposed));
      assert.equal(sha256.statusCode, 400);
      assert.match(sha256.json().message, /key\/hash pair ed25519 with sha256 is not allowed/);
    });

    test('a duplicate is 409 with Rekor message and Location; GET by index, UUID and entryID agree', async () => {
      const trust = { spkiDer: tl.signer.publicKeyDer, hostname: tl.hostname, treeId: tl.treeId };
      const { proposed } = hashedrekord(clientKey(), Buffer.from('dup'));
      const first = await tl.app.inject(post('/api/v1/log/entries', proposed));
      const entryId = first.headers.etag as string;
      const dup = await tl.app.inject(post('/api/v1/log/entries', proposed));
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.headers.location, `/api/v1/log/entries/${entryId}`);
      assert.deepEqual(dup.json(), { code: 409, message: `an equivalent entry already exists in the transparency log with UUID ${entryId}` });
      const index = (first.json() as RekorLogEntry)[entryId]!.logIndex;
      for (const url of [`/api/v1/log/entries?logIndex=${index}`, `/api/v1/log/entries/${entryId}`, `/api/v1/log/entries/${entryId.slice(16)}`, `/api/v1/log/entries/${entryId.toUpperCase()}`]) {
        const res = await tl.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, url);
        const got = verifyLogEntry(res.json(), trust);
        assert.equal(got.entryId, entryId);
        assert.equal(got.anon.body, (first.json() as RekorLogEntry)[entryId]!.body);
      }
    });

    test('GET answers are the LogEntry JSON exactly as the POST serialises it: same bytes, same headers', async () => {
      const posted = [];
      for (let i = 0; i < 5; i++) posted.push(await tl.app.inject(post('/api/v1/log/entries', hashedrekord(clientKey(), Buffer.from(`wire ${i}`)).proposed)));
      for (const p of posted) {
        const entryId = p.headers.etag as string;
        const anon = (p.json() as RekorLogEntry)[entryId]!;
        for (const url of [`/api/v1/log/entries?logIndex=${anon.logIndex}`, `/api/v1/log/entries/${entryId}`]) {
          const res = await tl.app.inject({ method: 'GET', url });
          assert.equal(res.statusCode, 200);
          assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
          assert.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)));
          const got = res.json() as RekorLogEntry;
          assert.equal(res.body, JSON.stringify(got), 'compact JSON, keys in schema order');
          assert.deepEqual(Object.keys(got), [entryId]);
          // The proof is to the current head, so it may differ from the 201's; everything else is equal.
          const { inclusionProof, ...rest } = got[entryId]!.verification;
          assert.deepEqual({ ...got[entryId]!, verification: rest }, { ...anon, verification: { signedEntryTimestamp: anon.verification.signedEntryTimestamp } });
          assert.deepEqual(Object.keys(inclusionProof), ['logIndex', 'rootHash', 'treeSize', 'hashes', 'checkpoint']);
        }
      }
      const retrieved = await tl.app.inject(post('/api/v1/log/entries/retrieve', { logIndexes: [0, 1] }));
      assert.equal(retrieved.body, JSON.stringify(retrieved.json()));
    });

    test('GET errors: 404 for misses, 400 for malformed IDs and indexes', async () => {
      await tl.app.inject(post('/api/v1/log/entries', hashedrekord(clientKey(), Buffer.from('x')).proposed));
      const cases: [string, number, RegExp][] = [
        ['/api/v1/log/entries?logIndex=5000', 404, /no entry at log index 5000/],
        [`/api/v1/log/entries/${'ab'.repeat(32)}`, 404, /no entry/],
        [`/api/v1/log/entries/${'0'.repeat(15)}1${'ab'.repeat(32)}`, 404, /tree ID 1 is not served/],
        ['/api/v1/log/entries/xyz', 400, /neither a 64-hex-digit UUID nor an 80-hex-digit entryID/],
        [`/api/v1/log/entries/${'a'.repeat(70)}`, 400, /neither/],
        [`/api/v1/log/entries/${'0'.repeat(16)}${'ab'.repeat(32)}`, 400, /invalid tree ID/],
        ['/api/v1/log/entries?logIndex=-1', 400, /logIndex/],
        ['/api/v1/log/entries?logIndex=abc', 400, /logIndex/],
        ['/api/v1/log/entries', 400, /logIndex/],
      ];
      for (const [url, status, re] of cases) {
        const res = await tl.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, status, url);
        assert.equal(res.json().code, status);
        assert.match(res.json().message, re, url);
      }
    });

    test('dsse and intoto over HTTP store the canonical forms', async () => {
      const trust = { spkiDer: tl.signer.publicKeyDer, hostname: tl.hostname, treeId: tl.treeId };
      const key = clientKey();
      const chain = await certificateChain(key);
      const payload = inTotoStatement(createHash('sha256').update('a').digest('hex'));
      const r1 = await tl.app.inject(post('/api/v1/log/entries', dsse(dsseEnvelope([key], payload), [chain.leafPem])));
      assert.equal(r1.statusCode, 201, r1.body);
      const body1 = JSON.parse(Buffer.from(verifyLogEntry(r1.json(), trust).anon.body, 'base64').toString());
      assert.equal(body1.kind, 'dsse');
      assert.equal(body1.spec.signatures.length, 1);
      const r2 = await tl.app.inject(post('/api/v1/log/entries', intoto([key], payload)));
      assert.equal(r2.statusCode, 201, r2.body);
      assert.equal(JSON.parse(Buffer.from(verifyLogEntry(r2.json(), trust).anon.body, 'base64').toString()).kind, 'intoto');
    });

    test('a signed in-toto statement whose subject digest holds U+0000 is logged without that search key, and does not fail the batch it shares', async () => {
      // PostgreSQL text cannot store U+0000: the key used to fail the whole batch's commit (503 for
      // this entry and for every entry sequenced with it).
      const key = clientKey('ed25519');
      const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: 'ab\u0000cd' } }], predicateType: 'x', predicate: {} }));
      const [nul, honest, nulIntoto] = await Promise.all([
        tl.app.inject(post('/api/v1/log/entries', dsse(dsseEnvelope([key], statement), [key.publicKeyPem]))),
        tl.app.inject(post('/api/v1/log/entries', hashedrekord(clientKey(), Buffer.from('sequenced beside a NUL key')).proposed)),
        tl.app.inject(post('/api/v1/log/entries', intoto([key], statement))),
      ]);
      assert.equal(nul.statusCode, 201, nul.body);
      assert.equal(honest.statusCode, 201, honest.body);
      assert.equal(nulIntoto.statusCode, 201, nulIntoto.body);
    });

    test('bad input of every kind is a 4xx naming the problem, never a 500', async () => {
      const tl = small;
      const key = clientKey();
      const good = () => hashedrekord(key, Buffer.from('bad inputs')).proposed;
      const json = { 'content-type': 'application/json' };
      const cases: [string, { payload: string | object; headers?: Record<string, string> }, number, RegExp][] = [
        ['malformed JSON', { payload: '{"kind":', headers: json }, 400, /not valid JSON/],
        ['empty body', { payload: '', headers: json }, 400, /empty/i],
        ['JSON array', { payload: '[]', headers: json }, 400, /object/],
        ['missing kind', { payload: { apiVersion: '0.0.1', spec: {} } }, 400, /kind/],
        ['unknown kind', { payload: { kind: 'rpm', apiVersion: '0.0.1', spec: {} } }, 400, /rpm 0\.0\.1 is not supported/],
        ['unknown version', { payload: { ...good(), apiVersion: '9.9.9' } }, 400, /hashedrekord 9\.9\.9 is not supported/],
        ['bad base64', { payload: (() => { const p = good(); p.spec.signature.content = '@@@'; return p; })() }, 400, /signature\.content is not valid base64/],
        ['bad PEM', { payload: (() => { const p = good(); p.spec.signature.publicKey.content = Buffer.from('hello').toString('base64'); return p; })() }, 400, /publicKey\.content: no PEM block/],
        ['wrong signature', { payload: (() => { const p = good(); p.spec.data.hash.value = 'ab'.repeat(32); return p; })() }, 400, /does not verify/],
        ['oversized body', { payload: { ...good(), pad: 'x'.repeat(5000) } }, 413, /limit of 4096 bytes/],
        ['wrong content type', { payload: 'kind=x', headers: { 'content-type': 'text/plain' } }, 415, /application\/json/],
        ['form content type', { payload: 'kind=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, /application\/json/],
      ];
      for (const [name, req, status, re] of cases) {
        const res = await tl.app.inject({ method: 'POST', url: '/api/v1/log/entries', ...req });
        assert.equal(res.statusCode, status, `${name}: ${res.body}`);
        assert.deepEqual(Object.keys(res.json()), ['code', 'message'], name);
        assert.equal(res.json().code, status, name);
        assert.match(res.json().message, re, name);
      }
      assert.equal((await tl.engine.head()).size, 0n, 'nothing was logged');
    });

    test('retrieve: UUIDs, proposed entries and indexes; misses dropped; 422 over 10 items', async () => {
      const trust = { spkiDer: tl.signer.publicKeyDer, hostname: tl.hostname, treeId: tl.treeId };
      const key = clientKey();
      const proposed = [0, 1, 2].map((i) => hashedrekord(key, Buffer.from(`r${i}`)).proposed);
      const ids: string[] = [];
      for (const p of proposed) ids.push((await tl.app.inject(post('/api/v1/log/entries', p))).headers.etag as string);
      const firstIndex = Object.values(await tl.rekor.entryById(ids[0]!))[0]!.logIndex;
      const res = await tl.app.inject(
        post('/api/v1/log/entries/retrieve', { entryUUIDs: [ids[2], ids[0]!.slice(16), 'ab'.repeat(32)], entries: [proposed[1]], logIndexes: [firstIndex, 7000] }),
      );
      assert.equal(res.statusCode, 200, res.body);
      const got = (res.json() as RekorLogEntry[]).map((e) => verifyLogEntry(e, trust).entryId);
      assert.deepEqual(got, [ids[2], ids[0], ids[1], ids[0]]);
      const tooMany = await tl.app.inject(post('/api/v1/log/entries/retrieve', { entryUUIDs: ids, logIndexes: [0, 1, 2, 3, 4, 5, 6, 7] }));
      assert.equal(tooMany.statusCode, 422);
      assert.deepEqual(tooMany.json(), { code: 422, message: 'more than max allowed 10 entries in request' });
      const bad = await tl.app.inject(post('/api/v1/log/entries/retrieve', { entryUUIDs: ['nope'] }));
      assert.equal(bad.statusCode, 400);
      const badEntry = await tl.app.inject(post('/api/v1/log/entries/retrieve', { entries: [{ kind: 'nope', apiVersion: '1', spec: {} }] }));
      assert.equal(badEntry.statusCode, 400);
      const empty = await tl.app.inject(post('/api/v1/log/entries/retrieve', {}));
      assert.deepEqual(empty.json(), []);
    });
  });
}
