import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashLeaf } from '@signet/merkle';
import { testDrivers } from '@signet/storage/testonly';
import { startTestTlog, type TestTlog } from '../../test/testonly/tlog.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));
const bodyOf = (i: number) => Buffer.from(JSON.stringify({ tile: i }));

for (const driver of drivers) {
  describe(`C2SP tlog-tiles read API (${driver.name})`, () => {
    let tl: TestTlog;
    const cleanups: (() => Promise<void>)[] = [];
    const N = 259; // one full level-0 tile and a partial one of width 3
    before(async () => {
      tl = await startTestTlog((fn) => cleanups.push(fn), driver);
      await Promise.all(Array.from({ length: N }, (_, i) => tl.engine.append({ body: bodyOf(i), searchKeys: [] })));
    });
    after(async () => {
      for (const fn of cleanups) await fn();
    });
    const get = (url: string) => tl.app.inject({ method: 'GET', url });

    test('/checkpoint and /api/v2/checkpoint serve the signed head, uncached', async () => {
      const head = await tl.engine.head();
      for (const url of ['/checkpoint', '/api/v2/checkpoint']) {
        const res = await get(url);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
        assert.equal(res.headers['cache-control'], 'no-cache');
        assert.equal(res.body, head.checkpoint);
      }
    });

    test('hash tiles and entry bundles, full (immutable) and partial', async () => {
      const entries = await tl.engine.entries({ from: 0n, count: N });
      const leafHashes = Buffer.concat(entries.map((e) => Buffer.from(hashLeaf(e.body))));
      for (const prefix of ['', '/api/v2']) {
        const full = await get(`${prefix}/tile/0/000`);
        assert.equal(full.statusCode, 200);
        assert.equal(full.headers['content-type'], 'application/octet-stream');
        assert.equal(full.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.deepEqual(full.rawPayload, leafHashes.subarray(0, 256 * 32));
        const partial = await get(`${prefix}/tile/0/001.p/3`);
        assert.equal(partial.statusCode, 200);
        assert.equal(partial.headers['cache-control'], 'public, max-age=60');
        assert.deepEqual(partial.rawPayload, leafHashes.subarray(256 * 32));
        const level1 = await get(`${prefix}/tile/1/000.p/1`);
        assert.equal(level1.statusCode, 200);
        assert.equal(level1.rawPayload.length, 32);
        const bundle = await get(`${prefix}/tile/entries/001.p/3`);
        assert.equal(bundle.statusCode, 200);
        const expected = Buffer.concat(entries.slice(256).flatMap((e) => [Buffer.from([e.body.length >> 8, e.body.length & 255]), Buffer.from(e.body)]));
        assert.deepEqual(bundle.rawPayload, expected);
        assert.equal((await get(`${prefix}/tile/entries/000`)).statusCode, 200);
      }
    });

    test('tiles the tree does not have yet are 404; malformed paths are 400', async () => {
      for (const url of ['/tile/0/001', '/tile/0/001.p/4', '/tile/0/002.p/1', '/tile/entries/001', '/tile/1/000', '/api/v2/tile/2/000.p/1']) {
        const res = await get(url);
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.json().code, 404);
      }
      for (const url of ['/tile/0/1', '/tile/64/000', '/tile/0/000.p/0', '/tile/0/000.p/256', '/tile/x/000', '/tile/0']) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.json().message, /tile path/, url);
      }
    });
  });
}
