// End to end: tokens minted by the development issuer, verified over real HTTP discovery and JWKS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestOidc, type TestOidc } from '@signet/oidc-dev/testonly';
import { parseIssuerConfig } from './config.js';
import { createIssuerPool, type IssuerPool } from './issuer-pool.js';
import { assertRejectsCa, assertThrowsCa } from './testonly/assert-code.js';
import { claimsOf, forgeJwt, headerOf } from './testonly/forge.js';

let nowMs = Date.parse('2026-11-22T12:00:00Z');
const now = () => new Date(nowMs);
const nowS = () => Math.floor(nowMs / 1000);

/** A fetch that records what the verifier asked for (and really fetches it). */
function countingFetch() {
  const urls: string[] = [];
  const f: typeof fetch = (input, init) => {
    urls.push(String(input));
    return fetch(input, init);
  };
  return { urls, fetch: f, jwks: () => urls.filter((u) => u.endsWith('/jwks')).length };
}

function poolFor(issuers: Record<string, object>, meta: Record<string, object> = {}) {
  const counter = countingFetch();
  const config = parseIssuerConfig(JSON.stringify({ OIDCIssuers: issuers, MetaIssuers: meta }));
  const pool = createIssuerPool(config, { now, fetch: counter.fetch, allowHttpIssuers: true });
  return { pool, counter };
}

const emailIssuer = (url: string) => ({ [url]: { IssuerURL: url, ClientID: 'sigstore', Type: 'email' } });

async function withOidc(t: { after: (fn: () => Promise<void>) => void }, opts: Parameters<typeof startTestOidc>[0] = {}): Promise<TestOidc> {
  const oidc = await startTestOidc({ now, ...opts });
  t.after(() => oidc.close());
  return oidc;
}

test('a valid email token from the development issuer (ES256 and RS256) gives the email principal', async (t) => {
  for (const alg of ['ES256', 'RS256'] as const) {
    const oidc = await withOidc(t, { alg });
    const { pool } = poolFor(emailIssuer(oidc.url));
    const p = await pool.authenticate(await oidc.mint({ email: 'alice@example.com' }));
    assert.equal(p.challenge, 'alice@example.com');
    assert.deepEqual(p.subjectAltName, { type: 'email', value: 'alice@example.com' });
    assert.deepEqual(p.sigstoreExtensions.map((e) => e.value), [oidc.url, oidc.url, 'alice@example.com']);
  }
});

test('GitHub Actions claims through a ci-provider issuer give the full extension set', async (t) => {
  const oidc = await withOidc(t);
  const { pool } = poolFor({ [oidc.url]: { IssuerURL: oidc.url, ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'github-workflow' } });
  const vector = JSON.parse(readFileSync(new URL('../../testdata/identity/ci-tokens/github-actions.json', import.meta.url), 'utf8'));
  const { iss: _, iat: _i, exp: _e, nbf: _n, ...claims } = vector.claims;
  const p = await pool.authenticate(await oidc.mint(claims));
  assert.equal(p.subjectAltName.value, vector.want.subjectAltName.value);
  const want = (vector.want.sigstoreExtensions as [string, string][]).map(([oid, v]) => [oid, v === vector.claims.iss ? oidc.url : v]);
  assert.deepEqual(p.sigstoreExtensions.map((e) => [e.oid, e.value]), want);
});

test('expired, not-yet-valid, wrong-audience and unverified-email tokens are refused by name', async (t) => {
  const oidc = await withOidc(t);
  const { pool } = poolFor(emailIssuer(oidc.url));
  const cases: [Record<string, unknown>, 'INVALID_TOKEN' | 'EMAIL_NOT_VERIFIED', RegExp][] = [
    [{ exp: nowS() - 1 }, 'INVALID_TOKEN', /expired at/],
    [{ nbf: nowS() + 301 }, 'INVALID_TOKEN', /not valid before/],
    [{ aud: 'other' }, 'INVALID_TOKEN', /audience "other" does not contain the configured client ID sigstore/],
    [{ aud: ['a', 'b'] }, 'INVALID_TOKEN', /audience \["a","b"\]/],
    [{ email_verified: false }, 'EMAIL_NOT_VERIFIED', /email_verified is false/],
    [{ iat: 'yesterday' as unknown as number }, 'INVALID_TOKEN', /iat/],
  ];
  for (const [extra, code, message] of cases) {
    const token = extra['iat'] === 'yesterday'
      ? forgeJwt({ alg: 'ES256', kid: oidc.keys[0]?.kid }, { ...claimsOf(await oidc.mint({ email: 'a@example.com' })), iat: 'yesterday' }, oidc.keys[0]?.privateKey)
      : await oidc.mint({ email: 'a@example.com', ...extra });
    const err = await assertRejectsCa(pool.authenticate(token), code);
    assert.match(err.message, message); // the feature: the message names the failed check
    assert.ok(!err.message.includes(token.split('.')[2] as string), 'the token is never echoed');
  }
  // nbf within the 5 minute leeway and exp exactly now are accepted.
  await pool.authenticate(await oidc.mint({ email: 'a@example.com', nbf: nowS() + 299, exp: nowS() }));
});

test('iss: unknown issuers are UNKNOWN_ISSUER; a token claiming another configured issuer fails its keys', async (t) => {
  const a = await withOidc(t);
  const b = await withOidc(t);
  const { pool } = poolFor({ ...emailIssuer(a.url), ...emailIssuer(b.url) });
  const good = claimsOf(await a.mint({ email: 'a@example.com' }));
  const key = a.keys[0];
  const unknown = forgeJwt({ alg: 'ES256', kid: key?.kid }, { ...good, iss: 'https://unknown.example.com' }, key?.privateKey);
  const err = await assertRejectsCa(pool.authenticate(unknown), 'UNKNOWN_ISSUER');
  assert.match(err.message, /no configured issuer matches iss https:\/\/unknown\.example\.com/);
  const claimsB = forgeJwt({ alg: 'ES256', kid: key?.kid }, { ...good, iss: b.url }, key?.privateKey);
  await assertRejectsCa(pool.authenticate(claimsB), 'INVALID_TOKEN');
  const noIss = forgeJwt({ alg: 'ES256', kid: key?.kid }, { ...good, iss: undefined }, key?.privateKey);
  await assertRejectsCa(pool.authenticate(noIss), 'INVALID_TOKEN');
});

test('alg none, HS256 keyed with the public key and a tampered payload are INVALID_TOKEN', async (t) => {
  const oidc = await withOidc(t, { alg: 'RS256' });
  const { pool, counter } = poolFor(emailIssuer(oidc.url));
  const token = await oidc.mint({ email: 'alice@example.com' });
  const claims = claimsOf(token);
  const kid = headerOf(token)['kid'];
  await assertRejectsCa(pool.authenticate(forgeJwt({ alg: 'none' }, claims)), 'INVALID_TOKEN');
  await assertRejectsCa(pool.authenticate(forgeJwt({ alg: 'none', kid }, claims) + 'c2ln'), 'INVALID_TOKEN');
  assert.equal(counter.urls.length, 0, 'refused before any network I/O');
  const jwk = JSON.stringify(oidc.keys[0]?.publicJwk);
  const pem = (await import('node:crypto')).createPublicKey(oidc.keys[0]?.privateKey as never).export({ type: 'spki', format: 'pem' }) as string;
  for (const secret of [pem, jwk]) {
    await assertRejectsCa(pool.authenticate(forgeJwt({ alg: 'HS256', kid }, claims, secret)), 'INVALID_TOKEN');
  }
  const [h, , s] = token.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, email: 'mallory@example.com' })).toString('base64url')}.${s}`;
  const err = await assertRejectsCa(pool.authenticate(tampered), 'INVALID_TOKEN');
  assert.match(err.message, /signature does not verify/);
  assert.equal((await pool.authenticate(token)).challenge, 'alice@example.com', 'the untampered token still verifies');
});

test('malformed tokens are INVALID_TOKEN', async () => {
  const { pool } = poolFor(emailIssuer('http://127.0.0.1:1'));
  for (const bad of ['', 'abc', 'a.b', 'a.b.c.d', 'a.b.c', 'e30.e30.', '!!.e30.e30', `e30.${'A'.repeat(70_000)}.e30`, 'W10.W10.e30']) {
    await assertRejectsCa(pool.authenticate(bad), 'INVALID_TOKEN');
  }
});

test('an unknown kid triggers one JWKS refresh, rate limited; after a rotation the new key verifies', async (t) => {
  const oidc = await withOidc(t);
  const { pool, counter } = poolFor(emailIssuer(oidc.url));
  await pool.authenticate(await oidc.mint({ email: 'a@example.com' }));
  assert.equal(counter.jwks(), 1);
  const { generateDevKey } = await import('@signet/oidc-dev/testonly');
  const stranger = generateDevKey('ES256');
  nowMs += 31_000; // the first load counts against the cooldown too
  const claims = claimsOf(await oidc.mint({ email: 'a@example.com' }));
  const forged = forgeJwt({ alg: 'ES256', kid: stranger.kid }, claims, stranger.privateKey);
  await assertRejectsCa(pool.authenticate(forged), 'INVALID_TOKEN');
  assert.equal(counter.jwks(), 2, 'one refresh for the unknown kid');
  await assertRejectsCa(pool.authenticate(forged), 'INVALID_TOKEN');
  assert.equal(counter.jwks(), 2, 'no second refresh within the cooldown');
  oidc.keys.push(generateDevKey('ES256')); // rotation at the IdP
  const rotated = await oidc.mint({ email: 'a@example.com' });
  await assertRejectsCa(pool.authenticate(rotated), 'INVALID_TOKEN'); // still inside the cooldown
  nowMs += 31_000;
  assert.equal((await pool.authenticate(await oidc.mint({ email: 'a@example.com' }))).challenge, 'a@example.com');
  assert.equal(counter.jwks(), 3);
});

test('an IdP that is down at start gives ISSUER_UNREACHABLE, then works once it is up', async (t) => {
  const first = await startTestOidc({ now });
  const { url, keys } = first;
  const token = await first.mint({ email: 'late@example.com' });
  await first.close();
  const { pool, counter } = poolFor(emailIssuer(url)); // creating the pool does no I/O
  assert.equal(counter.urls.length, 0);
  const err = await assertRejectsCa(pool.authenticate(token), 'ISSUER_UNREACHABLE');
  assert.match(err.message, /OpenID discovery/);
  await startTestOidc({ now, keys, port: Number(new URL(url).port) }).then((again) => t.after(() => again.close()));
  assert.equal((await pool.authenticate(token)).challenge, 'late@example.com');
});

test('concurrent first requests share one discovery and one JWKS fetch', async (t) => {
  const oidc = await withOidc(t);
  const { pool, counter } = poolFor(emailIssuer(oidc.url));
  const token = await oidc.mint({ email: 'a@example.com' });
  await Promise.all(Array.from({ length: 20 }, () => pool.authenticate(token)));
  assert.deepEqual(counter.urls, [`${oidc.url}/.well-known/openid-configuration`, `${oidc.url}/jwks`]);
});

test('a discovery document naming another issuer is ISSUER_UNREACHABLE (misconfigured IdP, not the caller)', async (t) => {
  const oidc = await withOidc(t);
  const alias = oidc.url.replace('127.0.0.1', 'localhost');
  const { pool } = poolFor(emailIssuer(alias));
  const claims = claimsOf(await oidc.mint({ email: 'a@example.com' }));
  const token = forgeJwt({ alg: 'ES256', kid: oidc.keys[0]?.kid }, { ...claims, iss: alias }, oidc.keys[0]?.privateKey);
  await assertRejectsCa(pool.authenticate(token), 'ISSUER_UNREACHABLE');
});

test('meta issuers: a concrete URL matching the pattern is verified against its own discovery', async (t) => {
  const oidc = await withOidc(t);
  const { pool } = poolFor({}, { 'http://127.0.0.1:*': { ClientID: 'sigstore', Type: 'kubernetes' } });
  const token = await oidc.mint({ sub: 'system:serviceaccount:build:signer', 'kubernetes.io': { namespace: 'build', serviceaccount: { name: 'signer' } } });
  const p = await pool.authenticate(token);
  assert.deepEqual(p.subjectAltName, { type: 'uri', value: 'https://kubernetes.io/namespaces/build/serviceaccounts/signer' });
  assert.equal(p.sigstoreExtensions[0]?.value, oidc.url);
});

test('http issuers are refused unless allowed, and then only on loopback', () => {
  const config = parseIssuerConfig(JSON.stringify({ OIDCIssuers: { ...emailIssuer('http://127.0.0.1:5556'), ...emailIssuer('http://10.0.0.1') } }));
  assertThrowsCa(() => createIssuerPool(config, { now }), 'BAD_CONFIG');
  const err = assertThrowsCa(() => createIssuerPool(config, { now, allowHttpIssuers: true }), 'BAD_CONFIG');
  assert.match(err.message, /http:\/\/10\.0\.0\.1/);
  assert.doesNotMatch(err.message, /127\.0\.0\.1/);
});

test('describe() lists exact and wildcard issuers in the /api/v2/configuration shape', () => {
  const config = parseIssuerConfig(readFileSync(new URL('../../testdata/identity/fulcio-config.yaml', import.meta.url), 'utf8'));
  const pool: IssuerPool = createIssuerPool(config, { now });
  const out = pool.describe();
  assert.equal(out.length, 13);
  assert.deepEqual(out[0], { issuerUrl: 'https://accounts.google.com', audience: 'sigstore', challengeClaim: 'email', spiffeTrustDomain: '', issuerType: 'email', subjectDomain: '', skipEmailVerification: false });
  assert.deepEqual(out.find((i) => i.wildcardIssuerUrl !== undefined), { wildcardIssuerUrl: 'https://oidc.eks.*.amazonaws.com/id/*', audience: 'sigstore', challengeClaim: 'sub', spiffeTrustDomain: '', issuerType: 'kubernetes', subjectDomain: '', skipEmailVerification: false });
});
