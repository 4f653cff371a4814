// The CA's error edge for requests that never reach a route: URLs the router cannot decode,
// over-long path segments, unknown paths and non-JSON media types, each a 4xx in Fulcio's shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, startHarness } from './testonly/harness.js';

describe('CA error edge', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const fulcioError = (res: { statusCode: number; json: () => { code: number; message: string; details: unknown[] } }, status: number, says: RegExp) => {
    assert.equal(res.statusCode, status);
    const body = res.json();
    assert.equal(typeof body.code, 'number');
    assert.deepEqual(body.details, []);
    assert.match(body.message, says);
  };

  test('an undecodable percent-escape is a 400 naming the URL, not fastify\'s own body', async () => {
    fulcioError(await h.app.inject('/api/v2/%zz'), 400, /malformed request URL "\/api\/v2\/%zz".*percent-escape/);
    fulcioError(await h.app.inject('/%'), 400, /malformed request URL/);
  });

  test('a text/plain body is a 415 naming the Content-Type, not a string body failing validation', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v2/signingCert', headers: { 'content-type': 'text/plain' }, payload: '{}' });
    fulcioError(res, 415, /Content-Type/);
  });

  test('an unknown path is a 404 naming it', async () => {
    fulcioError(await h.app.inject('/api/v3/signingCert'), 404, /no such endpoint: GET \/api\/v3\/signingCert/);
  });
});
