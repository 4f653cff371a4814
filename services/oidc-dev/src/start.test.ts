import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { OidcDevError } from './errors.js';
import { KEY_FILE_NAME } from './keys.js';
import { startDevOidc } from './start.js';

async function mint(url: string, body: object): Promise<string> {
  const res = await fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { id_token: string }).id_token;
}

test('refuses to listen on a non-loopback host', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
    await assert.rejects(startDevOidc({ host, port: 0 }), (err: unknown) => err instanceof OidcDevError && err.code === 'NOT_LOOPBACK');
  }
});

test('serves discovery and tokens over real HTTP on 127.0.0.1', async (t) => {
  const oidc = await startDevOidc({ port: 0 });
  t.after(() => oidc.close());
  assert.match(oidc.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const doc = (await (await fetch(`${oidc.url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
  assert.equal(doc.issuer, oidc.url);
  const token = await mint(oidc.url, { email: 'bob@example.com' });
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(doc.jwks_uri)), { issuer: oidc.url, audience: 'sigstore' });
  assert.equal(payload.email, 'bob@example.com');
});

test('with dataDir the key persists: a token minted before a restart verifies after it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oidc-dev-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await startDevOidc({ port: 0, dataDir: dir });
  const token = await mint(first.url, { sub: 'svc' });
  await first.close();
  assert.equal((await stat(join(dir, KEY_FILE_NAME))).mode & 0o077, 0, 'key file is private');
  const second = await startDevOidc({ port: 0, dataDir: dir });
  t.after(() => second.close());
  const jwks = createRemoteJWKSet(new URL(`${second.url}/jwks`));
  // The port changed, so check the signature and audience only.
  const { payload } = await jwtVerify(token, jwks, { audience: 'sigstore' });
  assert.equal(payload.sub, 'svc');
});

test('an unusable key file is reported, not replaced', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oidc-dev-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, KEY_FILE_NAME), '{"keys": 3}');
  await assert.rejects(startDevOidc({ port: 0, dataDir: dir }), (err: unknown) => err instanceof OidcDevError && err.code === 'BAD_KEY_FILE');
});
