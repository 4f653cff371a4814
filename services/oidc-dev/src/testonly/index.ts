// @signet/oidc-dev/testonly: a development issuer on 127.0.0.1:0 with its keys and clock exposed, for tests
// in other workspaces (e.g. the CA's token verification). Production code must never import this.
import { buildOidcApp, type OidcApp } from '../app.js';
import { generateDevKey, type DevAlgorithm, type DevSigningKey } from '../keys.js';

export { generateDevKey, devKeyFromPrivate, type DevAlgorithm, type DevSigningKey } from '../keys.js';

/** A running test issuer. */
export interface TestOidc {
  url: string;
  /** The live key list: push a key to rotate (the last key signs). */
  keys: DevSigningKey[];
  app: OidcApp;
  /** POSTs /token over HTTP and returns the id_token; throws on a non-200 answer. */
  mint(request: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Starts a development issuer on 127.0.0.1, on a free port unless `port` is given (to restart at the same URL). */
export async function startTestOidc(opts: { now?: () => Date; alg?: DevAlgorithm; keys?: DevSigningKey[]; port?: number } = {}): Promise<TestOidc> {
  const keys = opts.keys ?? [generateDevKey(opts.alg ?? 'ES256')];
  let url = '';
  const app = buildOidcApp({ issuerUrl: () => url, now: opts.now ?? (() => new Date()), keys });
  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  return {
    url,
    keys,
    app,
    async mint(request) {
      const res = await fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      const body = (await res.json()) as { id_token?: string; error_description?: string };
      if (res.status !== 200 || body.id_token === undefined) throw new Error(`token request failed: ${res.status} ${body.error_description ?? ''}`);
      return body.id_token;
    },
    close: () => app.close(),
  };
}
