import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createJsonGetter } from './fetch-json.js';
import { assertRejectsCa } from './testonly/assert-code.js';

/** A real loopback server with a few canned routes. */
async function serve(t: { after: (fn: () => Promise<void>) => void }, routes: Record<string, (res: import('node:http').ServerResponse) => void>): Promise<string> {
  const server: Server = createServer((req, res) => (routes[req.url ?? ''] ?? ((r) => r.writeHead(404).end()))(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
}

test('fetches JSON, follows same-origin redirects and refuses the rest', async (t) => {
  const other = await serve(t, { '/doc': (r) => r.writeHead(200).end('{"ok":2}') });
  const base = await serve(t, {
    '/doc': (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}'),
    '/moved': (r) => r.writeHead(302, { location: '/doc' }).end(),
    '/away': (r) => r.writeHead(302, { location: `${other}/doc` }).end(),
    '/html': (r) => r.writeHead(200).end('<html>'),
    '/big': (r) => r.writeHead(200).end(`"${'x'.repeat(1024 * 1024)}"`),
    '/slow': () => {},
    '/down': (r) => r.writeHead(503).end(),
  });
  // A generous timeout for answers (the machine may be busy), a short one for the route that never answers.
  const get = createJsonGetter({ issuerUrl: base, allowHttp: true, timeoutMs: 10_000 });
  assert.deepEqual(await get(`${base}/doc`, 'doc'), { ok: 1 });
  assert.deepEqual(await get(`${base}/moved`, 'doc'), { ok: 1 });
  for (const path of ['/away', '/html', '/big', '/down', '/missing']) {
    await assertRejectsCa(get(`${base}${path}`, 'doc'), 'ISSUER_UNREACHABLE');
  }
  const impatient = createJsonGetter({ issuerUrl: base, allowHttp: true, timeoutMs: 200 });
  await assertRejectsCa(impatient(`${base}/slow`, 'doc'), 'ISSUER_UNREACHABLE');
});

test('http is refused unless allowed, and then only on loopback', async () => {
  const strict = createJsonGetter({ issuerUrl: 'https://issuer.example.com', timeoutMs: 300 });
  await assertRejectsCa(strict('http://127.0.0.1:1/x', 'doc'), 'ISSUER_UNREACHABLE');
  const dev = createJsonGetter({ issuerUrl: 'https://issuer.example.com', allowHttp: true, timeoutMs: 300 });
  await assertRejectsCa(dev('http://10.1.2.3/x', 'doc'), 'ISSUER_UNREACHABLE');
  await assertRejectsCa(dev('not a url', 'doc'), 'ISSUER_UNREACHABLE');
});
