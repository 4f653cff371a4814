// Every route of every running service, attacked with bad input over real HTTP: malformed and
// mistyped JSON at every level, missing and extra fields, broken base64/hex/PEM/DER, certificates
// that are truncated, garbled or CSRs, wrong signatures, unknown kinds, oversized bodies, wrong
// media types and methods, odd and traversing paths, out-of-range numbers, and identity tokens that
// are garbage, expired, not yet valid, for another audience or signed by a stranger. Each must be a
// 4xx whose body names the problem in the service's own error shape. Afterwards every service is
// healthy, every write acknowledged during the run reads back unchanged, and sign-and-log works.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import * as sigstore from 'sigstore';
import { databaseVariants, startTestStack, type TestStack } from '../helpers/stack.js';
import {
  CSR_PEM,
  derOf,
  expectRejected,
  garbled,
  hashedrekord,
  newKey,
  pem,
  send,
  type ErrorShape,
  type Probe,
  type TestKey,
} from '../helpers/hostile.js';

const EMAIL = 'alice@example.com';
const MiB = 1024 * 1024;
const b64 = (b: string | Uint8Array) => Buffer.from(b).toString('base64');
const b64url = (b: string | Uint8Array) => Buffer.from(b).toString('base64url');

/** Everything the probe tables need, made once per stack. */
interface Material {
  key: TestKey;
  /** A certificate for `key` issued by the stack's CA, and the CA chain (issuing CA first). */
  certPem: string;
  chainPems: string[];
  /** A token from the development issuer, and bad ones. */
  token: string;
  expiredToken: string;
  futureToken: string;
  otherAudienceToken: string;
  unverifiedToken: string;
  foreignToken: string;
  noneToken: string;
  /** A self-signed certificate (the log's roots do not include it). */
  strangerCertPem: string;
}

/** Sends a JSON POST that must succeed, returning the parsed body. */
async function ok(base: string, path: string, json: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  const a = await send(base, { path, json, headers });
  assert.ok(a.status < 300, `${path}: ${a.status} ${a.text}`);
  return { status: a.status, body: a.headers['content-type']?.toString().includes('json') ? JSON.parse(a.text) : a.text, headers: a.headers };
}

async function mint(stack: TestStack, claims: Record<string, unknown>): Promise<string> {
  const { body } = await ok(stack.info.oidcIssuerUrl, '/token', claims);
  return (body as { id_token: string }).id_token;
}

/** A JWT signed ES256 by a key nobody trusts, or with `alg: none`. */
function forgedToken(issuer: string, alg: 'ES256' | 'none'): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg, typ: 'JWT', kid: 'stranger' }));
  const payload = b64url(JSON.stringify({ iss: issuer, sub: EMAIL, email: EMAIL, email_verified: true, aud: 'sigstore', iat: now, exp: now + 600 }));
  if (alg === 'none') return `${header}.${payload}.`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return `${header}.${payload}.${b64url(sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }))}`;
}

async function makeMaterial(stack: TestStack): Promise<Material> {
  const key = newKey();
  const token = await stack.token(EMAIL);
  const issued = await ok(stack.info.caUrl, '/api/v2/signingCert', {
    credentials: { oidcIdentityToken: token },
    publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: key.publicKeyPem }, proofOfPossession: b64(key.sign(Buffer.from(EMAIL))) },
  });
  const chain = (issued.body as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } }).signedCertificateEmbeddedSct.chain.certificates;
  const now = Math.floor(Date.now() / 1000);
  const iss = stack.info.oidcIssuerUrl;
  return {
    key,
    certPem: `${chain[0]!}\n`,
    chainPems: chain.slice(1).map((c) => `${c}\n`),
    token,
    expiredToken: await mint(stack, { email: EMAIL, iat: now - 7200, exp: now - 3600 }),
    futureToken: await mint(stack, { email: EMAIL, iat: now + 3600, nbf: now + 3600, exp: now + 7200 }),
    otherAudienceToken: await mint(stack, { email: EMAIL, aud: 'someone-else' }),
    unverifiedToken: await mint(stack, { email: EMAIL, email_verified: false }),
    foreignToken: forgedToken(iss, 'ES256'),
    noneToken: forgedToken(iss, 'none'),
    strangerCertPem: STRANGER_CERT_PEM,
  };
}

// A self-signed P-256 certificate (CN=stranger), not under any root the stack accepts.
const STRANGER_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBfDCCASGgAwIBAgIUBO6fiOsbDqsYvBww8jB0JgA0v6swCgYIKoZIzj0EAwIw
EzERMA8GA1UEAwwIc3RyYW5nZXIwHhcNMjYxMTIyMTk0NTQ3WhcNMzYxMTE5MTk0
NTQ3WjATMREwDwYDVQQDDAhzdHJhbmdlcjBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABMpl+LJJF5Ts9tv+TenwU6CjdVFzDImTkF/YoyCMM2A6r2btyRs3xl/lkzxg
aYjagRb6I2NmHjxrSNkf1B7o+OKjUzBRMB0GA1UdDgQWBBSdjreyByC7TtDYd9v7
J8j6gIuBRTAfBgNVHSMEGDAWgBSdjreyByC7TtDYd9v7J8j6gIuBRTAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCW+zIUuJeCKrxiNJb7BH16b/V6
Gw7WMHkuPOkHQIhIvgIhAJV78V9PemxmmfpwnWg3ICmEvLamGoUmZgTUcjfA3da3
-----END CERTIFICATE-----
`;

// ---------------------------------------------------------------------------------------------
// The probe tables.
// ---------------------------------------------------------------------------------------------

/** Probes that every JSON POST route gets: malformed JSON, wrong top-level types, media types. */
function jsonBodyProbes(path: string, limitBytes: number, limitText: string | RegExp): Probe[] {
  return [
    { name: `${path}: malformed JSON`, path, body: '{"kind":', headers: { 'content-type': 'application/json' }, status: 400, says: 'JSON' },
    { name: `${path}: empty JSON body`, path, body: '', headers: { 'content-type': 'application/json' }, status: 400 },
    { name: `${path}: JSON array`, path, json: [], status: [400, 422] },
    { name: `${path}: JSON null`, path, json: null, status: [400, 422] },
    { name: `${path}: JSON number`, path, json: 42, status: [400, 422] },
    { name: `${path}: JSON string`, path, json: 'hello', status: [400, 422] },
    { name: `${path}: NaN literal`, path, body: '{"a": NaN}', headers: { 'content-type': 'application/json' }, status: 400, says: 'JSON' },
    { name: `${path}: text/plain`, path, body: '{}', headers: { 'content-type': 'text/plain' }, status: 415, says: /Content-Type|media type/ },
    { name: `${path}: form-encoded`, path, body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, says: /Content-Type|media type/ },
    { name: `${path}: no Content-Type`, path, body: '{}', status: [400, 415] },
    { name: `${path}: oversized (limit + 1 byte)`, path, body: `{"x":"${'a'.repeat(limitBytes - 7)}"}`, headers: { 'content-type': 'application/json' }, status: 413, says: limitText },
    { name: `${path}: PUT`, method: 'PUT', path, json: {}, status: [404, 405] },
    { name: `${path}: DELETE`, method: 'DELETE', path, status: [404, 405] },
  ];
}

function rekorEntryProbes(m: Material): Probe[] {
  const P = '/api/v1/log/entries';
  const artifact = Buffer.from('a bad-input artifact');
  const good = hashedrekord(artifact, m.key.sign(artifact), m.key.publicKeyPem);
  const spec = (good as { spec: Record<string, any> }).spec;
  const withSpec = (mutate: (s: any) => void) => {
    const s = structuredClone(spec);
    mutate(s);
    return { ...good, spec: s };
  };
  const keyContent = (content: string) => withSpec((s) => (s.signature.publicKey.content = content));
  const certDer = derOf(m.certPem);
  const entry = (name: string, json: unknown, says?: string | RegExp, status: number | number[] = 400): Probe => ({ name: `entries: ${name}`, path: P, json, status, ...(says ? { says } : {}) });
  return [
    ...jsonBodyProbes(P, 4 * MiB, '4194304'),
    entry('{}', {}, 'kind'),
    entry('kind a number', { ...good, kind: 5 }, /kind|supported/),
    entry('kind null', { ...good, kind: null }, /kind/),
    entry('kind empty', { ...good, kind: '' }, /kind|supported/),
    entry('unknown kind', { ...good, kind: 'teapot' }, 'teapot'),
    entry('rekord kind', { ...good, kind: 'rekord' }, 'not supported'),
    entry('unknown apiVersion', { ...good, apiVersion: '9.9.9' }, '9.9.9'),
    entry('apiVersion number', { ...good, apiVersion: 1 }, /apiVersion|supported|version/),
    entry('no apiVersion', { kind: 'hashedrekord', spec }, /apiVersion|version/),
    entry('no spec', { kind: 'hashedrekord', apiVersion: '0.0.1' }, 'spec'),
    entry('spec array', { ...good, spec: [] }, 'spec'),
    entry('spec null', { ...good, spec: null }, 'spec'),
    entry('spec string', { ...good, spec: 'x' }, 'spec'),
    entry('spec number', { ...good, spec: 7 }, 'spec'),
    entry('signature missing', withSpec((s) => delete s.signature), 'spec.signature'),
    entry('signature array', withSpec((s) => (s.signature = [])), 'spec.signature'),
    entry('signature.content missing', withSpec((s) => delete s.signature.content), 'spec.signature.content'),
    entry('signature.content empty', withSpec((s) => (s.signature.content = '')), 'spec.signature.content'),
    entry('signature.content number', withSpec((s) => (s.signature.content = 12345)), 'spec.signature.content'),
    entry('signature.content not base64', withSpec((s) => (s.signature.content = '!!not base64!!')), 'spec.signature.content'),
    entry('signature.content object', withSpec((s) => (s.signature.content = { a: 1 })), 'spec.signature.content'),
    entry('wrong signature', withSpec((s) => (s.signature.content = b64(m.key.sign(Buffer.from('other data'))))), 'does not verify'),
    entry('signature garbage bytes', withSpec((s) => (s.signature.content = b64(Buffer.alloc(70, 0xff)))), /spec\.signature/),
    entry('publicKey missing', withSpec((s) => delete s.signature.publicKey), 'spec.signature.publicKey'),
    entry('publicKey.content null', withSpec((s) => (s.signature.publicKey.content = null)), 'spec.signature.publicKey'),
    entry('publicKey.content empty', keyContent(''), 'spec.signature.publicKey'),
    entry('publicKey.content not base64', keyContent('%%%'), 'spec.signature.publicKey.content'),
    entry('publicKey.content base64 of junk', keyContent(b64('hello world')), 'spec.signature.publicKey.content'),
    entry('publicKey PEM with junk inside', keyContent(b64('-----BEGIN PUBLIC KEY-----\nAAAA!!!!\n-----END PUBLIC KEY-----\n')), 'spec.signature.publicKey.content'),
    entry('publicKey raw DER (not PEM)', keyContent(b64(derOf(m.key.publicKeyPem))), 'spec.signature.publicKey.content'),
    entry('truncated certificate', keyContent(b64(pem('CERTIFICATE', certDer.subarray(0, certDer.length - 40)))), 'spec.signature.publicKey.content'),
    entry('certificate cut to its header', keyContent(b64(pem('CERTIFICATE', certDer.subarray(0, 4)))), 'spec.signature.publicKey.content'),
    entry('certificate with garbage inside', keyContent(b64(pem('CERTIFICATE', garbled(certDer)))), /spec\.signature/),
    entry('CSR instead of certificate', keyContent(b64(CSR_PEM)), 'spec.signature.publicKey.content'),
    entry('CSR labelled CERTIFICATE', keyContent(b64(pem('CERTIFICATE', derOf(CSR_PEM)))), 'spec.signature.publicKey.content'),
    entry('certificate of another key', keyContent(b64(m.chainPems[0]!)), /spec\.signature/),
    entry('chain in the wrong order', keyContent(b64(m.chainPems[0]! + m.certPem)), /spec\.signature|chain/),
    entry('data missing', withSpec((s) => delete s.data), 'spec.data'),
    entry('hash missing', withSpec((s) => delete s.data.hash), 'spec.data.hash'),
    entry('hash algorithm md5', withSpec((s) => (s.data.hash.algorithm = 'md5')), 'md5'),
    entry('hash algorithm missing', withSpec((s) => delete s.data.hash.algorithm), 'spec.data.hash.algorithm'),
    entry('hash value not hex', withSpec((s) => (s.data.hash.value = 'zz'.repeat(32))), 'spec.data.hash.value'),
    entry('hash value short', withSpec((s) => (s.data.hash.value = 'ab')), 'spec.data.hash.value'),
    entry('hash value 2^64 as a number', withSpec((s) => (s.data.hash.value = 18446744073709551616)), 'spec.data.hash.value'),
    entry('hash value of sha512 length for sha256', withSpec((s) => (s.data.hash.value = 'ab'.repeat(64))), 'spec.data.hash.value'),
    entry('hash of another artifact', withSpec((s) => (s.data.hash.value = createHash('sha256').update('x').digest('hex'))), 'does not verify'),
    entry('dsse: no proposedContent', { kind: 'dsse', apiVersion: '0.0.1', spec: {} }, 'proposedContent'),
    entry('dsse: envelope not JSON', { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: '{{{', verifiers: [b64(m.key.publicKeyPem)] } } }, 'envelope'),
    entry('dsse: envelope a number', { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: 5, verifiers: [b64(m.key.publicKeyPem)] } } }, 'envelope'),
    entry('dsse: envelope JSON array', { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: '[]', verifiers: [b64(m.key.publicKeyPem)] } } }, 'envelope'),
    entry('dsse: no signatures', { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: JSON.stringify({ payload: b64('{}'), payloadType: 'x', signatures: [] }), verifiers: [b64(m.key.publicKeyPem)] } } }, /signature/),
    entry('dsse: verifiers not an array', { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: JSON.stringify({ payload: b64('{}'), payloadType: 'x', signatures: [{ sig: b64('x') }] }), verifiers: 'x' } } }, 'verifiers'),
    entry('dsse: garbage verifier', { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: JSON.stringify({ payload: b64('{}'), payloadType: 'x', signatures: [{ sig: b64('x') }] }), verifiers: [b64('junk')] } } }, 'verifiers'),
    entry('dsse: wrong signature', { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: JSON.stringify({ payload: b64('{}'), payloadType: 'x', signatures: [{ sig: b64(m.key.sign(Buffer.from('no'))) }] }), verifiers: [b64(m.key.publicKeyPem)] } } }, /verif/),
    entry('dsse: computed fields supplied', { kind: 'dsse', apiVersion: '0.0.1', spec: { envelopeHash: { algorithm: 'sha256', value: '00' } } }, /proposedContent/),
    entry('intoto 0.0.2: no content', { kind: 'intoto', apiVersion: '0.0.2', spec: {} }, 'spec.content'),
    entry('intoto 0.0.2: payload not double base64', { kind: 'intoto', apiVersion: '0.0.2', spec: { content: { envelope: { payloadType: 'x', payload: b64('not base64 !!'), signatures: [] }, hash: { algorithm: 'sha256', value: '0'.repeat(64) } } } }, 'payload'),
    entry('intoto 0.0.1 (unsupported)', { kind: 'intoto', apiVersion: '0.0.1', spec: {} }, 'not supported'),
    {
      name: 'entries: extra fields and 100,000-deep nesting around a wrong signature',
      path: P,
      body: `${JSON.stringify(withSpec((s) => (s.signature.content = b64(m.key.sign(Buffer.from('no')))))).slice(0, -1)},"extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      headers: { 'content-type': 'application/json' },
      status: 400,
    },
  ];
}

function rekorReadProbes(): Probe[] {
  const E = '/api/v1/log/entries';
  const get = (name: string, path: string, says?: string | RegExp, status: number | number[] = 400): Probe => ({ name, path, status, ...(says ? { says } : {}) });
  return [
    get('logIndex missing', E, 'logIndex'),
    get('logIndex=-1', `${E}?logIndex=-1`, 'logIndex'),
    get('logIndex=abc', `${E}?logIndex=abc`, 'logIndex'),
    get('logIndex=1.5', `${E}?logIndex=1.5`, 'logIndex'),
    get('logIndex empty', `${E}?logIndex=`, 'logIndex'),
    get('logIndex=NaN', `${E}?logIndex=NaN`, 'logIndex'),
    get('logIndex=Infinity', `${E}?logIndex=Infinity`, /logIndex|index/, [400, 404]),
    get('logIndex=1e30', `${E}?logIndex=1e30`, /logIndex|index|entry/, [400, 404]),
    get('logIndex=2^64', `${E}?logIndex=18446744073709551616`, /logIndex|index|entry/, [400, 404]),
    get('logIndex=2^63', `${E}?logIndex=9223372036854775808`, /logIndex|index|entry/, [400, 404]),
    get('logIndex beyond the tree', `${E}?logIndex=1000000`, /./, 404),
    get('logIndex twice', `${E}?logIndex=0&logIndex=1`, 'logIndex'),
    get('logIndex=0x10', `${E}?logIndex=0x10`, /logIndex|index|entry/, [400, 404]),
    get('entryUUID garbage', `${E}/not-hex`, /./),
    get('entryUUID 63 hex', `${E}/${'a'.repeat(63)}`, /./),
    get('entryUUID 65 hex', `${E}/${'a'.repeat(65)}`, /./),
    get('entryUUID unknown', `${E}/${'a'.repeat(64)}`, /./, 404),
    get('entryID with tree ID 0', `${E}/${'0'.repeat(16)}${'a'.repeat(64)}`, /tree/i),
    get('entryID of another tree', `${E}/${'1'.repeat(16)}${'a'.repeat(64)}`, /./, 404),
    get('entryUUID 10 KB', `${E}/${'a'.repeat(10_000)}`, /./, [400, 404, 414]),
    get('entryUUID %00', `${E}/%00`, /./),
    get('entryUUID %zz', `${E}/%zz`, /./, [400, 404]),
    get('entryUUID ..', `${E}/..%2f..%2fetc%2fpasswd`, /./, [400, 404]),
    get('proof: lastSize missing', '/api/v1/log/proof', 'lastSize'),
    get('proof: lastSize=0', '/api/v1/log/proof?lastSize=0', 'lastSize'),
    get('proof: lastSize=-1', '/api/v1/log/proof?lastSize=-1', 'lastSize'),
    get('proof: firstSize=0', '/api/v1/log/proof?firstSize=0&lastSize=1', 'firstSize'),
    get('proof: firstSize > lastSize', '/api/v1/log/proof?firstSize=3&lastSize=2', 'firstSize(3) must be less than or equal to lastSize(2)'),
    get('proof: lastSize beyond the tree', '/api/v1/log/proof?lastSize=1000000', 'greater than what is currently observable'),
    get('proof: lastSize=1e30', '/api/v1/log/proof?lastSize=1e30', /lastSize|observable|size/),
    get('proof: lastSize=2^64', '/api/v1/log/proof?lastSize=18446744073709551616', /lastSize|observable|size/),
    get('proof: lastSize=Infinity', '/api/v1/log/proof?lastSize=Infinity', /lastSize|observable|size/),
    get('proof: firstSize=abc', '/api/v1/log/proof?firstSize=abc&lastSize=1', 'firstSize'),
    get('proof: treeID=abc', '/api/v1/log/proof?lastSize=1&treeID=abc', 'treeID'),
    get('proof: treeID of another tree', '/api/v1/log/proof?lastSize=1&treeID=1', /tree/i),
    get('proof: treeID=2^70', '/api/v1/log/proof?lastSize=1&treeID=1180591620717411303424', /tree/i),
    get('publicKey: treeID=abc', '/api/v1/log/publicKey?treeID=abc', 'treeID'),
    get('publicKey: treeID=-1', '/api/v1/log/publicKey?treeID=-1', 'treeID'),
    get('publicKey: treeID of another tree', '/api/v1/log/publicKey?treeID=1', /tree/i),
    get('publicKey: treeID=0', '/api/v1/log/publicKey?treeID=0', /tree/i),
    { name: 'POST /api/v1/log', method: 'POST', path: '/api/v1/log', json: {}, status: [404, 405] },
    { name: 'DELETE /api/v1/log/entries/x', method: 'DELETE', path: `${E}/${'a'.repeat(64)}`, status: [404, 405] },
    get('unknown path', '/api/v1/nope', 'no route', 404),
    get('unknown API version', '/api/v9/log', 'no route', 404),
  ];
}

function rekorSearchProbes(): Probe[] {
  const R = '/api/v1/log/entries/retrieve';
  const I = '/api/v1/index/retrieve';
  const post = (name: string, path: string, json: unknown, says?: string | RegExp, status: number | number[] = 400): Probe => ({ name, path, json, status, ...(says ? { says } : {}) });
  return [
    ...jsonBodyProbes(R, 4 * MiB, '4194304'),
    post('retrieve: logIndexes=[-1]', R, { logIndexes: [-1] }, 'logIndexes'),
    post('retrieve: logIndexes=["a"]', R, { logIndexes: ['a'] }, 'logIndexes'),
    post('retrieve: logIndexes=[1.5]', R, { logIndexes: [1.5] }, 'logIndexes'),
    post('retrieve: logIndexes=[1e30]', R, { logIndexes: [1e30] }, /logIndexes|index/, [400, 422]),
    post('retrieve: logIndexes=[2^64]', R, { logIndexes: [18446744073709551616] }, /logIndexes|index/, [400, 422]),
    post('retrieve: logIndexes empty', R, { logIndexes: [] }, 'logIndexes'),
    post('retrieve: logIndexes object', R, { logIndexes: { a: 1 } }, 'logIndexes'),
    post('retrieve: 11 indexes', R, { logIndexes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, 'more than max allowed 10 entries in request', 422),
    post('retrieve: entryUUIDs not hex', R, { entryUUIDs: ['zz'] }, /entryUUID|UUID|uuid/),
    post('retrieve: entryUUIDs numbers', R, { entryUUIDs: [[1]] }, /entryUUIDs/),
    post('retrieve: entries with a bad kind', R, { entries: [{ kind: 'teapot', apiVersion: '0.0.1', spec: {} }] }, 'teapot'),
    post('retrieve: entries not objects', R, { entries: [1] }, 'entries'),
    ...jsonBodyProbes(I, 4 * MiB, '4194304'),
    post('index: empty query', I, {}, /./),
    post('index: hash not hex', I, { hash: 'zz' }, 'hash'),
    post('index: hash with unknown algorithm', I, { hash: 'md5:' + 'a'.repeat(32) }, /hash|md5/),
    post('index: hash a number', I, { hash: 1 }, /hash/),
    post('index: email not an email', I, { email: 'not an email' }, 'email'),
    post('index: email array', I, { email: ['a@b'] }, 'email'),
    post('index: publicKey without format', I, { publicKey: { content: 'x' } }, 'format'),
    post('index: publicKey pgp', I, { publicKey: { format: 'pgp', content: b64('x') } }, /pgp|format/),
    post('index: publicKey x509 junk', I, { publicKey: { format: 'x509', content: b64('junk') } }, /publicKey|key/),
    post('index: publicKey x509 not base64', I, { publicKey: { format: 'x509', content: '%%%' } }, /publicKey|key|base64/),
    post('index: publicKey x509 CSR', I, { publicKey: { format: 'x509', content: b64(CSR_PEM) } }, /publicKey|key/),
    post('index: publicKey url', I, { publicKey: { format: 'x509', url: 'http://169.254.169.254/' } }, /url/),
    post('index: publicKey x509 without content', I, { publicKey: { format: 'x509' } }, /content|publicKey/),
    post('index: operator xor', I, { operator: 'xor', hash: 'sha256:' + 'a'.repeat(64) }, 'operator'),
    post('index: subject object', I, { subject: { a: 1 } }, 'subject'),
  ];
}

function tileProbes(prefixes: readonly string[]): Probe[] {
  const rows: [string, string, number | number[]][] = [
    ['traversal', '/tile/../../etc/passwd', [400, 404]],
    ['encoded traversal', '/tile/%2e%2e/%2e%2e/etc/passwd', [400, 404]],
    ['encoded slash traversal', '/tile/..%2f..%2fetc%2fpasswd', [400, 404]],
    ['no index', '/tile/0', 400],
    ['empty', '/tile/', [400, 404]],
    ['level 64', '/tile/64/000', 400],
    ['level -1', '/tile/-1/000', 400],
    ['level abc', '/tile/abc/000', 400],
    ['index not 3 digits', '/tile/0/1', 400],
    ['index x group last', '/tile/0/x001', 400],
    ['overlong index', `/tile/0/${'x999/'.repeat(40)}999`, [400, 414]],
    ['index beyond 2^64', `/tile/0/x999/x999/x999/x999/x999/x999/x999/999`, 400],
    ['index 2^63 (past any tree, past PostgreSQL bigint)', '/tile/0/x009/x223/x372/x036/x854/x775/808', [400, 404]],
    ['entries index 2^64-1', '/tile/entries/x018/x446/x744/x073/x709/x551/615', [400, 404]],
    ['width .p/0', '/tile/0/000.p/0', 400],
    ['width .p/256', '/tile/0/000.p/256', 400],
    ['width .p/abc', '/tile/0/000.p/abc', 400],
    ['width .p/', '/tile/0/000.p/', 400],
    ['width .p/-1', '/tile/0/000.p/-1', 400],
    ['tile the tree lacks', '/tile/0/x001/000', 404],
    ['partial tile wider than the tree', '/tile/0/000.p/255', 404],
    ['entries tile the tree lacks', '/tile/entries/x001/000', 404],
    ['level tile the tree lacks', '/tile/5/000.p/1', 404],
    ['NUL byte', '/tile/0/000%00', 400],
    ['invalid percent-encoding', '/tile/0/%zz', [400, 404]],
  ];
  return prefixes.flatMap((prefix) => [
    ...rows.map(([name, path, status]): Probe => ({ name: `${prefix || '/'} tile: ${name}`, path: prefix + path, status })),
    { name: `${prefix || '/'} checkpoint: POST`, method: 'POST', path: `${prefix}/checkpoint`, json: {}, status: [404, 405] },
  ]);
}

function ctProbes(m: Material): Probe[] {
  const certDer = derOf(m.certPem);
  const chainB64 = (pems: string[]) => pems.map((p) => b64(derOf(p)));
  const rows: Probe[] = [];
  for (const op of ['add-chain', 'add-pre-chain']) {
    const P = `/ct/v1/${op}`;
    const add = (name: string, json: unknown, says?: string | RegExp, status: number | number[] = 400): Probe => ({ name: `${op}: ${name}`, path: P, json, status, ...(says ? { says } : {}) });
    rows.push(
      ...jsonBodyProbes(P, 128 * 1024, '131072'),
      add('{}', {}, 'chain'),
      add('chain a string', { chain: 'abc' }, 'chain'),
      add('chain empty', { chain: [] }, 'chain'),
      add('chain of numbers', { chain: [1, 2] }, /chain|base64|certificate/),
      add('chain of nulls', { chain: [null] }, /chain/),
      add('9 certificates', { chain: Array(9).fill(b64(certDer)) }, 'chain'),
      add('not base64', { chain: ['!!!'] }, /base64|chain|certificate/),
      add('empty string', { chain: [''] }, /chain|certificate|empty/),
      add('base64 of junk', { chain: [b64('junk')] }, /certificate|chain/),
      add('PEM instead of base64 DER', { chain: [m.certPem] }, /base64|certificate|chain/),
      add('truncated certificate', { chain: [b64(certDer.subarray(0, certDer.length - 40)), ...chainB64(m.chainPems)] }, /certificate|chain/),
      add('garbled certificate', { chain: [b64(garbled(certDer)), ...chainB64(m.chainPems)] }, /certificate|chain|signature/),
      add('CSR instead of certificate', { chain: [b64(derOf(CSR_PEM)), ...chainB64(m.chainPems)] }, /certificate|chain/),
      add('self-signed stranger', { chain: [b64(derOf(m.strangerCertPem))] }, /root|chain|issuer|accepted/),
      // (Extra or misordered certificates after a valid leaf are a pool for path building, as in
      // RFC 6962 logs generally: the log stores the path it validated, so they are not refused.)
      add('stranger followed by the CA chain', { chain: [b64(derOf(m.strangerCertPem)), ...chainB64(m.chainPems)] }, /root|chain|issuer|accepted/),
      add('extra fields', { chain: [b64('junk')], extra: { deeply: [1, 2, 3] } }, /certificate|chain/),
    );
  }
  const get = (name: string, path: string, says?: string | RegExp, status: number | number[] = 400): Probe => ({ name, path: `/ct/v1/${path}`, status, ...(says ? { says } : {}) });
  rows.push(
    // An end-entity certificate is not a precertificate (and the CA's leaf carries SCTs already).
    { name: 'add-pre-chain: a final certificate', path: '/ct/v1/add-pre-chain', json: { chain: [b64(certDer), ...chainB64(m.chainPems)] }, status: 400, says: /precertificate|poison/ },
    get('get-sth-consistency: missing', 'get-sth-consistency', /first|second/),
    get('get-sth-consistency: first=-1', 'get-sth-consistency?first=-1&second=1', 'first'),
    get('get-sth-consistency: 1e30', 'get-sth-consistency?first=1&second=1e30', 'second'),
    get('get-sth-consistency: 2^64', 'get-sth-consistency?first=1&second=18446744073709551616', 'second'),
    get('get-sth-consistency: first > second', 'get-sth-consistency?first=3&second=2', /first|second/),
    get('get-sth-consistency: second beyond the tree', 'get-sth-consistency?first=1&second=999999', /tree|size|second/),
    get('get-sth-consistency: abc', 'get-sth-consistency?first=abc&second=1', 'first'),
    get('get-sth-consistency: leading zeros', 'get-sth-consistency?first=01&second=2', 'first'),
    get('get-proof-by-hash: missing', 'get-proof-by-hash', /hash|tree_size/),
    get('get-proof-by-hash: hash not base64', 'get-proof-by-hash?hash=%25%25%25&tree_size=1', 'hash'),
    get('get-proof-by-hash: hash too short', `get-proof-by-hash?hash=${encodeURIComponent(b64('short'))}&tree_size=1`, 'hash'),
    get('get-proof-by-hash: hash too long', `get-proof-by-hash?hash=${'A'.repeat(100)}&tree_size=1`, 'hash'),
    get('get-proof-by-hash: tree_size=0', `get-proof-by-hash?hash=${encodeURIComponent(b64(Buffer.alloc(32)))}&tree_size=0`, /tree_size|tree|size|hash/, [400, 404]),
    get('get-proof-by-hash: tree_size beyond', `get-proof-by-hash?hash=${encodeURIComponent(b64(Buffer.alloc(32)))}&tree_size=999999`, /tree|size|leaf hash/, [400, 404]),
    get('get-proof-by-hash: unknown hash', `get-proof-by-hash?hash=${encodeURIComponent(b64(Buffer.alloc(32)))}&tree_size=1`, /hash|found|leaf/, [400, 404]),
    get('get-entries: missing', 'get-entries', /start|end/),
    get('get-entries: start > end', 'get-entries?start=5&end=2', /start|end/),
    get('get-entries: start=-1', 'get-entries?start=-1&end=2', 'start'),
    get('get-entries: start beyond the tree', 'get-entries?start=999999&end=1000000', /start|tree|size|range/),
    get('get-entries: end=1e30', 'get-entries?start=0&end=1e30', 'end'),
    get('get-entry-and-proof: missing', 'get-entry-and-proof', /leaf_index|tree_size/),
    get('get-entry-and-proof: leaf_index >= tree_size', 'get-entry-and-proof?leaf_index=1&tree_size=1', /leaf_index|tree_size|index/),
    get('get-entry-and-proof: tree_size beyond', 'get-entry-and-proof?leaf_index=0&tree_size=999999', /tree|size/),
    get('get-entry-and-proof: leaf_index=abc', 'get-entry-and-proof?leaf_index=abc&tree_size=1', 'leaf_index'),
    { name: 'get-sth: POST', method: 'POST', path: '/ct/v1/get-sth', json: {}, status: [404, 405] },
    { name: 'add-chain: GET', path: '/ct/v1/add-chain', status: [404, 405] },
    { name: 'unknown CT method', path: '/ct/v1/get-everything', status: 404 },
    // static-ct-api paths sit beside ct/v1 under the log's prefix; URLs the router cannot decode are
    // refused before routing, in the host service's (Rekor's) error shape.
    ...tileProbes(['']).filter((p) => !p.name.includes('entries tile')).map((p) => ({ ...p, name: `ct${p.name}`, ...(p.path.includes('%zz') ? { shape: 'rekor' as const } : {}) })),
    { name: 'ct tile: data tile the tree lacks', path: '/tile/data/x001/000', status: 404 },
    { name: 'ct tile: data with bad width', path: '/tile/data/000.p/0', status: 400 },
    { name: 'issuer: not hex', path: '/issuer/zz', status: [400, 404] },
    { name: 'issuer: unknown fingerprint', path: `/issuer/${'a'.repeat(64)}`, status: 404 },
    { name: 'issuer: traversal', path: '/issuer/..%2f..%2fetc%2fpasswd', status: [400, 404] },
    { name: 'issuer: 10 KB', path: `/issuer/${'a'.repeat(10_000)}`, status: [400, 404, 414], shape: 'rekor' },
  );
  return rows;
}

function caProbes(m: Material): Probe[] {
  const V2 = '/api/v2/signingCert';
  const V1 = '/api/v1/signingCert';
  const pop = b64(m.key.sign(Buffer.from(EMAIL)));
  const keyReq = (over: Record<string, unknown> = {}) => ({ publicKey: { algorithm: 'ECDSA', content: m.key.publicKeyPem }, proofOfPossession: pop, ...over });
  // token null: the body carries no credentials member (the probe's own, if any, is sent as is).
  const v2 = (name: string, json: unknown, says?: string | RegExp, token: string | null = m.token, status: number | number[] = 400): Probe => ({
    name: `v2: ${name}`,
    path: V2,
    json: token === null || typeof json !== 'object' || json === null || Array.isArray(json) ? json : { credentials: { oidcIdentityToken: token }, ...json },
    status,
    ...(says ? { says } : {}),
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const v1 = (name: string, json: unknown, says?: string | RegExp, headers: Record<string, string> = bearer(m.token)): Probe => ({ name: `v1: ${name}`, path: V1, json, headers, status: 400, ...(says ? { says } : {}) });
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const rsaPem = rsa1024.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return [
    ...jsonBodyProbes(V2, 4 * MiB, '4 MiB'),
    v2('{} (no key)', {}, /key/),
    v2('no token at all', { publicKeyRequest: keyReq() }, /token/, null),
    v2('garbage token', { publicKeyRequest: keyReq() }, /token/, 'garbage'),
    v2('three-part garbage token', { publicKeyRequest: keyReq() }, /token/, 'a.b.c'),
    v2('expired token', { publicKeyRequest: keyReq() }, /expired|exp/, m.expiredToken),
    v2('token not yet valid', { publicKeyRequest: keyReq() }, /not valid before/, m.futureToken),
    v2('token for another audience', { publicKeyRequest: keyReq() }, /aud/, m.otherAudienceToken),
    v2('unverified email', { publicKeyRequest: keyReq() }, /verified/, m.unverifiedToken),
    v2('token signed by a stranger', { publicKeyRequest: keyReq() }, /token|signature|key/, m.foreignToken),
    v2('alg none token', { publicKeyRequest: keyReq() }, /token|alg/, m.noneToken),
    v2('token a number', { publicKeyRequest: keyReq(), credentials: { oidcIdentityToken: 5 } }, /token/, null),
    v2('credentials an array', { publicKeyRequest: keyReq(), credentials: [] }, /credentials/, null),
    v2('publicKeyRequest an array', { publicKeyRequest: [] }, 'publicKeyRequest'),
    v2('publicKeyRequest null', { publicKeyRequest: null }, 'publicKeyRequest'),
    v2('publicKey missing', { publicKeyRequest: { proofOfPossession: pop } }, 'publicKey'),
    v2('publicKey content missing', { publicKeyRequest: keyReq({ publicKey: {} }) }, 'content'),
    v2('publicKey content empty', { publicKeyRequest: keyReq({ publicKey: { content: '' } }) }, 'content'),
    v2('publicKey content a number', { publicKeyRequest: keyReq({ publicKey: { content: 12 } }) }, /content|key/),
    v2('publicKey junk', { publicKeyRequest: keyReq({ publicKey: { content: 'junk' } }) }, /key/),
    v2('publicKey PEM with garbage', { publicKeyRequest: keyReq({ publicKey: { content: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' } }) }, /key/),
    v2('publicKey is a certificate', { publicKeyRequest: keyReq({ publicKey: { content: m.certPem } }) }, /key/),
    v2('publicKey is a CSR', { publicKeyRequest: keyReq({ publicKey: { content: CSR_PEM } }) }, /key/),
    v2('publicKey RSA 1024', { publicKeyRequest: keyReq({ publicKey: { content: rsaPem } }) }, /key|RSA|bits|weak/),
    v2('publicKey algorithm object', { publicKeyRequest: keyReq({ publicKey: { content: m.key.publicKeyPem, algorithm: {} } }) }, /algorithm/),
    v2('proof missing', { publicKeyRequest: { publicKey: { content: m.key.publicKeyPem } } }, 'proofOfPossession'),
    v2('proof not base64', { publicKeyRequest: keyReq({ proofOfPossession: '%%%' }) }, 'proofOfPossession'),
    v2('proof of another message', { publicKeyRequest: keyReq({ proofOfPossession: b64(m.key.sign(Buffer.from('bob@example.com'))) }) }, /proof|possession|signature/),
    v2('proof garbage bytes', { publicKeyRequest: keyReq({ proofOfPossession: b64(Buffer.alloc(64, 1)) }) }, /proof|possession|signature/),
    v2('key and CSR both', { publicKeyRequest: keyReq(), certificateSigningRequest: b64(CSR_PEM) }, 'not both'),
    v2('CSR not base64', { certificateSigningRequest: '%%%' }, 'certificateSigningRequest'),
    v2('CSR base64 of junk', { certificateSigningRequest: b64('junk') }, /CSR|request/i),
    v2('CSR is a certificate', { certificateSigningRequest: b64(m.certPem) }, /CSR|request/i),
    v2('CSR truncated', { certificateSigningRequest: b64(pem('CERTIFICATE REQUEST', derOf(CSR_PEM).subarray(0, 60))) }, /CSR|request/i),
    v2('CSR garbled', { certificateSigningRequest: b64(pem('CERTIFICATE REQUEST', garbled(derOf(CSR_PEM)))) }, /CSR|request|signature/i),
    v2('CSR empty', { certificateSigningRequest: '' }, 'certificateSigningRequest'),
    v2('snake_case junk', { public_key_request: { public_key: { content: 'junk' }, proof_of_possession: pop } }, /key/),
    { name: 'v2: Authorization Basic', path: V2, json: { publicKeyRequest: keyReq() }, headers: { authorization: 'Basic YTpi' }, status: 400, says: 'Bearer' },
    { name: 'v2: Bearer with nothing', path: V2, json: { publicKeyRequest: keyReq() }, headers: { authorization: 'Bearer ' }, status: 400, says: 'Bearer' },
    ...jsonBodyProbes(V1, 4 * MiB, '4 MiB').filter((p) => !['PUT', 'DELETE'].some((m) => p.name.endsWith(m))),
    v1('{} (no key)', {}, /key/),
    v1('no Authorization', { publicKey: { content: b64(m.key.publicKeyPem) }, signedEmailAddress: pop }, /token|Bearer/, {}),
    v1('expired token', { publicKey: { content: b64(m.key.publicKeyPem) }, signedEmailAddress: pop }, /expired|exp/, bearer(m.expiredToken)),
    v1('token for another audience', { publicKey: { content: b64(m.key.publicKeyPem) }, signedEmailAddress: pop }, /aud/, bearer(m.otherAudienceToken)),
    v1('token in the body only', { publicKey: { content: b64(m.key.publicKeyPem) }, signedEmailAddress: pop, credentials: { oidcIdentityToken: m.token } }, /Bearer/, {}),
    v1('signedEmailAddress missing', { publicKey: { content: b64(m.key.publicKeyPem) } }, 'signedEmailAddress'),
    v1('publicKey content not base64', { publicKey: { content: '%%%' }, signedEmailAddress: pop }, 'publicKey.content'),
    v1('publicKey content junk', { publicKey: { content: b64('junk') }, signedEmailAddress: pop }, /key/),
    v1('publicKey an array', { publicKey: [], signedEmailAddress: pop }, 'publicKey'),
    v1('signedEmailAddress wrong', { publicKey: { content: b64(m.key.publicKeyPem) }, signedEmailAddress: b64(m.key.sign(Buffer.from('x'))) }, /proof|possession|signature/),
    v1('CSR junk', { certificateSigningRequest: b64('junk') }, /CSR|request/i),
    { name: 'trustBundle: POST', method: 'POST', path: '/api/v2/trustBundle', json: {}, status: [404, 405] },
    { name: 'configuration: DELETE', method: 'DELETE', path: '/api/v2/configuration', status: [404, 405] },
    { name: 'rootCert: PUT', method: 'PUT', path: '/api/v1/rootCert', json: {}, status: [404, 405] },
    { name: 'signingCert: GET', path: V2, status: [404, 405] },
    { name: 'unknown path', path: '/api/v3/signingCert', status: 404, says: 'no such endpoint' },
    { name: 'traversal', path: '/api/v2/../../etc/passwd', status: 404 },
    { name: 'encoded traversal', path: '/%2e%2e/%2e%2e/etc/passwd', status: 404 },
    { name: 'invalid percent-encoding', path: '/api/v2/%zz', status: [400, 404] },
  ];
}

function oidcProbes(): Probe[] {
  const T = '/token';
  const post = (name: string, json: unknown, says?: string | RegExp): Probe => ({ name: `token: ${name}`, path: T, json, status: 400, ...(says ? { says } : {}) });
  return [
    ...jsonBodyProbes(T, 64 * 1024, /large|limit|65536|too/).filter((p) => !p.name.endsWith('PUT') && !p.name.endsWith('DELETE')),
    post('{}', {}, /email|sub/),
    post('email a number', { email: 5 }, 'email'),
    post('email not an address', { email: 'nope' }, 'email'),
    post('email empty', { email: '' }, 'email'),
    post('sub empty', { sub: '' }, 'sub'),
    post('sub an object', { sub: {} }, 'sub'),
    post('aud a number', { email: EMAIL, aud: 7 }, 'aud'),
    post('aud array of numbers', { email: EMAIL, aud: [1] }, 'aud'),
    post('iss set', { email: EMAIL, iss: 'https://evil.example' }, 'iss'),
    post('exp a string', { email: EMAIL, exp: 'soon' }, 'exp'),
    post('exp 2^64 string', { email: EMAIL, exp: '18446744073709551616' }, 'exp'),
    post('iat null', { email: EMAIL, iat: null }, 'iat'),
    { name: 'token: GET', path: T, status: [404, 405] },
    { name: 'jwks: POST', method: 'POST', path: '/jwks', json: {}, status: [404, 405] },
    { name: 'discovery: DELETE', method: 'DELETE', path: '/.well-known/openid-configuration', status: [404, 405] },
    { name: 'unknown path', path: '/authorize', status: 404 },
    { name: 'traversal', path: '/../../etc/passwd', status: 404 },
    { name: 'invalid percent-encoding', path: '/%zz', status: [400, 404] },
  ];
}

function tufProbes(): Probe[] {
  const row = (name: string, path: string, status: number | number[], method?: string): Probe => ({ name, path, status, ...(method ? { method } : {}) });
  return [
    row('missing file', '/nope.json', 404),
    row('missing target', '/targets/nope', 404),
    row('future root version', '/99999.root.json', 404),
    row('traversal', '/../../../../etc/passwd', 404),
    row('encoded traversal', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 404),
    row('encoded slash traversal', '/targets/..%2f..%2f..%2fetc%2fpasswd', 404),
    row('double-encoded traversal', '/%252e%252e/etc/passwd', 404),
    row('a directory', '/targets', 404),
    row('a directory with slash', '/targets/', 404),
    row('NUL byte', '/root.json%00', [400, 404]),
    row('invalid percent-encoding', '/%zz', 400),
    row('lone percent', '/%', 400),
    row('temporary file', '/.tmp-x', 404),
    row('overlong path', `/${'a'.repeat(8000)}`, [404, 414, 431]),
    row('POST', '/root.json', 405, 'POST'),
    row('PUT', '/root.json', 405, 'PUT'),
    row('DELETE', '/root.json', 405, 'DELETE'),
  ];
}

// ---------------------------------------------------------------------------------------------

/** Runs `probes` against `base` as subtests of `t`. */
async function runTable(t: { test: (name: string, fn: () => Promise<void>) => Promise<void> }, base: string, shape: ErrorShape, probes: Probe[]): Promise<void> {
  for (const p of probes) await t.test(p.name, async () => void (await expectRejected(base, shape, p)));
}

for (const db of databaseVariants()) {
  describe(`bad input on every route, stack on ${db.name}`, () => {
    let stack: TestStack;
    let m: Material;
    /** Every Rekor entry acknowledged (201) during the run: entryID → the acknowledged LogEntry body. */
    const acknowledged = new Map<string, { body: string; logIndex: number }>();
    const teardown: (() => Promise<void>)[] = [];
    after(async () => {
      for (const fn of teardown) await fn();
    });
    before(async () => {
      stack = await startTestStack({ after: (fn) => teardown.push(fn) }, db.url);
      m = await makeMaterial(stack);
    });

    /** Logs a valid entry (a text to sign, or a proposed entry) and records its acknowledgement. */
    async function logGood(what: string | Record<string, unknown>): Promise<string> {
      const artifact = Buffer.from(typeof what === 'string' ? what : '');
      const proposed = typeof what === 'string' ? hashedrekord(artifact, m.key.sign(artifact), m.certPem) : what;
      const res = await ok(stack.info.tlogUrl, '/api/v1/log/entries', proposed);
      const [[id, anon]] = Object.entries(res.body as Record<string, { body: string; logIndex: number }>) as [[string, { body: string; logIndex: number }]];
      acknowledged.set(id, { body: anon.body, logIndex: anon.logIndex });
      return id;
    }

    test('tlog: POST /api/v1/log/entries', async (t) => {
      await logGood('the first acknowledged entry');
      await runTable(t, stack.info.tlogUrl, 'rekor', rekorEntryProbes(m));
      const artifact = Buffer.from('the second acknowledged entry');
      const proposed = hashedrekord(artifact, m.key.sign(artifact), m.certPem);
      const id = await logGood(proposed);
      await t.test('entries: duplicate', async () => {
        const a = await expectRejected(stack.info.tlogUrl, 'rekor', {
          name: 'duplicate',
          path: '/api/v1/log/entries',
          json: proposed,
          status: 409,
          says: 'an equivalent entry already exists',
        });
        assert.equal(a.headers['location'], `/api/v1/log/entries/${id}`);
      });
    });

    test('tlog: reads, proofs, keys, unknown routes', async (t) => runTable(t, stack.info.tlogUrl, 'rekor', rekorReadProbes()));
    test('tlog: entry retrieval and index search', async (t) => runTable(t, stack.info.tlogUrl, 'rekor', rekorSearchProbes()));
    test('tlog: tiles and checkpoint', async (t) => runTable(t, stack.info.tlogUrl, 'rekor', tileProbes(['', '/api/v2'])));
    test('tlog: CT log (RFC 6962 and static-ct-api)', async (t) => runTable(t, stack.info.ctlogUrl, 'ct', ctProbes(m)));
    test('CA: Fulcio v1/v2, trust bundle, configuration', async (t) => runTable(t, stack.info.caUrl, 'fulcio', caProbes(m)));
    test('development OIDC issuer', async (t) => runTable(t, stack.info.oidcIssuerUrl, 'oauth', oidcProbes()));
    test('TUF mirror', async (t) => runTable(t, stack.info.tufUrl, 'text', tufProbes()));

    test('bad and good requests interleaved: every good one is acknowledged, every bad one refused', async () => {
      const bad = rekorEntryProbes(m).filter((p) => p.status === 400 && p.json !== undefined).slice(0, 30);
      const results = await Promise.all([
        ...bad.map((p) => expectRejected(stack.info.tlogUrl, 'rekor', p).then(() => 'bad')),
        ...Array.from({ length: 8 }, (_, i) => logGood(`concurrent good entry ${i}`).then(() => 'good')),
      ]);
      assert.equal(results.filter((r) => r === 'good').length, 8);
    });

    test('afterwards: every service is healthy, every acknowledged entry reads back, sign-and-log works', async () => {
      for (const base of [stack.info.tlogUrl, stack.info.caUrl]) {
        const a = await send(base, { path: '/healthz' });
        assert.equal(a.status, 200, `${base}/healthz: ${a.status} ${a.text}`);
      }
      assert.equal((await send(stack.info.tlogUrl, { path: '/readyz' })).status, 200);
      assert.equal((await send(stack.info.oidcIssuerUrl, { path: '/.well-known/openid-configuration' })).status, 200);
      assert.equal((await send(stack.info.tufUrl, { path: '/1.root.json' })).status, 200);
      // The CT log: every certificate it acknowledged (the CA's issuances) reads back in order.
      const sth = await send(stack.info.ctlogUrl, { path: '/ct/v1/get-sth' });
      assert.equal(sth.status, 200);
      const ctSize = (JSON.parse(sth.text) as { tree_size: number }).tree_size;
      assert.ok(ctSize >= 1, 'the CA logged its certificates');
      const ctEntries = await send(stack.info.ctlogUrl, { path: `/ct/v1/get-entries?start=0&end=${ctSize - 1}` });
      assert.equal(ctEntries.status, 200, ctEntries.text);
      assert.equal((JSON.parse(ctEntries.text) as { entries: unknown[] }).entries.length, ctSize);

      assert.ok(acknowledged.size >= 10, `only ${acknowledged.size} acknowledged entries`);
      for (const [id, want] of acknowledged) {
        const byId = await send(stack.info.tlogUrl, { path: `/api/v1/log/entries/${id}` });
        assert.equal(byId.status, 200, `entry ${id}: ${byId.status}`);
        assert.equal((JSON.parse(byId.text) as Record<string, { body: string }>)[id]?.body, want.body);
        const byIndex = await send(stack.info.tlogUrl, { path: `/api/v1/log/entries?logIndex=${want.logIndex}` });
        assert.equal(byIndex.status, 200);
        assert.ok(id in (JSON.parse(byIndex.text) as object), `logIndex ${want.logIndex} is not ${id}`);
      }

      const bundle = await sigstore.sign(Buffer.from('signed after the storm'), {
        fulcioURL: stack.info.caUrl,
        rekorURL: stack.info.tlogUrl,
        identityProvider: { getToken: () => stack.token(EMAIL) },
      });
      const entry = bundle.verificationMaterial.tlogEntries[0]!;
      const info = JSON.parse((await send(stack.info.tlogUrl, { path: '/api/v1/log' })).text) as { treeSize: number };
      // Nothing refused took a place in the log: the indexes are exactly the acknowledged ones.
      assert.deepEqual([...acknowledged.values()].map((a) => a.logIndex).sort((a, b) => a - b), [...Array(acknowledged.size).keys()]);
      assert.equal(Number(entry.logIndex), acknowledged.size);
      assert.equal(info.treeSize, acknowledged.size + 1);
    });
  });
}
