import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testDrivers } from '@signet/storage/testonly';
import { startTestTlog, type TestTlog } from '../../test/testonly/tlog.js';
import { certificateChain, clientKey, dsse, dsseEnvelope, hashedrekord, inTotoStatement } from '../../test/testonly/fixtures.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));
const sha256 = (d: string | Uint8Array) => createHash('sha256').update(d).digest('hex');

for (const driver of drivers) {
  describe(`POST /api/v1/index/retrieve (${driver.name})`, () => {
    let tl: TestTlog;
    const cleanups: (() => Promise<void>)[] = [];
    const ids: Record<string, string> = {};
    const alice = clientKey();
    const bob = clientKey();
    const subject = sha256('built artifact');
    before(async () => {
      tl = await startTestTlog((fn) => cleanups.push(fn), driver);
      const chain = await certificateChain(alice, { email: 'Alice@Example.com' });
      const add = async (name: string, proposed: unknown) => {
        const res = await tl.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: proposed as object });
        assert.equal(res.statusCode, 201, res.body);
        ids[name] = res.headers.etag as string;
      };
      await add('aliceCert', hashedrekord(alice, Buffer.from('one'), { verifierPem: chain.leafPem }).proposed);
      await add('aliceKey', hashedrekord(alice, Buffer.from('two')).proposed);
      await add('bobKey', hashedrekord(bob, Buffer.from('one')).proposed);
      await add('bobDsse', dsse(dsseEnvelope([bob], inTotoStatement(subject)), [bob.publicKeyPem]));
    });
    after(async () => {
      for (const fn of cleanups) await fn();
    });
    const search = async (q: unknown) => {
      const res = await tl.app.inject({ method: 'POST', url: '/api/v1/index/retrieve', payload: q as object });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as string[]).sort();
    };
    const sorted = (...names: string[]) => names.map((n) => ids[n]!).sort();

    test('by artifact hash: bare (length-prefixed), prefixed, any case', async () => {
      const h = sha256('one');
      assert.deepEqual(await search({ hash: h }), sorted('aliceCert', 'bobKey'));
      assert.deepEqual(await search({ hash: `sha256:${h.toUpperCase()}` }), sorted('aliceCert', 'bobKey'));
      assert.deepEqual(await search({ hash: sha256('nothing') }), []);
      assert.deepEqual(await search({ hash: subject }), sorted('bobDsse'), 'in-toto subject digest');
    });

    test('by email/subject (case-insensitive) and by x509 public key (hashedrekord and dsse)', async () => {
      assert.deepEqual(await search({ email: 'alice@EXAMPLE.com' }), sorted('aliceCert'));
      assert.deepEqual(await search({ subject: 'ALICE@example.com' }), sorted('aliceCert'));
      const pk = (k: { publicKeyPem: string }) => ({ format: 'x509', content: Buffer.from(k.publicKeyPem).toString('base64') });
      assert.deepEqual(await search({ publicKey: pk(alice) }), sorted('aliceKey'));
      assert.deepEqual(await search({ publicKey: pk(bob) }), sorted('bobKey', 'bobDsse'));
    });

    test('operators: or (default) is the union, and the intersection', async () => {
      const h = sha256('one');
      const pk = { format: 'x509', content: Buffer.from(bob.publicKeyPem).toString('base64') };
      assert.deepEqual(await search({ hash: h, publicKey: pk }), sorted('aliceCert', 'bobKey', 'bobDsse'));
      assert.deepEqual(await search({ hash: h, publicKey: pk, operator: 'and' }), sorted('bobKey'));
      assert.deepEqual(await search({ email: 'alice@example.com', publicKey: pk, operator: 'and' }), []);
    });

    test('bad queries are 400s naming the problem', async () => {
      const cases: [unknown, RegExp][] = [
        [{}, /at least one of hash, email, subject or publicKey/],
        [{ hash: 'xyz' }, /hash "xyz" must be hex/],
        [{ hash: 'sha256:abcd' }, /must be hex of a sha1\/sha256/],
        [{ publicKey: { format: 'pgp', content: 'AAAA' } }, /pgp.*not supported/],
        [{ publicKey: { format: 'x509', url: 'https://example.com/key' } }, /url is not supported/],
        [{ publicKey: { format: 'x509', content: Buffer.from('nope').toString('base64') } }, /publicKey\.content/],
        [{ publicKey: { format: 'ssl' } }, /format/],
        [{ operator: 'xor', hash: sha256('one') }, /operator/],
        // PostgreSQL text cannot carry U+0000: these were 503s from the database.
        [{ subject: 'alice\u0000@example.com' }, /subject must not contain a NUL character/],
        [{ hash: sha256('one'), subject: '\u0000' }, /subject must not contain a NUL character/],
      ];
      for (const [q, re] of cases) {
        const res = await tl.app.inject({ method: 'POST', url: '/api/v1/index/retrieve', payload: q as object });
        assert.equal(res.statusCode, 400, JSON.stringify(q));
        assert.match(res.json().message, re, JSON.stringify(q));
      }
    });
  });

  describe(`POST /api/v1/index/retrieve with a result cap (${driver.name})`, () => {
    test('and: a match beyond the cap of one criterion is still found; the cap bounds the answer', async (t) => {
      const tl = await startTestTlog((fn) => t.after(fn), driver, { maxSearchResults: 2 });
      const carol = clientKey();
      const chain = await certificateChain(carol, { email: 'carol@example.com' });
      const ids: string[] = [];
      for (const artifact of ['a1', 'a2', 'a3', 'a4']) {
        const proposed = hashedrekord(carol, Buffer.from(artifact), { verifierPem: chain.leafPem }).proposed;
        const res = await tl.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: proposed as object });
        assert.equal(res.statusCode, 201, res.body);
        ids.push(res.headers.etag as string);
      }
      const search = async (q: object) => {
        const res = await tl.app.inject({ method: 'POST', url: '/api/v1/index/retrieve', payload: q });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as string[];
      };
      // carol's email is under 4 entries, above the cap of 2: the 4th must still be found with its hash
      assert.deepEqual(await search({ email: 'carol@example.com', hash: sha256('a4'), operator: 'and' }), [ids[3]]);
      const pk = { format: 'x509', content: Buffer.from(chain.leafPem).toString('base64') };
      assert.deepEqual(await search({ publicKey: pk, hash: sha256('a3'), operator: 'and' }), [ids[2]]);
      assert.deepEqual(await search({ email: 'carol@example.com' }), ids.slice(0, 2), 'the cap bounds the answer');
      assert.deepEqual(await search({ hash: sha256('a4'), email: 'nobody@example.com' }), [ids[3]]);
    });
  });
}
