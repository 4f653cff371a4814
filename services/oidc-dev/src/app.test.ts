import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { buildOidcApp } from './app.js';
import { generateDevKey } from './keys.js';

const ISSUER = 'http://127.0.0.1:9999';
const NOW = new Date('2026-11-22T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;

function build(t: { after: (fn: () => Promise<void>) => void }, keys = [generateDevKey('ES256')]) {
  const app = buildOidcApp({ issuerUrl: ISSUER, now: () => NOW, keys });
  t.after(() => app.close());
  return app;
}

async function mint(app: ReturnType<typeof build>, body: unknown) {
  return app.inject({ method: 'POST', url: '/token', payload: body as object });
}

test('discovery names the issuer, the JWKS and the signing algorithms', async (t) => {
  const app = build(t, [generateDevKey('RS256')]);
  const res = await app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.issuer, ISSUER);
  assert.equal(doc.jwks_uri, `${ISSUER}/jwks`);
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
});

test('an email token verifies against the JWKS and carries email_verified true', async (t) => {
  const app = build(t);
  const res = await mint(app, { email: 'alice@example.com' });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 600);
  const jwks = (await app.inject({ method: 'GET', url: '/jwks' })).json();
  assert.equal(jwks.keys.length, 1);
  assert.equal(jwks.keys[0].d, undefined, 'no private member is published');
  const { payload, protectedHeader } = await jwtVerify(body.id_token, createLocalJWKSet(jwks), {
    issuer: ISSUER,
    audience: 'sigstore',
    currentDate: NOW,
  });
  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(protectedHeader.kid, jwks.keys[0].kid);
  assert.deepEqual(
    { email: payload.email, email_verified: payload.email_verified, sub: payload.sub, iat: payload.iat, exp: payload.exp },
    { email: 'alice@example.com', email_verified: true, sub: 'alice@example.com', iat: NOW_S, exp: NOW_S + 600 },
  );
});

test('sub, aud, extra claims and time overrides are honoured', async (t) => {
  const app = build(t);
  const res = await mint(app, {
    sub: 'repo:octo/app:ref:refs/heads/main',
    aud: ['other', 'sigstore'],
    repository: 'octo/app',
    run_attempt: '1',
    exp: NOW_S - 10,
  });
  assert.equal(res.statusCode, 200);
  const payload = JSON.parse(Buffer.from(res.json().id_token.split('.')[1], 'base64url').toString());
  assert.equal(payload.sub, 'repo:octo/app:ref:refs/heads/main');
  assert.deepEqual(payload.aud, ['other', 'sigstore']);
  assert.equal(payload.repository, 'octo/app');
  assert.equal(payload.exp, NOW_S - 10);
  assert.equal(payload.email_verified, undefined);
});

test('bad token requests get a 400 naming the problem', async (t) => {
  const app = build(t);
  const cases: [unknown, RegExp][] = [
    [{}, /"email" or "sub"/],
    [{ email: 'not-an-address' }, /"email" must be an email address/],
    [{ sub: 'x', iss: 'https://evil.example' }, /"iss" is always this issuer/],
    [{ sub: 'x', exp: 'tomorrow' }, /"exp" must be a number/],
    [{ sub: 'x', aud: 7 }, /aud/],
  ];
  for (const [body, re] of cases) {
    const res = await mint(app, body);
    assert.equal(res.statusCode, 400, JSON.stringify(body));
    assert.equal(res.json().error, 'invalid_request');
    assert.match(res.json().error_description, re);
  }
  const notJson = await app.inject({ method: 'POST', url: '/token', payload: 'x', headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.statusCode, 400);
});

test('after a key is appended, the new key signs and both are published', async (t) => {
  const keys = [generateDevKey('ES256')];
  const app = build(t, keys);
  keys.push(generateDevKey('RS256'));
  const token = (await mint(app, { sub: 'svc' })).json().id_token;
  assert.equal(decodeProtectedHeader(token).kid, keys[1]?.kid);
  const jwks = (await app.inject({ method: 'GET', url: '/jwks' })).json();
  assert.deepEqual(jwks.keys.map((k: { kid: string }) => k.kid), keys.map((k) => k.kid));
});
