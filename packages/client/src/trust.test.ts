import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLoopbackMirror } from './trust.js';

/** A raw GET, so that the path reaches the server as written (fetch would normalize it). */
function get(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(`${base}/`, { path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail).end();
  });
}

test('the loopback mirror serves its directory only, and survives malformed and traversing paths', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'signet-mirror-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'repo');
  await mkdir(dir);
  await writeFile(join(dir, '1.root.json'), '{"root":1}');
  await writeFile(join(root, 'secret.pem'), 'PRIVATE');
  await withLoopbackMirror(dir, async (url) => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await get(url, '/1.root.json'), { status: 200, body: '{"root":1}' });
    for (const path of ['/%E0%A4%A', '/%', '/..%2fsecret.pem', '/%2e%2e/secret.pem', '/../secret.pem', '/missing.json']) {
      const res = await get(url, path);
      assert.equal(res.status, 404, path);
      assert.ok(!res.body.includes('PRIVATE'), path);
    }
    assert.equal((await get(url, '/1.root.json')).status, 200, 'still serving after the malformed requests');
  });
});
