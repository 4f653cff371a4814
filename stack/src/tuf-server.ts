import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';

/**
 * Serves the stack's TUF repository read-only over HTTP, so `@sigstore/tuf`, cosign
 * (`cosign initialize --mirror`) and sigstore-python can use it as a mirror, plus a few named files
 * beside it (the current trusted_root.json and signing config, for clients that take them as
 * plain files). Metadata is served `no-cache` (it changes on re-signing); consistent-snapshot
 * targets are immutable.
 */
export async function serveTuf(
  dir: string,
  host: string,
  port: number,
  files: Record<string, string> = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  // Every refusal carries a one-line text body naming the problem.
  const refuse = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) =>
    void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
  const server = createServer(async (req, res) => {
    let path: string;
    try {
      path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://tuf').pathname));
    } catch {
      // An undecodable percent-escape or an unparsable request target: the client's mistake, and it
      // must not become an unhandled rejection that takes the whole stack down.
      return refuse(res, 400, 'malformed request path: a percent-escape does not decode');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, `method ${req.method} not allowed: this mirror is read-only (GET, HEAD)`, { allow: 'GET, HEAD' });
    if (path.includes('..') || path.includes('.tmp-') || path.includes('\0') || path.endsWith('/')) return refuse(res, 404, `no such file: ${path}`);
    try {
      const named = files[path];
      const body = await readFile(named ?? join(dir, path));
      const immutable = named === undefined && (path.startsWith('/targets/') || /^\/\d+\.(root|snapshot|targets)\.json$/.test(path));
      res.writeHead(200, {
        'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      refuse(res, 404, `no such file: ${path}`);
    }
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(port, host, () => ok()));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
