// The development issuer's error edge: unknown paths and methods, undecodable URLs and non-JSON
// bodies, each a 4xx in the OAuth error shape (RFC 6749 §5.2) naming the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOidcApp } from '../app.js';

function build(t: { after: (fn: () => Promise<void>) => void }) {
  const app = buildOidcApp({ issuerUrl: 'http://127.0.0.1:9999', now: () => new Date('2026-11-22T12:00:00Z') });
  t.after(() => app.close());
  return app;
}

const oauthError = (res: { statusCode: number; json: () => { error: string; error_description: string } }, status: number, says: RegExp) => {
  assert.equal(res.statusCode, status);
  assert.equal(res.json().error, 'invalid_request');
  assert.match(res.json().error_description, says);
};

test('unknown paths and methods are a 404 in the OAuth shape', async (t) => {
  const app = build(t);
  oauthError(await app.inject('/authorize'), 404, /no such endpoint: GET \/authorize/);
  oauthError(await app.inject({ method: 'GET', url: '/token' }), 404, /GET \/token/);
  oauthError(await app.inject({ method: 'POST', url: '/jwks', payload: {} }), 404, /POST \/jwks/);
});

test('an undecodable percent-escape is a 400 in the OAuth shape', async (t) => {
  oauthError(await build(t).inject('/%zz'), 400, /malformed request URL .*percent-escape/);
});

test('a token request that is not JSON is a 415 naming the Content-Type', async (t) => {
  const app = build(t);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
    const res = await app.inject({ method: 'POST', url: '/token', headers: { 'content-type': type }, payload: 'email=a@b' });
    oauthError(res, 415, /Content-Type/);
  }
});
