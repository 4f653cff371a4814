import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveTuf } from './tuf-server.js';

test('serves the repository and the named files, never anything else', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-tufsrv-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'repo', 'targets'), { recursive: true });
  await writeFile(join(dir, 'repo', 'timestamp.json'), '{"ts":1}');
  await writeFile(join(dir, 'repo', '1.root.json'), '{"root":1}');
  await writeFile(join(dir, 'repo', 'targets', 'abc.trusted_root.json'), '{"t":1}');
  await writeFile(join(dir, 'trusted_root.json'), '{"plain":1}');
  await writeFile(join(dir, 'secret.pem'), 'PRIVATE');
  const server = await serveTuf(join(dir, 'repo'), '127.0.0.1', 0, { '/trusted_root.json': join(dir, 'trusted_root.json') });
  t.after(server.close);
  const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

  const ts = await get('/timestamp.json');
  assert.equal(ts.status, 200);
  assert.equal(ts.headers.get('cache-control'), 'no-cache');
  assert.equal((await get('/1.root.json')).headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(await (await get('/targets/abc.trusted_root.json')).text(), '{"t":1}');
  const plain = await get('/trusted_root.json');
  assert.equal(await plain.text(), '{"plain":1}');
  assert.equal(plain.headers.get('cache-control'), 'no-cache');
  for (const path of ['/../secret.pem', '/%2e%2e/secret.pem', '/targets/', '/missing.json', '/timestamp.json.tmp-1']) {
    assert.equal((await get(path)).status, 404, path);
  }
  assert.equal((await get('/timestamp.json', { method: 'POST' })).status, 405);
});

test('a request path that does not decode is a 400, and the server keeps serving', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-tufsrv-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'timestamp.json'), '{"ts":1}');
  const server = await serveTuf(dir, '127.0.0.1', 0);
  t.after(server.close);
  for (const path of ['/%zz', '/%', '/targets/%E0%A4%A']) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 400, path);
    assert.match(await res.text(), /malformed request path/);
  }
  const missing = await fetch(`${server.url}/missing.json`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /no such file: \/missing\.json/);
  const post = await fetch(`${server.url}/timestamp.json`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.match(await post.text(), /read-only/);
  assert.equal(await (await fetch(`${server.url}/timestamp.json`)).text(), '{"ts":1}');
});
