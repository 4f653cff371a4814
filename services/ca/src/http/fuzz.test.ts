// Seeded mutation fuzzing of the CA routes (app.inject): signingCert bodies (v2 and v1, key and CSR
// forms) mutated at every layer, identity tokens malformed or carrying mutated claims and headers
// under a valid signature of a configured issuer, CSRs mutated and signed again by their key, and
// junk on the read routes. Every answer must be a 2xx or a 4xx whose Fulcio body names the problem —
// never a 5xx, never a crash — and the CA must keep issuing afterwards. Mutation choices come from a
// fixed seed and client keys are fixed; only the issuers' keys and ports are fresh per run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { pemDecode, pemEncode } from '@signet/pki';
import { createFuzzer, fixedEd25519Key, fixedNonceP256Sign, fixedP256Key, mutateJson, mutateJsonText, mutateSigned, mutateString, mutateText, percentEncode, rsaTestKey, type FuzzRequest as Request, type Rng } from '@signet/pki/testonly';
import type { DevSigningKey, TestOidc } from '@signet/oidc-dev/testonly';
import { type Harness, opensslCsr, startHarness } from './testonly/harness.js';

const SEED = 0xca5eed;

/** A client key: private key, SPKI PEM and its proof-of-possession signer (deterministic for all three). */
interface ClientKey {
  privateKey: KeyObject;
  pem: string;
  pop(challenge: string): string;
}

function clientKeys(): ClientKey[] {
  const pemOf = (k: KeyObject) => createPublicKey(k).export({ format: 'pem', type: 'spki' }) as string;
  const ed = fixedEd25519Key(0x44);
  const rsa = rsaTestKey(2048);
  const p256 = fixedP256Key();
  return [
    { privateKey: ed, pem: pemOf(ed), pop: (c) => sign(null, Buffer.from(c), ed).toString('base64') },
    { privateKey: rsa, pem: pemOf(rsa), pop: (c) => sign('sha256', Buffer.from(c), rsa).toString('base64') },
    {
      privateKey: p256.privateKey,
      pem: pemOf(p256.privateKey),
      pop: (c) => Buffer.from(fixedNonceP256Sign(p256.d, createHash('sha256').update(c).digest())).toString('base64'),
    },
  ];
}

/** A compact JWS of any header and payload JSON, signed with the issuer's key (valid signature, hostile content). */
function signToken(header: unknown, payload: unknown, key: DevSigningKey): string {
  const input = `${Buffer.from(JSON.stringify(header) ?? 'null').toString('base64url')}.${Buffer.from(JSON.stringify(payload) ?? 'null').toString('base64url')}`;
  const sig =
    key.alg === 'ES256' || key.alg === 'ES384'
      ? sign(key.alg === 'ES256' ? 'sha256' : 'sha384', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(key.alg === 'EdDSA' ? null : 'sha256', Buffer.from(input), key.alg === 'PS256' ? { key: key.privateKey, padding: 6 } : key.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** Tokens wrong in form: segment counts, alphabets, non-object JSON parts, `alg: none`, size. */
const MALFORMED_TOKENS = [
  '',
  'a',
  'a.b',
  'a.b.c.d',
  '..',
  `${b64url('{"alg":"none"}')}.${b64url('{"sub":"x"}')}.`,
  `${b64url('[]')}.${b64url('{}')}.AAAA`,
  `${b64url('null')}.${b64url('{}')}.AAAA`,
  `${b64url('"x"')}.${b64url('{}')}.AAAA`,
  `${b64url('{"alg":"ES256"}')}.${b64url('[1]')}.AAAA`,
  `${b64url('{"alg":"ES256"}')}.${b64url('not json')}.AAAA`,
  `${b64url('{"alg":"HS256"}')}.${b64url('{"iss":"x"}')}.AAAA`,
  'eyJhbGciOiJFUzI1NiJ9+/.e30=.AA==',
  `${'A'.repeat(70_000)}.e30.AAAA`,
  '\u0000.\u0000.\u0000',
];

describe('CA routes under fuzzing', () => {
  let h: Harness;
  let keys: ClientKey[];
  let csrs: { der: Uint8Array; key: KeyObject }[];
  const tokens: { email: string; k8s: string } = { email: '', k8s: '' };
  const ISS = '__ISSUER__';

  before(async () => {
    h = await startHarness();
    keys = clientKeys();
    csrs = [keys[0]!, keys[1]!].map((k) => ({ der: pemDecode(opensslCsr(k.privateKey), 'CERTIFICATE REQUEST'), key: k.privateKey }));
    tokens.email = await h.emailIdp.mint({ email: 'fuzz@example.com' });
    tokens.k8s = await h.k8sIdp.mint({ sub: 'system:serviceaccount:build:signer', 'kubernetes.io': { namespace: 'build', serviceaccount: { name: 'signer' } } });
  });
  after(async () => {
    await h?.close();
  });

  const fuzz = createFuzzer({ seed: SEED, send: (r) => h.app.inject(r), messageOf: 'message' });

  const post = (url: string, body: unknown, headers: Record<string, string> = {}): Request => ({
    method: 'POST',
    url,
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) ?? 'null',
    headers: { 'content-type': 'application/json', ...headers },
  });

  /** `body` as damaged JSON text (truncated, invalid UTF-8, deeply nested…) or under another content type. */
  const damaged = (rng: Rng, url: string, body: object, headers: Record<string, string> = {}): Request =>
    rng.chance(0.75)
      ? post(url, mutateJsonText(JSON.stringify(body), rng), headers)
      : post(url, body, { ...headers, 'content-type': rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'application/json; charset=utf-16', '']) });

  /** A valid v2 body with `token` proving `key` over `challenge`: key form, or CSR form. */
  const v2Body = (rng: Rng, token: string, challenge: string): object => {
    const key = rng.pick(keys);
    if (rng.chance(0.75)) {
      return { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: key.pem }, proofOfPossession: key.pop(challenge) } };
    }
    return { credentials: { oidcIdentityToken: token }, certificateSigningRequest: Buffer.from(pemEncode('CERTIFICATE REQUEST', rng.pick(csrs).der)).toString('base64') };
  };

  it('POST /api/v2/signingCert: mutated bodies with a valid token', () =>
    fuzz('v2-body', 500, (rng) => {
      const email = rng.chance(0.6);
      const body = v2Body(rng, email ? tokens.email : tokens.k8s, email ? 'fuzz@example.com' : 'system:serviceaccount:build:signer');
      if (rng.chance(0.15)) return damaged(rng, '/api/v2/signingCert', body);
      let mutated = mutateJson(body, rng);
      if (rng.chance(0.3)) mutated = mutateJson(mutated, rng);
      return post('/api/v2/signingCert', mutated);
    }));

  it('POST /api/v2/signingCert: CSRs mutated and signed again by their key', () =>
    fuzz('v2-csr', 200, async (rng) => {
      const csr = rng.pick(csrs);
      const der = await mutateSigned(csr.der, rng, async (tbs) => sign(csr.key.asymmetricKeyType === 'ed25519' ? null : 'sha256', tbs, csr.key));
      const text = rng.chance(0.7) ? pemEncode('CERTIFICATE REQUEST', der) : '';
      const field = text === '' ? Buffer.from(der).toString('base64') : Buffer.from(text).toString('base64');
      return post('/api/v2/signingCert', { credentials: { oidcIdentityToken: tokens.email }, certificateSigningRequest: field });
    }));

  it('POST /api/v2/signingCert: hostile identity tokens, validly signed or malformed, in the body or the Authorization header', () =>
    fuzz('v2-token', 400, (rng) => {
      const k8s = rng.chance(0.4);
      const idp: TestOidc = k8s ? h.k8sIdp : h.emailIdp;
      const signing = idp.keys[idp.keys.length - 1]!;
      const now = Math.floor(Date.now() / 1000);
      let header: unknown = { alg: signing.alg, kid: '__KID__', typ: 'JWT' };
      let claims: unknown = k8s
        ? { iss: ISS, sub: 'system:serviceaccount:build:signer', aud: 'sigstore', iat: now, exp: now + 600, 'kubernetes.io': { namespace: 'build', serviceaccount: { name: 'signer', uid: 'u' } } }
        : { iss: ISS, sub: 'fuzz@example.com', aud: 'sigstore', iat: now, exp: now + 600, email: 'fuzz@example.com', email_verified: true };
      const r = rng.next();
      if (r < 0.5) claims = mutateJson(claims, rng);
      else if (r < 0.65) header = mutateJson(header, rng);
      // Placeholders are filled after mutating, so that the mutation choices do not depend on the port or key ID.
      const fill = (v: unknown) => JSON.parse(JSON.stringify(v ?? null).replaceAll(ISS, idp.url).replaceAll('__KID__', signing.kid)) as unknown;
      let token = signToken(fill(header), fill(claims), signing);
      if (r >= 0.65 && r < 0.85) token = mutateText(token, rng);
      else if (r >= 0.85) token = rng.pick(MALFORMED_TOKENS);
      const c = claims as Record<string, unknown> | null;
      const challenge = typeof c?.['email'] === 'string' ? (c['email'] as string) : typeof c?.['sub'] === 'string' ? (c['sub'] as string) : '';
      const key = rng.pick(keys);
      const keyRequest = { publicKey: { content: key.pem }, proofOfPossession: key.pop(challenge.replaceAll(ISS, idp.url)) };
      if (rng.chance(0.7)) return post('/api/v2/signingCert', { credentials: { oidcIdentityToken: token }, publicKeyRequest: keyRequest });
      const authorization = rng.pick([`Bearer ${token}`, `bearer  ${token} `, `Bearer`, `Basic ${token}`, `Bearer ${token} extra`, token, `Bearer ${percentEncode(token)}`]);
      return post('/api/v2/signingCert', { publicKeyRequest: keyRequest }, { authorization });
    }));

  it('POST /api/v1/signingCert: mutated bodies and Authorization headers', () =>
    fuzz('v1', 300, (rng) => {
      const key = rng.pick(keys);
      const body = rng.chance(0.7)
        ? { publicKey: { content: Buffer.from(key.pem).toString('base64'), algorithm: 'ecdsa' }, signedEmailAddress: key.pop('fuzz@example.com') }
        : { certificateSigningRequest: Buffer.from(pemEncode('CERTIFICATE REQUEST', rng.pick(csrs).der)).toString('base64') };
      const authorization = rng.chance(0.85) ? `Bearer ${tokens.email}` : mutateString(`Bearer ${tokens.email}`, rng);
      if (rng.chance(0.15)) return damaged(rng, '/api/v1/signingCert', body, { authorization: `Bearer ${tokens.email}` });
      return post('/api/v1/signingCert', rng.chance(0.85) ? mutateJson(body, rng) : body, { authorization: authorization.replace(/[^\t\x20-\x7e]/g, '?') });
    }));

  it('read routes and unknown paths', () =>
    fuzz('reads', 300, (rng): Request => {
      const path = rng.pick(['/api/v2/trustBundle', '/api/v2/configuration', '/api/v1/rootCert', '/healthz', '/readyz', '/metrics', '/api/v2/signingCert', '/api/v3/x', '//api//v2/trustBundle']);
      const query = rng.chance(0.3) ? `?${percentEncode(mutateText('a=1&b=2', rng))}` : '';
      const junk = rng.chance(0.2) ? `/${percentEncode(mutateText('x', rng))}` : '';
      return { method: rng.pick(['GET', 'GET', 'GET', 'POST', 'PUT'] as const), url: `${path}${junk}${query}`, headers: rng.chance(0.2) ? { 'content-type': 'application/json' } : {} };
    }));

  it('the CA still issues after the fuzzing', async () => {
    const key = keys[0]!;
    const res = await h.app.inject(post('/api/v2/signingCert', { credentials: { oidcIdentityToken: tokens.email }, publicKeyRequest: { publicKey: { content: key.pem }, proofOfPossession: key.pop('fuzz@example.com') } }));
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(JSON.parse(res.body).signedCertificateDetachedSct.chain.certificates.length > 0);
  });
});
