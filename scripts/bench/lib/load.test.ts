import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { runLoad, type BenchRequest } from './load.js';

/** A node:http server answering by path: a Content-Length echo, a chunked answer, `Connection: close`, a dropped socket. */
async function server(): Promise<{ url: string; srv: Server }> {
  const srv = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString();
      if (req.url === '/echo') res.end(JSON.stringify({ type: req.headers['content-type'], body }));
      else if (req.url === '/chunked') {
        res.write('ab');
        setImmediate(() => res.end('cd'));
      } else if (req.url === '/close') {
        res.setHeader('Connection', 'close');
        res.end('bye');
      } else req.socket.destroy();
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, srv };
}

const expected: Record<string, string> = {
  '/echo': JSON.stringify({ type: 'application/json', body: '{"n":1}' }),
  '/chunked': 'abcd',
  '/close': 'bye',
};

async function load(url: string, paths: string[]) {
  let sent = 0;
  let checked = 0;
  const result = await runLoad({
    url,
    concurrency: 4,
    warmupMs: 0,
    durationMs: 400,
    next(): BenchRequest {
      const path = paths[sent++ % paths.length]!;
      return path === '/echo' ? { method: 'POST', path, body: Buffer.from('{"n":1}') } : { method: 'GET', path };
    },
    check(status, body, req) {
      checked++;
      const want = expected[req.path];
      return status === 200 && body.toString() === want ? undefined : `${req.path}: ${status} ${body.toString()}`;
    },
  });
  return { result, checked };
}

test('keep-alive, chunked and Connection: close answers all arrive whole, reconnecting after a close', async () => {
  const { url, srv } = await server();
  try {
    const { result, checked } = await load(url, ['/echo', '/chunked', '/close', '/echo']);
    assert.deepEqual(result.errorSamples, []);
    assert.equal(result.errors, 0);
    assert.ok(checked > 0);
  } finally {
    srv.close();
  }
});

test('a connection dropped without an answer is a transport error, and the next request reconnects', async () => {
  const { url, srv } = await server();
  try {
    const { result, checked } = await load(url, ['/drop', '/echo']);
    assert.ok(result.errorSamples.length > 0);
    for (const s of result.errorSamples) assert.match(s, /transport: socket hang up/);
    assert.ok(checked > 0, 'answers after the drops were checked');
  } finally {
    srv.close();
  }
});
