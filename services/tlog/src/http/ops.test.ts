import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDrivers } from '@signet/storage/testonly';
import { buildApp } from '../app.js';
import { GatedStore } from '../testonly/index.js';
import { startTestTlog, type TestTlog } from '../../test/testonly/tlog.js';
import { clientKey, hashedrekord } from '../../test/testonly/fixtures.js';
import { OPENAPI_DOCUMENT } from './openapi.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));

for (const driver of drivers) {
  describe(`health, metrics, OpenAPI, errors (${driver.name})`, () => {
    let tl: TestTlog;
    let gated: GatedStore;
    let held: TestTlog;
    const cleanups: (() => Promise<void>)[] = [];
    before(async () => {
      tl = await startTestTlog((fn) => cleanups.push(fn), driver);
      held = await startTestTlog((fn) => cleanups.push(fn), driver, {
        maxPending: 1,
        wrapStore: (s) => (gated = new GatedStore(s)),
      });
    });
    after(async () => {
      for (const fn of cleanups) await fn();
    });

    test('/healthz and /readyz', async () => {
      assert.deepEqual((await tl.app.inject('/healthz')).json(), { status: 'ok' });
      const ready = await tl.app.inject('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().status, 'ready');
      const closing = buildApp({ rekor: tl.rekor, engine: tl.engine, maxBodyBytes: 1024, isClosing: () => true });
      const res = await closing.inject('/readyz');
      assert.equal(res.statusCode, 503);
      assert.ok(res.headers['retry-after']);
      await closing.close();
    });

    test('/metrics exposes request counters and the tree size', async () => {
      await tl.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: hashedrekord(clientKey(), Buffer.from('m')).proposed });
      await tl.app.inject('/api/v1/log/entries/nope');
      const res = await tl.app.inject('/metrics');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      assert.match(res.body, /tlog_http_requests_total\{method="POST",route="\/api\/v1\/log\/entries",status="201"\} 1/);
      assert.match(res.body, /tlog_http_requests_total\{method="GET",route="\/api\/v1\/log\/entries\/:entryUUID",status="400"\} 1/);
      assert.match(res.body, /tlog_tree_size \d+/);
      assert.match(res.body, /tlog_http_request_duration_seconds_bucket/);
    });

    test('/api/v1/openapi.json documents every Rekor route', async () => {
      const res = await tl.app.inject('/api/v1/openapi.json');
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.equal(doc.openapi, '3.0.3');
      for (const path of ['/api/v1/log', '/api/v1/log/publicKey', '/api/v1/log/proof', '/api/v1/log/entries', '/api/v1/log/entries/{entryUUID}', '/api/v1/log/entries/retrieve', '/api/v1/index/retrieve']) {
        assert.ok(doc.paths[path], path);
      }
      assert.deepEqual(doc, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    });

    test('unknown routes are 404 with Rekor error body', async () => {
      const res = await tl.app.inject('/api/v1/nope?x=1');
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { code: 404, message: 'no route GET /api/v1/nope' });
    });

    test('PUSHBACK is 503 with Retry-After, and the held entry still lands', async () => {
      const key = clientKey();
      gated.hold();
      const first = held.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: hashedrekord(key, Buffer.from('p1')).proposed });
      await gated.commitsReached(1);
      const second = await held.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: hashedrekord(key, Buffer.from('p2')).proposed });
      assert.equal(second.statusCode, 503);
      assert.equal(second.headers['retry-after'], '1');
      assert.equal(second.json().code, 503);
      assert.match(second.json().message, /pending/);
      gated.release();
      assert.equal((await first).statusCode, 201);
    });
  });
}
