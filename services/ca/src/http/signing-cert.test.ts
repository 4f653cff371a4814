// End-to-end issuance through the HTTP layer (app.inject) with tokens from real development issuers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { SIGSTORE_OIDS, parseCertificate, pemDecode } from '@signet/pki';
import {
  type Harness,
  KEY_TYPES,
  opensslCsr,
  opensslVerify,
  popSign,
  publicPem,
  startHarness,
  v2KeyBody,
} from './testonly/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
}

function chainOf(res: { statusCode: number; body: string }): string[] {
  assert.equal(res.statusCode, 200, res.body);
  const json = JSON.parse(res.body);
  const chain = json.signedCertificateDetachedSct?.chain?.certificates ?? json.signedCertificateEmbeddedSct?.chain?.certificates;
  assert.ok(Array.isArray(chain), res.body);
  return chain;
}

describe('POST /api/v2/signingCert issues a verifiable Fulcio leaf', () => {
  it('email issuer: PoP over the email, detached mode without a CT log, chain verifies with openssl', async () => {
    const token = await h.emailIdp.mint({ email: 'alice@example.com' });
    const key = KEY_TYPES['ECDSA P-256']!();
    const res = await post('/api/v2/signingCert', v2KeyBody(token, key, 'alice@example.com'));
    const json = JSON.parse(res.body);
    assert.equal(json.signedCertificateDetachedSct.signedCertificateTimestamp, '');
    const chain = chainOf(res);
    assert.equal(chain.length, 3);
    for (const pem of chain) assert.ok(!pem.endsWith('\n'), 'Fulcio trims each PEM');
    assert.match(opensslVerify(chain), /leaf\.pem: OK/);
    const leaf = new X509Certificate(chain[0]!);
    assert.equal(leaf.subjectAltName, 'email:alice@example.com');
    assert.ok(!leaf.subject, 'empty subject');
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(new X509Certificate(chain[1]!)));
    const parsed = parseCertificate(pemDecode(chain[0]!, 'CERTIFICATE'));
    assert.equal(parsed.notAfter.getTime() - parsed.notBefore.getTime(), 600_000, 'validity is exactly 10 minutes');
    assert.deepEqual(parsed.extKeyUsage, ['1.3.6.1.5.5.7.3.3']);
    const issuerExt = parsed.extensions.find((e) => e.oid === SIGSTORE_OIDS.IssuerV2);
    assert.ok(issuerExt, 'Issuer V2 extension present');
    assert.ok(Buffer.from(issuerExt.value).toString('utf8').includes(h.emailIdp.url));
    assert.ok(Buffer.from(parsed.spki).equals(new X509Certificate(chain[0]!).publicKey.export({ format: 'der', type: 'spki' })));
  });

  it('kubernetes issuer: PoP over sub; SAN is the service-account URI', async () => {
    const sub = 'system:serviceaccount:build:signer';
    const token = await h.k8sIdp.mint({ sub, 'kubernetes.io': { namespace: 'build', serviceaccount: { name: 'signer' } } });
    const key = KEY_TYPES['ECDSA P-256']!();
    const chain = chainOf(await post('/api/v2/signingCert', v2KeyBody(token, key, sub)));
    assert.equal(new X509Certificate(chain[0]!).subjectAltName, 'URI:https://kubernetes.io/namespaces/build/serviceaccounts/signer');
    assert.match(opensslVerify(chain), /OK/);
  });

  for (const [name, gen] of Object.entries(KEY_TYPES)) {
    it(`accepts a ${name} key with its default PoP scheme`, async () => {
      const key = gen();
      const token = await h.emailIdp.mint({ email: 'keys@example.com' });
      const chain = chainOf(await post('/api/v2/signingCert', v2KeyBody(token, key, 'keys@example.com')));
      const leaf = new X509Certificate(chain[0]!);
      assert.equal(leaf.publicKey.asymmetricKeyType, key.asymmetricKeyType);
      assert.match(opensslVerify(chain), /OK/);
    });
  }

  for (const [name, digest] of [
    ['ECDSA P-256', 'sha256'],
    ['ECDSA P-384', 'sha384'],
    ['ECDSA P-521', 'sha512'],
    ['RSA 2048', 'sha256'],
    ['Ed25519', ''],
  ] as const) {
    it(`CSR path: ${name} CSR (self-signature is the proof; subject ignored)`, async () => {
      const key = KEY_TYPES[name]!();
      const token = await h.emailIdp.mint({ email: 'csr@example.com' });
      const csr = Buffer.from(opensslCsr(key, digest || undefined)).toString('base64');
      const chain = chainOf(await post('/api/v2/signingCert', { credentials: { oidcIdentityToken: token }, certificateSigningRequest: csr }));
      const leaf = new X509Certificate(chain[0]!);
      assert.ok(!leaf.subject, 'empty subject');
      assert.equal(leaf.subjectAltName, 'email:csr@example.com');
      assert.match(opensslVerify(chain), /OK/);
    });
  }

  it('takes the token from Authorization: Bearer, accepts //api/v2 and snake_case fields', async () => {
    const token = await h.emailIdp.mint({ email: 'bearer@example.com' });
    const key = KEY_TYPES['ECDSA P-256']!();
    const body = {
      public_key_request: { public_key: { algorithm: 'ECDSA', content: publicPem(key) }, proof_of_possession: popSign(key, 'bearer@example.com') },
    };
    chainOf(await post('//api/v2/signingCert', body, { authorization: `Bearer ${token}` }));
  });

  it('accepts the public key as base64 DER text', async () => {
    const token = await h.emailIdp.mint({ email: 'der@example.com' });
    const key = KEY_TYPES['ECDSA P-384']!();
    const der = Buffer.from(pemDecode(publicPem(key), 'PUBLIC KEY')).toString('base64');
    const body = { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: der }, proofOfPossession: popSign(key, 'der@example.com') } };
    chainOf(await post('/api/v2/signingCert', body));
  });
});

describe('POST /api/v1/signingCert (deprecated v1 shape)', () => {
  it('201 with a PEM chain; Bearer only; signedEmailAddress is the PoP', async () => {
    const token = await h.emailIdp.mint({ email: 'v1@example.com' });
    const key = KEY_TYPES['ECDSA P-256']!();
    const body = { publicKey: { content: Buffer.from(publicPem(key)).toString('base64'), algorithm: 'ecdsa' }, signedEmailAddress: popSign(key, 'v1@example.com') };
    const res = await post('/api/v1/signingCert', body, { authorization: `Bearer ${token}` });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['content-type'], 'application/pem-certificate-chain');
    assert.equal(res.headers['sct'], undefined);
    const blocks = res.body.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    assert.equal(blocks.length, 3);
    assert.equal(res.body, blocks.join('\n'), 'PEMs joined by one newline, none at the end (Fulcio v1)');
    assert.equal(new X509Certificate(blocks[0]!).subjectAltName, 'email:v1@example.com');
    assert.match(opensslVerify(blocks), /OK/);
  });

  it('v1 refuses a token in the body-less form without Bearer', async () => {
    const key = KEY_TYPES['ECDSA P-256']!();
    const res = await post('/api/v1/signingCert', { publicKey: { content: Buffer.from(publicPem(key)).toString('base64') }, signedEmailAddress: popSign(key, 'x') });
    assert.equal(res.statusCode, 400);
    assert.match(JSON.parse(res.body).message, /Authorization: Bearer/);
  });

  it('v1 CSR form', async () => {
    const token = await h.emailIdp.mint({ email: 'v1csr@example.com' });
    const csr = Buffer.from(opensslCsr(KEY_TYPES['ECDSA P-256']!())).toString('base64');
    const res = await post('/api/v1/signingCert', { certificateSigningRequest: csr }, { authorization: `Bearer ${token}` });
    assert.equal(res.statusCode, 201, res.body);
  });
});

describe('every bad request is a 4xx naming the problem, never a 500', () => {
  /** Asserts a Fulcio error body with `status` whose message matches `pattern`. */
  async function expectError(resP: Promise<{ statusCode: number; body: string }>, status: number, pattern: RegExp) {
    const res = await resP;
    assert.equal(res.statusCode, status, res.body);
    const body = JSON.parse(res.body);
    assert.deepEqual(Object.keys(body).sort(), ['code', 'details', 'message']);
    assert.deepEqual(body.details, []);
    assert.match(body.message, pattern);
    return body;
  }
  const email = 'bad@example.com';
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

  it('no token at all', async () => {
    const body = { publicKeyRequest: { publicKey: { content: publicPem(key) }, proofOfPossession: popSign(key, email) } };
    const err = await expectError(post('/api/v2/signingCert', body), 400, /no identity token/);
    assert.equal(err.code, 3);
  });

  it('a token that is not a JWT', async () => {
    await expectError(post('/api/v2/signingCert', v2KeyBody('not-a-jwt', key, email)), 400, /token/i);
  });

  it('Authorization header that is not Bearer', async () => {
    const body = { publicKeyRequest: { publicKey: { content: publicPem(key) }, proofOfPossession: popSign(key, email) } };
    await expectError(post('/api/v2/signingCert', body, { authorization: 'Basic abc' }), 400, /Bearer/);
  });

  it('a token with a tampered signature', async () => {
    const token = await h.emailIdp.mint({ email });
    const [head, payload, sig] = token.split('.');
    const flipped = `${head}.${payload}.${sig!.startsWith('A') ? 'B' : 'A'}${sig!.slice(1)}`;
    await expectError(post('/api/v2/signingCert', v2KeyBody(flipped, key, email)), 400, /signature|token/i);
  });

  it('an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = await h.emailIdp.mint({ email, iat: past - 600, exp: past });
    await expectError(post('/api/v2/signingCert', v2KeyBody(token, key, email)), 400, /expired|exp/i);
  });

  it('a token for another audience', async () => {
    const token = await h.emailIdp.mint({ email, aud: 'not-sigstore' });
    await expectError(post('/api/v2/signingCert', v2KeyBody(token, key, email)), 400, /aud/i);
  });

  it('an unverified email', async () => {
    const token = await h.emailIdp.mint({ email, email_verified: false });
    await expectError(post('/api/v2/signingCert', v2KeyBody(token, key, email)), 400, /verified/i);
  });

  it('a kubernetes token without the service-account claims', async () => {
    const token = await h.k8sIdp.mint({ sub: 'system:serviceaccount:x:y' });
    await expectError(post('/api/v2/signingCert', v2KeyBody(token, key, 'system:serviceaccount:x:y')), 400, /kubernetes\.io/);
  });

  it('a token from an issuer that is not configured', async () => {
    const { startTestOidc } = await import('@signet/oidc-dev/testonly');
    const stranger = await startTestOidc();
    try {
      const token = await stranger.mint({ email });
      await expectError(post('/api/v2/signingCert', v2KeyBody(token, key, email)), 400, /issuer/i);
    } finally {
      await stranger.close();
    }
  });

  it('a PoP made with another key', async () => {
    const token = await h.emailIdp.mint({ email });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const body = { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: publicPem(key) }, proofOfPossession: popSign(other, email) } };
    await expectError(post('/api/v2/signingCert', body), 400, /proof of possession/);
  });

  it('a PoP over the wrong claim (sub instead of email for an email issuer)', async () => {
    const token = await h.emailIdp.mint({ email, sub: 'user-1234' });
    await expectError(post('/api/v2/signingCert', v2KeyBody(token, key, 'user-1234')), 400, /proof of possession/);
  });

  it('a PoP with the wrong hash for the curve (P-384 key, SHA-256 signature)', async () => {
    const token = await h.emailIdp.mint({ email });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const { sign } = await import('node:crypto');
    const sig = sign('sha256', Buffer.from(email), p384).toString('base64');
    const body = { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: publicPem(p384) }, proofOfPossession: sig } };
    await expectError(post('/api/v2/signingCert', body), 400, /proof of possession/);
  });

  const weak: [string, () => import('node:crypto').KeyObject, RegExp][] = [
    ['RSA 1024', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, /insecure public key.*1024/],
    ['RSA e=3', () => generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).privateKey, /insecure public key/],
    ['secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, /unsupported public key/],
    ['Ed448', () => generateKeyPairSync('ed448').privateKey, /unsupported public key/],
  ];
  for (const [name, gen, pattern] of weak) {
    it(`rejects a ${name} key`, async () => {
      const k = gen();
      const token = await h.emailIdp.mint({ email });
      const sig = k.asymmetricKeyType === 'ed448' ? 'AAAA' : popSign(k, email);
      const body = { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: publicPem(k) }, proofOfPossession: sig } };
      await expectError(post('/api/v2/signingCert', body), 400, pattern);
    });
  }

  it('a malformed PEM public key', async () => {
    const token = await h.emailIdp.mint({ email });
    const body = {
      credentials: { oidcIdentityToken: token },
      publicKeyRequest: { publicKey: { content: '-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n' }, proofOfPossession: popSign(key, email) },
    };
    await expectError(post('/api/v2/signingCert', body), 400, /public key/);
  });

  it('a public key that is neither PEM nor DER', async () => {
    const token = await h.emailIdp.mint({ email });
    const body = { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: 'hello world' }, proofOfPossession: popSign(key, email) } };
    await expectError(post('/api/v2/signingCert', body), 400, /public key/);
  });

  it('a proof of possession that is not base64', async () => {
    const token = await h.emailIdp.mint({ email });
    const body = { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: publicPem(key) }, proofOfPossession: '***' } };
    await expectError(post('/api/v2/signingCert', body), 400, /proofOfPossession is not valid base64/);
  });

  it('a body nested 20,000 levels deep is a 400 naming what is missing, not a stack overflow (was a 500)', async () => {
    for (const url of ['/api/v2/signingCert', '/api/v1/signingCert']) {
      for (const field of ['a', 'credentials', 'publicKeyRequest']) {
        const payload = `{"${field}":`.repeat(20_000) + '1' + '}'.repeat(20_000);
        const res = post(url, payload);
        await expectError(res, 400, /missing key|invalid request/);
      }
    }
  });

  it('a garbage CSR', async () => {
    const token = await h.emailIdp.mint({ email });
    const body = { credentials: { oidcIdentityToken: token }, certificateSigningRequest: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n').toString('base64') };
    await expectError(post('/api/v2/signingCert', body), 400, /CSR/);
  });

  it('a CSR whose self-signature is broken', async () => {
    const token = await h.emailIdp.mint({ email });
    const der = Buffer.from(pemDecode(opensslCsr(key), 'CERTIFICATE REQUEST'));
    der[der.length - 5] ^= 0xff; // inside the signature
    const body = { credentials: { oidcIdentityToken: token }, certificateSigningRequest: der.toString('base64') };
    await expectError(post('/api/v2/signingCert', body), 400, /CSR|signature/);
  });

  it('a CSR with a weak RSA key', async () => {
    const token = await h.emailIdp.mint({ email });
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const body = { credentials: { oidcIdentityToken: token }, certificateSigningRequest: Buffer.from(opensslCsr(rsa1024)).toString('base64') };
    await expectError(post('/api/v2/signingCert', body), 400, /insecure/);
  });

  for (const [name, digest] of [['ECDSA P-256', 'sha384'], ['RSA 2048', 'sha512']] as const) {
    it(`a ${name} CSR signed with ${digest} (outside Fulcio's allow-list)`, async () => {
      const token = await h.emailIdp.mint({ email });
      const body = { credentials: { oidcIdentityToken: token }, certificateSigningRequest: Buffer.from(opensslCsr(KEY_TYPES[name]!(), digest)).toString('base64') };
      await expectError(post('/api/v2/signingCert', body), 400, /signing algorithm not permitted/);
    });
  }

  it('missing key: neither publicKeyRequest nor certificateSigningRequest', async () => {
    const token = await h.emailIdp.mint({ email });
    await expectError(post('/api/v2/signingCert', { credentials: { oidcIdentityToken: token } }), 400, /missing key/);
  });

  it('publicKeyRequest without proofOfPossession', async () => {
    const body = { publicKeyRequest: { publicKey: { content: publicPem(key) } } };
    await expectError(post('/api/v2/signingCert', body), 400, /proofOfPossession/);
  });

  it('both key forms at once', async () => {
    const token = await h.emailIdp.mint({ email });
    const body = { ...v2KeyBody(token, key, email), certificateSigningRequest: Buffer.from(opensslCsr(key)).toString('base64') };
    await expectError(post('/api/v2/signingCert', body), 400, /not both/);
  });

  it('a body that is not JSON', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v2/signingCert', payload: '{"credentials":', headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(JSON.parse(res.body).message, /JSON/i);
  });

  it('a body over 4 MiB is a 413 naming the limit', async () => {
    const big = JSON.stringify({ certificateSigningRequest: 'A'.repeat(4 * 1024 * 1024 + 10) });
    const res = await h.app.inject({ method: 'POST', url: '/api/v2/signingCert', payload: big, headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 413);
    assert.match(JSON.parse(res.body).message, /4 MiB/);
  });

  it('an unknown route is a 404 in the same body shape', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v2/nope' });
    assert.equal(res.statusCode, 404);
    assert.match(JSON.parse(res.body).message, /no such endpoint/);
  });
});

describe('logs', () => {
  it('never contain an identity token (captured pino output)', async () => {
    const token = await h.emailIdp.mint({ email: 'secret@example.com' });
    const key = KEY_TYPES['ECDSA P-256']!();
    await post('/api/v2/signingCert', v2KeyBody(token, key, 'secret@example.com'), { authorization: `Bearer ${token}` });
    await post('/api/v2/signingCert', v2KeyBody(`${token}x`, key, 'secret@example.com'), { authorization: `Bearer ${token}x` });
    await post('/api/v1/signingCert', { certificateSigningRequest: 'AAAA' }, { authorization: `Bearer ${token}` });
    assert.ok(h.logs.length > 0, 'the app logged something');
    const all = h.logs.join('');
    const [, payload, signature] = token.split('.');
    assert.ok(!all.includes(payload!), 'token payload in the logs');
    assert.ok(!all.includes(signature!), 'token signature in the logs');
    assert.ok(!all.includes('eyJ'), 'something JWT-like in the logs');
    for (const line of h.logs) JSON.parse(line); // every line is JSON
  });
});

describe('signingCertV2Json', () => {
  it('writes what the response schema serializer writes for both answer forms', async () => {
    const { signingCertV2Json } = await import('./signing-cert.js');
    const { pemEncode } = await import('@signet/pki');
    const fastJson = (await import('fast-json-stringify')).default;
    const { signingCertV2Response } = await import('./schemas.js');
    const serialize = fastJson(signingCertV2Response[200] as never);
    const chain = [new Uint8Array([0x30, 1, 2, 3]), new Uint8Array(700).fill(0xab), new Uint8Array(900).fill(7)];
    const certificates = chain.map((d) => pemEncode('CERTIFICATE', d).trim());
    for (const embedded of [true, false]) {
      const object = embedded
        ? { signedCertificateEmbeddedSct: { chain: { certificates } } }
        : { signedCertificateDetachedSct: { chain: { certificates }, signedCertificateTimestamp: '' } };
      assert.equal(signingCertV2Json(chain, embedded), serialize(object));
      assert.deepEqual(JSON.parse(signingCertV2Json(chain, embedded)), object);
    }
  });
});
