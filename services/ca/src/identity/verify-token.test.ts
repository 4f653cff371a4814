// The verifier on its own, against the development issuer over real HTTP: every allowed algorithm, the
// algorithm/key bindings that make a hand-written JWS check safe, and the JWKS cache rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { devKeyFromPrivate, generateDevKey, startTestOidc, type TestOidc } from '@signet/oidc-dev/testonly';
import { assertRejectsCa } from './testonly/assert-code.js';
import { claimsOf, forgeJwt } from './testonly/forge.js';
import { createTokenVerifier, parseToken, type TokenVerifierOptions } from './verify-token.js';

let nowMs = Date.parse('2026-11-22T12:00:00Z');
const now = () => new Date(nowMs);

async function withOidc(t: { after: (fn: () => Promise<void>) => void }): Promise<TestOidc> {
  const oidc = await startTestOidc({ now });
  t.after(() => oidc.close());
  return oidc;
}

function verifierFor(oidc: TestOidc, extra: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({ issuerUrl: oidc.url, clientId: 'sigstore', now, allowHttp: true, jwksRefreshCooldownMs: 0, ...extra });
}

test('every allowed algorithm verifies (ES256, ES384, RS256, PS256, EdDSA)', async (t) => {
  const oidc = await withOidc(t);
  const verifier = verifierFor(oidc);
  for (const alg of ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const) {
    oidc.keys.push(generateDevKey(alg));
    const claims = await verifier.verify(parseToken(await oidc.mint({ sub: `svc-${alg}` })));
    assert.equal(claims.sub, `svc-${alg}`);
  }
});

test('an algorithm is bound to its key type and curve', async (t) => {
  const oidc = await withOidc(t);
  const verifier = verifierFor(oidc);
  const claims = claimsOf(await oidc.mint({ sub: 'svc' }));
  const p256 = oidc.keys[0];
  // A P-256 key's signature presented as ES384 or ES512, an RSA key as PS256 vs RS256.
  await assertRejectsCa(verifier.verify(parseToken(forgeJwt({ alg: 'ES384', kid: p256?.kid }, claims, p256?.privateKey))), 'INVALID_TOKEN');
  const rsa = generateDevKey('RS256');
  oidc.keys.push(rsa);
  await assertRejectsCa(verifier.verify(parseToken(forgeJwt({ alg: 'PS256', kid: rsa.kid }, claims, rsa.privateKey))), 'INVALID_TOKEN');
  await verifier.verify(parseToken(forgeJwt({ alg: 'RS256', kid: rsa.kid }, claims, rsa.privateKey)));
  // An ES256 signature in DER instead of r||s is refused.
  const der = forgeJwt({ alg: 'RS256', kid: p256?.kid }, claims, p256?.privateKey).replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'ES256', kid: p256?.kid })).toString('base64url'));
  await assertRejectsCa(verifier.verify(parseToken(der)), 'INVALID_TOKEN');
});

test('RSA keys under 2048 bits are never used', async (t) => {
  const oidc = await withOidc(t);
  const claims = claimsOf(await oidc.mint({ sub: 'svc' }));
  const weak = devKeyFromPrivate(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'RS256');
  oidc.keys.push(weak); // published in the JWKS, so only the size rule keeps it out
  const err = await assertRejectsCa(verifierFor(oidc).verify(parseToken(forgeJwt({ alg: 'RS256', kid: weak.kid }, claims, weak.privateKey))), 'INVALID_TOKEN');
  assert.match(err.message, /no RS256 key/);
});

test('crit headers and non-string kids are refused', async (t) => {
  const oidc = await withOidc(t);
  const key = oidc.keys[0];
  const claims = claimsOf(await oidc.mint({ sub: 'svc' }));
  for (const header of [{ alg: 'ES256', kid: key?.kid, crit: ['b64'], b64: false }, { alg: 'ES256', kid: 7 }]) {
    await assertRejectsCa(verifierFor(oidc).verify(parseToken(forgeJwt(header, claims, key?.privateKey))), 'INVALID_TOKEN');
  }
});

test('only algorithms the discovery document advertises are accepted', async (t) => {
  const oidc = await withOidc(t); // advertises ES256 only
  const rsa = generateDevKey('RS256');
  const claims = claimsOf(await oidc.mint({ sub: 'svc' }));
  const verifier = verifierFor(oidc);
  await verifier.verify(parseToken(await oidc.mint({ sub: 'svc' })));
  const err = await assertRejectsCa(verifier.verify(parseToken(forgeJwt({ alg: 'RS256', kid: rsa.kid }, claims, rsa.privateKey))), 'INVALID_TOKEN');
  assert.match(err.message, /not among the algorithms/);
});

test('a JWKS older than its max age is refetched; if the IdP is then down the cached keys still serve', async (t) => {
  const oidc = await startTestOidc({ now });
  let closed = false;
  t.after(() => (closed ? undefined : oidc.close()));
  const urls: string[] = [];
  const verifier = verifierFor(oidc, { jwksMaxAgeMs: 60_000, fetch: (u, i) => (urls.push(String(u)), fetch(u, i)) });
  const token = parseToken(await oidc.mint({ sub: 'svc', exp: nowMs / 1000 + 3600 }));
  await verifier.verify(token);
  nowMs += 61_000;
  await verifier.verify(token);
  assert.equal(urls.filter((u) => u.endsWith('/jwks')).length, 2);
  await oidc.close();
  closed = true;
  nowMs += 61_000;
  await verifier.verify(token);
});

test('a discovery answer that is not 200 JSON, or a JWKS URL that is not https, is ISSUER_UNREACHABLE', async (t) => {
  const oidc = await withOidc(t);
  const token = parseToken(await oidc.mint({ sub: 'svc' }));
  const on404 = createTokenVerifier({ issuerUrl: oidc.url, clientId: 'sigstore', now, allowHttp: true, fetch: (u, i) => fetch(String(u).replace('openid-configuration', 'nope'), i) });
  await assertRejectsCa(on404.verify(token), 'ISSUER_UNREACHABLE');
  const noHttp = createTokenVerifier({ issuerUrl: oidc.url, clientId: 'sigstore', now, allowHttp: false });
  await assertRejectsCa(noHttp.verify(token), 'ISSUER_UNREACHABLE');
});
