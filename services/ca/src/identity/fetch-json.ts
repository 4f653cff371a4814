// Fetching an OIDC issuer's discovery document and JWKS: https only (loopback http for the development
// issuer), bounded in time and size, same-origin redirects only, optional per-issuer CA certificates.
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { CaError } from '../errors.js';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** Where and how an issuer's documents are fetched. */
export interface JsonGetterOptions {
  /** The issuer the documents belong to (named in errors). */
  issuerUrl: string;
  /** Default: global fetch. Not used when `caCert` is set. */
  fetch?: typeof fetch;
  /** Accept http: URLs on loopback hosts. */
  allowHttp?: boolean;
  /** Extra PEM CA certificates for TLS (then node:https is used instead of fetch). */
  caCert?: string;
  timeoutMs: number;
}

/** GETs the JSON document at `url`; `what` names it in errors. */
export type JsonGetter = (url: string, what: string) => Promise<unknown>;

/**
 * Checks that a URL may be fetched: https only, or http on a loopback host when allowed.
 * @throws CaError ISSUER_UNREACHABLE naming the URL.
 */
export function checkFetchUrl(url: string, opts: Pick<JsonGetterOptions, 'issuerUrl' | 'allowHttp'>, what: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CaError('ISSUER_UNREACHABLE', `${what} ${url} of ${opts.issuerUrl} is not a URL`);
  }
  if (u.protocol === 'https:' || (u.protocol === 'http:' && opts.allowHttp === true && LOOPBACK.has(u.hostname))) return u;
  throw new CaError('ISSUER_UNREACHABLE', `${what} ${url} of ${opts.issuerUrl} must be https`);
}

/**
 * A getter for an issuer's JSON documents: timeout, 1 MiB cap, redirects only within the same origin (as
 * Fulcio's client). Every failure is CaError ISSUER_UNREACHABLE naming the document, URL and cause.
 */
export function createJsonGetter(opts: JsonGetterOptions): JsonGetter {
  const timeout = opts.timeoutMs;
  const fail = (what: string, url: string, why: string, cause?: unknown) =>
    new CaError('ISSUER_UNREACHABLE', `${what} of ${opts.issuerUrl} failed (${url}): ${why}`, { cause });
  if (opts.caCert !== undefined) return caCertGetter(opts, timeout, fail);
  const doFetch = opts.fetch ?? fetch;
  return async (url, what) => {
    let current = checkFetchUrl(url, opts, what);
    for (let hop = 0; hop <= 5; hop++) {
      let res: Response;
      try {
        res = await doFetch(current, { redirect: 'manual', signal: AbortSignal.timeout(timeout), headers: { accept: 'application/json' } });
      } catch (err) {
        throw fail(what, current.href, (err as Error).message, err);
      }
      const location = res.headers.get('location');
      if (res.status !== 200) await res.body?.cancel().catch(() => {});
      if (res.status >= 300 && res.status < 400 && location !== null) {
        const next = new URL(location, current);
        if (next.origin !== current.origin) throw fail(what, current.href, `redirect to another origin ${next.origin} refused`);
        current = next;
        continue;
      }
      if (res.status !== 200) throw fail(what, current.href, `HTTP ${res.status}`);
      const body = await res.arrayBuffer().catch((err: unknown) => {
        throw fail(what, current.href, (err as Error).message, err);
      });
      if (body.byteLength > MAX_DOCUMENT_BYTES) throw fail(what, current.href, 'document over 1 MiB');
      try {
        return JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
      } catch (err) {
        throw fail(what, current.href, 'not JSON', err);
      }
    }
    throw fail(what, url, 'too many redirects');
  };
}

/** The same GET over node:https with the issuer's extra CA certificates; redirects are not followed. */
function caCertGetter(opts: JsonGetterOptions, timeout: number, fail: (what: string, url: string, why: string, cause?: unknown) => CaError): JsonGetter {
  const ca = [...rootCertificates, opts.caCert as string];
  return (url, what) =>
    new Promise((resolve, reject) => {
      const u = checkFetchUrl(url, opts, what);
      if (u.protocol !== 'https:') return reject(fail(what, url, 'CACert needs an https URL'));
      const req = httpsRequest(u, { ca, timeout, headers: { accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_DOCUMENT_BYTES) req.destroy(new Error('document over 1 MiB'));
          else chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(fail(what, url, `HTTP ${res.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(fail(what, url, 'not JSON', err));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeout} ms`)));
      req.on('error', (err) => reject(fail(what, url, err.message, err)));
      req.end();
    });
}
