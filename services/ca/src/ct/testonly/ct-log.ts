// A small but real RFC 6962 log front for tests: `POST /ct/v1/add-pre-chain` checks the
// precertificate, signs a v1 SCT over PreCert {issuer_key_hash, tbs without poison} (§3.2) with
// an ECDSA P-256 key and answers the §4.1 JSON. It keeps no tree (the CT log server is the tlog
// service's job); its DER handling is deliberately independent of @signet/pki. Tests only.
import { type KeyObject, X509Certificate, createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { type Server, createServer } from 'node:http';

export const POISON_OID = '1.3.6.1.4.1.11129.2.4.3';
export const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2';

/** How the log answers. */
export type CtLogMode = 'ok' | 'refuse' | 'garbage' | 'hang' | 'foreign-key';

/** A running test log. */
export interface TestCtLog {
  url: string;
  /** The log's key; `publicKeyPem` goes in the CA's CT config. */
  key: KeyObject;
  publicKeyPem: string;
  /** The chains received (DER), in order. */
  submissions: Uint8Array[][];
  mode: CtLogMode;
  close(): Promise<void>;
}

/** Starts the log on 127.0.0.1, on a free port. */
export async function startTestCtLog(): Promise<TestCtLog> {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const log: TestCtLog = {
    url: '',
    key,
    publicKeyPem: createPublicKey(key).export({ format: 'pem', type: 'spki' }) as string,
    submissions: [],
    mode: 'ok',
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: string): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      };
      if (req.method !== 'POST' || req.url !== '/ct/v1/add-pre-chain') return reply(404, '{"error":"not found"}');
      if (log.mode === 'hang') return; // never answers
      if (log.mode === 'refuse') return reply(400, '{"error":"chain does not end in a trusted root"}');
      if (log.mode === 'garbage') return reply(200, '{"sct_version": 7}');
      try {
        const { chain } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { chain: string[] };
        const ders = chain.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
        log.submissions.push(ders);
        const tbs = tbsWithout(ders[0]!, POISON_OID, true);
        const issuerSpki = new X509Certificate(ders[1]!).publicKey.export({ format: 'der', type: 'spki' });
        const timestamp = BigInt(Date.now());
        const signer = log.mode === 'foreign-key' ? foreign : key;
        const data = precertSignedData(timestamp, createHash('sha256').update(issuerSpki).digest(), tbs, new Uint8Array());
        const sig = sign('sha256', data, signer);
        const ds = Buffer.concat([Buffer.from([4, 3, sig.length >> 8, sig.length & 0xff]), sig]);
        reply(
          200,
          JSON.stringify({
            sct_version: 0,
            id: logId(key).toString('base64'),
            timestamp: Number(timestamp),
            extensions: '',
            signature: ds.toString('base64'),
          }),
        );
      } catch (err) {
        reply(400, JSON.stringify({ error: (err as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  log.url = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  log.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return log;
}

/** RFC 6962 log ID: SHA-256 of the log key's SPKI. */
export function logId(key: KeyObject): Buffer {
  return createHash('sha256').update(createPublicKey(key).export({ format: 'der', type: 'spki' })).digest();
}

/** The §3.2 signed struct for a precert entry. */
export function precertSignedData(timestamp: bigint, issuerKeyHash: Uint8Array, tbs: Uint8Array, extensions: Uint8Array): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0; // v1
  head[1] = 0; // certificate_timestamp
  head.writeBigUInt64BE(timestamp, 2);
  head.writeUInt16BE(1, 10); // precert_entry
  const tbsLen = Buffer.from([tbs.length >> 16, (tbs.length >> 8) & 0xff, tbs.length & 0xff]);
  const extLen = Buffer.from([extensions.length >> 8, extensions.length & 0xff]);
  return Buffer.concat([head, issuerKeyHash, tbsLen, tbs, extLen, extensions]);
}

// --- a minimal DER walker (definite lengths only), independent of the code under test ---

interface Tlv {
  tag: number;
  start: number;
  headerLen: number;
  len: number;
}

function readTlv(buf: Uint8Array, at: number): Tlv {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let headerLen = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    headerLen += n;
  }
  return { tag, start: at, headerLen, len };
}

function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let at = parent.start + parent.headerLen;
  const end = at + parent.len;
  while (at < end) {
    const t = readTlv(buf, at);
    out.push(t);
    at += t.headerLen + t.len;
  }
  return out;
}

function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), content]);
}

function bytesOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.start + t.headerLen + t.len);
}

function oidText(buf: Uint8Array, t: Tlv): string {
  const v = buf.subarray(t.start + t.headerLen, t.start + t.headerLen + t.len);
  const parts = [Math.floor(v[0]! / 40), v[0]! % 40];
  let acc = 0;
  for (let i = 1; i < v.length; i++) {
    acc = acc * 128 + (v[i]! & 0x7f);
    if (!(v[i]! & 0x80)) {
      parts.push(acc);
      acc = 0;
    }
  }
  return parts.join('.');
}

/** The certificate's extensions as {oid, critical, value} (value = extnValue contents). */
export function extensionsOf(certDer: Uint8Array): { oid: string; critical: boolean; value: Uint8Array }[] {
  const tbs = children(certDer, readTlv(certDer, 0))[0]!;
  const exts = children(certDer, tbs).find((t) => t.tag === 0xa3);
  if (exts === undefined) return [];
  const seq = children(certDer, exts)[0]!;
  return children(certDer, seq).map((e) => {
    const parts = children(certDer, e);
    const critical = parts.length === 3 && certDer[parts[1]!.start + 2] === 0xff;
    const v = parts[parts.length - 1]!;
    return { oid: oidText(certDer, parts[0]!), critical, value: certDer.subarray(v.start + v.headerLen, v.start + v.headerLen + v.len) };
  });
}

/**
 * The TBSCertificate of `certDer` with the extension `oid` removed and everything else re-encoded
 * unchanged. With `required`, throws when the extension is absent.
 */
export function tbsWithout(certDer: Uint8Array, oid: string, required: boolean): Uint8Array {
  const tbs = children(certDer, readTlv(certDer, 0))[0]!;
  const fields = children(certDer, tbs);
  let found = false;
  const rebuilt = fields.map((f) => {
    if (f.tag !== 0xa3) return bytesOf(certDer, f);
    const seq = children(certDer, f)[0]!;
    const kept = children(certDer, seq).filter((e) => {
      const drop = oidText(certDer, children(certDer, e)[0]!) === oid;
      found ||= drop;
      return !drop;
    });
    return encodeTlv(0xa3, encodeTlv(0x30, Buffer.concat(kept.map((e) => bytesOf(certDer, e)))));
  });
  if (required && !found) throw new Error(`extension ${oid} missing`);
  return encodeTlv(0x30, Buffer.concat(rebuilt));
}
