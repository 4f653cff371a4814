// The CT seam: submit a precertificate chain to an RFC 6962 log and get its SCT back.
import { type KeyObject, X509Certificate } from 'node:crypto';
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
  /** The fetch to use (tests); defaults to the global fetch. */
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
  const doFetch = options.fetch ?? fetch;
  return {
    async submitPrecertificate(chainDer) {
      let res: Response;
      let text: string;
      try {
        res = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ chain: chainDer.map((c) => Buffer.from(c).toString('base64')) }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        const why = (err as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (err as Error).message;
        throw new CaError('CT_UNAVAILABLE', `CT log ${endpoint} is unreachable: ${why}`, { cause: err });
      }
      if (!res.ok) {
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
