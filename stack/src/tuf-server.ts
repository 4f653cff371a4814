import { createServer } from 'node:http';
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
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://tuf').pathname));
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path.includes('..') || path.includes('.tmp-') || path.endsWith('/')) return void res.writeHead(404).end();
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
      res.writeHead(404).end();
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
