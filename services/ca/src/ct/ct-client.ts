// The CT seam: submit a precertificate chain to an RFC 6962 log and get its SCT back.
import { type KeyObject, X509Certificate } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { PkiError, encodeSct, precertTbsForSct } from '@signet/pki';
import { CaError } from '../errors.js';
import { sctFromResponse, verifyPrecertSct } from './sct.js';

/** A Certificate Transparency log the CA embeds SCTs from. */
export interface CtClient {
  /**
   * Submits `chainDer` (the precertificate with its critical poison extension, then the issuing
   * CA chain up to the root) and returns the TLS-encoded SCT (RFC 6962 §3.2).
   * Throws `CaError('CT_UNAVAILABLE')` when the log cannot be reached, refuses, or answers garbage.
   */
  submitPrecertificate(chainDer: Uint8Array[]): Promise<Uint8Array>;
}

/** Options of the HTTP CT client. */
export interface HttpCtClientOptions {
  /** Base URL of the log (without `/ct/v1`). */
  url: string;
  /** Abort a submission after this many milliseconds. */
  timeoutMs: number;
  /** When set, each SCT's log ID and signature over the precertificate are checked. */
  logKey?: KeyObject;
  /**
   * The fetch to use instead of the built-in transport (node:http(s) with a keep-alive agent, which
   * costs far less CPU per submission than the global fetch).
   */
  fetch?: typeof fetch;
}

/** How much of a refusing log's response body goes into the error message. */
const MAX_BODY_IN_MESSAGE = 300;

/**
 * A CtClient speaking RFC 6962 §4.1 `POST {url}/ct/v1/add-pre-chain` with
 * `{"chain": [base64 DER, ...]}` and reading `{sct_version, id, timestamp, extensions, signature}`.
 */
export function createHttpCtClient(options: HttpCtClientOptions): CtClient {
  const endpoint = `${options.url.replace(/\/+$/, '')}/ct/v1/add-pre-chain`;
  const post = options.fetch !== undefined ? viaFetch(options.fetch) : viaNodeHttp(endpoint);
  return {
    async submitPrecertificate(chainDer) {
      let res: { status: number; text: string };
      try {
        res = await post(endpoint, JSON.stringify({ chain: chainDer.map((c) => Buffer.from(c).toString('base64')) }), options.timeoutMs);
      } catch (err) {
        const why = (err as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (err as Error).message;
        throw new CaError('CT_UNAVAILABLE', `CT log ${endpoint} is unreachable: ${why}`, { cause: err });
      }
      const text = res.text;
      if (res.status < 200 || res.status > 299) {
        const body = text.length > MAX_BODY_IN_MESSAGE ? `${text.slice(0, MAX_BODY_IN_MESSAGE)}…` : text;
        throw new CaError('CT_UNAVAILABLE', `CT log ${endpoint} refused the precertificate: HTTP ${res.status} ${body}`.trim());
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new CaError('CT_UNAVAILABLE', `CT log ${endpoint} answered with something that is not JSON`, { cause: err });
      }
      const sct = sctFromResponse(json);
      if (options.logKey !== undefined) {
        const issuerSpki = issuerSpkiOf(chainDer[1]);
        verifyPrecertSct(sct, options.logKey, issuerSpki, precertTbsForSct(chainDer[0]!));
      }
      try {
        return encodeSct(sct);
      } catch (err) {
        if (err instanceof PkiError) throw new CaError('CT_UNAVAILABLE', `CT log returned an unusable SCT: ${err.message}`, { cause: err });
        throw err;
      }
    },
  };
}

/** The last issuing CA seen and its SPKI: the chain is the same for every submission of a CA. */
let lastIssuer: { der: Buffer; spki: Uint8Array } | undefined;

function issuerSpkiOf(der: Uint8Array | undefined): Uint8Array {
  if (der === undefined) throw new CaError('CA_BACKEND_ERROR', 'a precertificate chain needs the issuing CA certificate');
  // Parsing the CA certificate and exporting its key costs ~0.7 ms; do it once per CA certificate.
  if (lastIssuer !== undefined && lastIssuer.der.equals(der)) return lastIssuer.spki;
  const key = new X509Certificate(der).publicKey;
  const spki = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
  lastIssuer = { der: Buffer.from(der), spki };
  return spki;
}

/** POSTs a JSON body and reads the whole answer; rejects with a `TimeoutError` after `timeoutMs`. */
type Post = (url: string, body: string, timeoutMs: number) => Promise<{ status: number; text: string }>;

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

function viaFetch(doFetch: typeof fetch): Post {
  return async (url, body, timeoutMs) => {
    const res = await doFetch(url, { method: 'POST', headers: JSON_HEADERS, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  };
}

/**
 * node:http(s) with one keep-alive agent per client: connections are reused across submissions. A
 * request that fails with ECONNRESET on a reused connection (the log closed it while idle) is sent
 * once more on a fresh one; add-pre-chain is idempotent (the log answers a resubmission with the
 * same SCT).
 */
function viaNodeHttp(endpoint: string): Post {
  const https = endpoint.startsWith('https:');
  const agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const send = https ? httpsRequest : httpRequest;
  const once = (url: string, payload: Buffer, timeoutMs: number, retry: boolean): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new Error(`no answer within ${timeoutMs} ms`);
        err.name = 'TimeoutError';
        req.destroy(err);
      }, timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        if (retry && req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') once(url, payload, timeoutMs, false).then(resolve, reject);
        else reject(err);
      };
      const req = send(url, { method: 'POST', agent, headers: { ...JSON_HEADERS, 'content-length': payload.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', fail);
      req.end(payload);
    });
  return (url, body, timeoutMs) => once(url, Buffer.from(body, 'utf8'), timeoutMs, true);
}
