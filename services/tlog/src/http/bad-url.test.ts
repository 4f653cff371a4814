// Requests the router refuses before any route runs (undecodable percent-escapes, over-long path
// segments), numbers that the schemas' type coercion lets through (`Infinity`, 2^63, 1e30), an
// invalid email search and unknown CT paths: each a 4xx in the right error shape, never a 500 or
// a 503 from the database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDrivers } from '@signet/storage/testonly';
import { createTestCa, startTestCtApp, type TestCtApp } from '../ct/testonly/fixtures.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));

for (const driver of drivers) {
  describe(`malformed URLs and out-of-range numbers (${driver.name})`, () => {
    let ct: TestCtApp;
    const cleanups: (() => Promise<void>)[] = [];
    before(async () => {
      const ca = await createTestCa(new Date());
      ct = await startTestCtApp((fn) => cleanups.push(fn), driver, { rootsPem: ca.chainPem, now: () => Date.now() });
    });
    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
    });
    // The app serves the Rekor routes at the root and the CT log under /ct, as in production.

    const rekorError = (res: { statusCode: number; json: () => { code: number; message: string } }, status: number, says: RegExp) => {
      assert.equal(res.statusCode, status);
      assert.equal(res.json().code, status);
      assert.match(res.json().message, says);
    };

    test('an undecodable percent-escape is a 400 in Rekor shape, on Rekor and CT paths', async () => {
      for (const url of ['/api/v1/log/entries/%zz', '/tile/0/%zz', '/ct/tile/0/%zz', '/api/v1/%']) {
        rekorError(await ct.app.inject(url), 400, /malformed request URL .*percent-escape/);
      }
    });

    test('an over-long path parameter is a 414 in Rekor shape', async () => {
      rekorError(await ct.app.inject(`/api/v1/log/entries/${'a'.repeat(10_000)}`), 414, /path segment is too long/);
    });

    test('logIndex, firstSize and lastSize refuse Infinity and values past 2^53 with a 400 naming them', async () => {
      for (const [url, name] of [
        ['/api/v1/log/entries?logIndex=Infinity', 'logIndex'],
        ['/api/v1/log/entries?logIndex=9223372036854775808', 'logIndex'],
        ['/api/v1/log/entries?logIndex=1e30', 'logIndex'],
        ['/api/v1/log/proof?lastSize=Infinity', 'lastSize'],
        ['/api/v1/log/proof?firstSize=Infinity&lastSize=1', 'firstSize'],
        ['/api/v1/log/proof?lastSize=18446744073709551616', 'lastSize'],
      ] as const) {
        rekorError(await ct.app.inject(url), 400, new RegExp(name));
      }
      const res = await ct.app.inject({ method: 'POST', url: '/api/v1/log/entries/retrieve', payload: { logIndexes: [9223372036854775808] } });
      rekorError(res, 400, /logIndexes/);
    });

    test('an index search by something that is not an email address is a 400', async () => {
      const res = await ct.app.inject({ method: 'POST', url: '/api/v1/index/retrieve', payload: { email: 'not an email' } });
      rekorError(res, 400, /email/);
    });

    test('unknown paths and methods under the CT prefix answer in the CT shape', async () => {
      for (const [method, url] of [['GET', '/ct/ct/v1/get-everything'], ['POST', '/ct/ct/v1/get-sth'], ['GET', '/ct/ct/v1/add-chain']] as const) {
        const res = await ct.app.inject({ method, url });
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { success: false, error_message: `no route ${method} ${url}` });
      }
    });
  });
}
