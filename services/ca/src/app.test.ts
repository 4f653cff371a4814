// The read-only routes of buildApp: trust bundle, root cert, configuration, health, readiness,
// metrics and the OpenAPI document.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { pemEncode } from '@signet/pki';
import { buildApp } from './app.js';
import { type Harness, KEY_TYPES, startHarness, v2KeyBody } from './http/testonly/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

describe('trust bundle and root cert', () => {
  it('GET /api/v2/trustBundle lists the chain, intermediate first, PEMs keeping their newline', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v2/trustBundle' });
    assert.equal(res.statusCode, 200);
    const body = JSON.parse(res.body);
    assert.equal(body.chains.length, 1);
    const certs: string[] = body.chains[0].certificates;
    assert.deepEqual(certs, h.authority.chainDer.map((d) => pemEncode('CERTIFICATE', d)));
    assert.ok(certs.every((c) => c.endsWith('\n')));
    const [intermediate, root] = certs.map((c) => new X509Certificate(c));
    assert.ok(intermediate!.ca && root!.ca);
    assert.ok(intermediate!.checkIssued(root!));
    assert.equal(root!.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  });

  it('GET /api/v1/rootCert concatenates the same PEMs', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/rootCert' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pem-certificate-chain');
    assert.equal(res.body, h.authority.chainDer.map((d) => pemEncode('CERTIFICATE', d)).join('\n').trim());
  });
});

describe('configuration', () => {
  it('GET /api/v2/configuration lists every issuer with its challenge claim', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v2/configuration' });
    assert.equal(res.statusCode, 200);
    const { issuers } = JSON.parse(res.body);
    const byUrl = new Map(issuers.map((i: { issuerUrl: string }) => [i.issuerUrl, i]));
    assert.deepEqual(byUrl.get(h.emailIdp.url), {
      issuerUrl: h.emailIdp.url,
      audience: 'sigstore',
      challengeClaim: 'email',
      spiffeTrustDomain: '',
      issuerType: 'email',
      subjectDomain: '',
      skipEmailVerification: false,
    });
    assert.equal((byUrl.get(h.k8sIdp.url) as { challengeClaim: string }).challengeClaim, 'sub');
  });
});

describe('health, readiness, metrics, OpenAPI', () => {
  it('GET /healthz answers SERVING', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'SERVING' });
  });

  it('GET /readyz follows isReady: 200 READY, then 503 while draining', async () => {
    let ready = true;
    const app = await buildApp({
      ca: { issue: async () => assert.fail('not called') },
      issuers: { authenticate: async () => assert.fail('not called'), describe: () => [] },
      chainPem: [],
      isReady: () => ready,
    });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      ready = false;
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(JSON.parse(res.body), { status: 'DRAINING' });
    } finally {
      await app.close();
    }
  });

  it('GET /metrics counts issued certificates and requests in Prometheus text format', async () => {
    const token = await h.emailIdp.mint({ email: 'metrics@example.com' });
    const ok = await h.app.inject({ method: 'POST', url: '/api/v2/signingCert', payload: v2KeyBody(token, KEY_TYPES['ECDSA P-256']!(), 'metrics@example.com') });
    assert.equal(ok.statusCode, 200);
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^fulcio_new_certs [1-9]\d*$/m);
    assert.match(res.body, /^http_requests_total\{code="200",method="POST"\} [1-9]\d*$/m);
    assert.match(res.body, /^fulcio_api_latency_bucket\{code="200",method="POST",le="\+Inf"\} [1-9]\d*$/m);
  });

  it('GET /openapi.json describes every route', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v2/signingCert', '/api/v1/signingCert', '/api/v2/trustBundle', '/api/v1/rootCert', '/api/v2/configuration', '/healthz', '/readyz', '/metrics']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
    assert.ok(doc.paths['/api/v2/signingCert'].post.requestBody.content['application/json'].schema.properties.publicKeyRequest);
  });

  it('an unexpected error is a 500 with a generic message, the cause only in the log', async () => {
    const logs: string[] = [];
    const app = await buildApp({
      ca: { issue: async () => { throw new TypeError('secret internal detail'); } },
      issuers: { authenticate: async () => ({ challenge: 'x', subjectAltName: { type: 'email', value: 'x@y' }, sigstoreExtensions: [] }), describe: () => [] },
      chainPem: [],
      logger: { stream: { write: (l: string) => void logs.push(l) } },
    });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v2/signingCert',
        payload: { credentials: { oidcIdentityToken: 'a.b.c' }, certificateSigningRequest: 'AAAA' },
      });
      assert.equal(res.statusCode, 500);
      assert.deepEqual(JSON.parse(res.body), { code: 13, message: 'internal error; see the CA log', details: [] });
      assert.ok(logs.join('').includes('secret internal detail'));
    } finally {
      await app.close();
    }
  });
});
