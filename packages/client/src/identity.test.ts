import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { ClientError } from './errors.js';
import { describeToken, obtainIdentityToken, SIGSTORE_AUDIENCE } from './identity.js';

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

/**
 * A loopback stand-in for the token endpoints this client calls (the GitHub Actions OIDC endpoint
 * and a development issuer): it records each request and answers what the real services answer.
 */
async function tokenEndpoint(t: { after: (fn: () => Promise<void>) => void }, answer: (url: URL, auth: string | undefined, body: string) => [number, unknown]) {
  const seen: { url: URL; auth?: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ url, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body });
      const [status, json] = answer(url, req.headers.authorization, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  t.after(() => new Promise<void>((ok) => server.close(() => ok())));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, seen };
}

test('an explicit token wins over SIGSTORE_ID_TOKEN, which wins over GitHub Actions', async () => {
  const env = { SIGSTORE_ID_TOKEN: ' env-token ', ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/never', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' };
  assert.equal(await obtainIdentityToken({ identityToken: 'flag-token\n', env }), 'flag-token');
  assert.equal(await obtainIdentityToken({ env }), 'env-token');
});

test('GitHub Actions: the request token as bearer, audience sigstore', async (t) => {
  const gh = await tokenEndpoint(t, (url, auth) => (auth === 'Bearer request-token' && url.searchParams.get('audience') === SIGSTORE_AUDIENCE ? [200, { value: 'gh-jwt' }] : [401, {}]));
  const env = { ACTIONS_ID_TOKEN_REQUEST_URL: `${gh.url}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' };
  assert.equal(await obtainIdentityToken({ env }), 'gh-jwt');
  assert.equal(gh.seen[0]?.url.searchParams.get('api-version'), '2.0', 'existing query parameters are kept');
});

test('a development issuer mints a token for the requested email', async (t) => {
  const dev = await tokenEndpoint(t, (url, _auth, body) => (url.pathname === '/token' ? [200, { id_token: `dev:${JSON.parse(body).email}` }] : [404, {}]));
  assert.equal(await obtainIdentityToken({ env: {}, devIssuerUrl: `${dev.url}/`, devIdentity: 'erin@example.com' }), 'dev:erin@example.com');
});

test('failures name the source: none configured, unreachable, refused, no token in the answer', async (t) => {
  const isNoToken = (e: unknown) => e instanceof ClientError && e.code === 'NO_TOKEN';
  await assert.rejects(obtainIdentityToken({ env: {} }), (e: unknown) => isNoToken(e) && /SIGSTORE_ID_TOKEN/.test((e as Error).message));
  await assert.rejects(obtainIdentityToken({ env: {}, devIssuerUrl: 'http://127.0.0.1:1' }), (e: unknown) => isNoToken(e) && /unreachable/.test((e as Error).message));
  const refusing = await tokenEndpoint(t, () => [403, { message: 'no' }]);
  await assert.rejects(obtainIdentityToken({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: refusing.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' } }), (e: unknown) => isNoToken(e) && /403/.test((e as Error).message));
  const empty = await tokenEndpoint(t, () => [200, {}]);
  await assert.rejects(obtainIdentityToken({ env: {}, devIssuerUrl: empty.url }), isNoToken);
});

test('describeToken names the email (else the subject) and the issuer', () => {
  assert.deepEqual(describeToken(jwt({ iss: 'https://issuer', sub: 's', email: 'a@b.c' })), { identity: 'a@b.c', issuer: 'https://issuer' });
  assert.deepEqual(describeToken(jwt({ iss: 'https://issuer', sub: 'repo:acme/app' })), { identity: 'repo:acme/app', issuer: 'https://issuer' });
  assert.throws(() => describeToken('not a jwt'), (e: unknown) => e instanceof ClientError && e.code === 'NO_TOKEN');
});
