// Raw HTTP probes for the bad-input end-to-end suite: requests go over a real socket with the path,
// method, headers and body exactly as written (no URL normalisation, so `/tile/../..` reaches the
// server as such), and each answer is checked to be the expected 4xx with a body naming the problem.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { request } from 'node:http';

/** One hostile request and what the server must answer. */
export interface Probe {
  /** What the probe sends, as shown in the test output. */
  name: string;
  method?: string;
  /** The raw request target, appended to the service's base URL path. */
  path: string;
  /** A JSON value (serialised), or raw text/bytes when a string or Buffer. */
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** The acceptable statuses (all 4xx). */
  status: number | readonly number[];
  /** The error text must match this (case-insensitive substring or RegExp). */
  says?: string | RegExp;
  /** The error body's shape when it is not the service's usual one. */
  shape?: ErrorShape;
}

/** A raw HTTP answer. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends `probe` to `base` (an http:// URL, possibly with a path prefix) over a fresh connection. */
export function send(base: string, probe: Omit<Probe, 'name' | 'status' | 'says' | 'shape'>): Promise<Answer> {
  const url = new URL(base);
  const body = probe.json !== undefined ? Buffer.from(JSON.stringify(probe.json)) : probe.body;
  const headers: Record<string, string> = {
    ...(probe.json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    connection: 'close',
    ...probe.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: probe.method ?? (body !== undefined ? 'POST' : 'GET'), path: url.pathname.replace(/\/$/, '') + probe.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A server may answer 413 and close before it has read a huge body: the answer still counts.
      reject(e);
    });
    req.end(body);
  });
}

/** How a service spells the human-readable problem in its error bodies. */
export type ErrorShape = 'rekor' | 'ct' | 'fulcio' | 'oauth' | 'text';

/** The problem text of an error answer, per the service's wire shape; fails when it is missing. */
export function problemOf(answer: Answer, shape: ErrorShape): string {
  if (shape === 'text') return answer.text;
  assert.match(String(answer.headers['content-type']), /application\/json/, `error body is not JSON: ${answer.text}`);
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  const field = { rekor: 'message', ct: 'error_message', fulcio: 'message', oauth: 'error_description' }[shape];
  if (shape === 'rekor' || shape === 'fulcio') assert.equal(typeof body['code'], 'number', `no numeric code in ${answer.text}`);
  if (shape === 'ct') assert.equal(body['success'], false, `no success:false in ${answer.text}`);
  const text = body[field];
  assert.equal(typeof text, 'string', `no ${field} in ${answer.text}`);
  return text as string;
}

/**
 * Sends `probe` and asserts the answer: one of the expected 4xx statuses, an error body in the
 * service's shape whose text is non-empty, not a generic server error, and matches `says`.
 */
export async function expectRejected(base: string, shape: ErrorShape, probe: Probe): Promise<Answer> {
  const answer = await send(base, probe);
  const allowed = typeof probe.status === 'number' ? [probe.status] : probe.status;
  assert.ok(allowed.includes(answer.status), `${probe.name}: status ${answer.status} (want ${allowed.join('/')}): ${answer.text.slice(0, 300)}`);
  assert.ok(answer.status >= 400 && answer.status < 500, `${probe.name}: not a 4xx`);
  const text = problemOf(answer, probe.shape ?? shape);
  assert.ok(text.trim().length > 0, `${probe.name}: empty error text`);
  assert.doesNotMatch(text, /internal (server )?error/i, `${probe.name}: generic error text`);
  if (probe.says !== undefined) {
    const re = typeof probe.says === 'string' ? new RegExp(probe.says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : probe.says;
    assert.match(text, re, `${probe.name}: error text does not name the problem`);
  }
  return answer;
}

/** A signing key with helpers to build hashedrekord material. */
export interface TestKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** ECDSA P-256 / SHA-256 signature over `data`. */
  sign(data: Uint8Array): Buffer;
}

/** A fresh P-256 key. */
export function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (data) => sign('sha256', data, privateKey),
  };
}

/** A hashedrekord 0.0.1 proposed entry for `artifact` signed by `key`, with `keyPem` (key or certificate PEM) as verifier. */
export function hashedrekord(artifact: Uint8Array, signature: Uint8Array, keyPem: string): Record<string, unknown> {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      signature: { content: Buffer.from(signature).toString('base64'), publicKey: { content: Buffer.from(keyPem).toString('base64') } },
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(artifact).digest('hex') } },
    },
  };
}

/** PEM-armours DER bytes. */
export function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** The DER inside the first PEM block of `text`. */
export function derOf(text: string): Buffer {
  const m = /-----BEGIN [A-Z ]+-----([\s\S]*?)-----END/.exec(text);
  assert.ok(m, 'no PEM block');
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
}

/** A valid PKCS#10 CSR (P-256, CN=hostile), for the places that want a certificate. */
export const CSR_PEM = `-----BEGIN CERTIFICATE REQUEST-----
MIHMMHQCAQAwEjEQMA4GA1UEAwwHaG9zdGlsZTBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABJwj29X5y/2v+6bXXDFneWiLb1dybXoIeOGrcjSr1ueCdpwq6dvNo9nE
1+NuaD0+0W3mcf4DySa+MGv9GkQxsIigADAKBggqhkjOPQQDAgNIADBFAiAkXcl2
A+Eh2Iw4CqkfA3IbkeF0sKi9VMTx0C5QWnm9lwIhALgmkdXsaEV+ZxFOtPAF7/N9
kl2sPXZUb9TbHXFk4Zwy
-----END CERTIFICATE REQUEST-----
`;

/** `der` with the bytes in the middle replaced by garbage (lengths intact, contents nonsense). */
export function garbled(der: Uint8Array): Buffer {
  const out = Buffer.from(der);
  for (let i = Math.floor(out.length / 3); i < Math.floor((2 * out.length) / 3); i++) out[i] = 0xa5;
  return out;
}
