// One real listen: startCa on 127.0.0.1:0 with the ephemeral backend, a development OIDC issuer
// found through discovery, and the test CT log; requests over real HTTP, including sigstore-js's
// own Fulcio signer (which builds `${base}/api/v2/signingCert` and sends the token in the body).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, verify } from 'node:crypto';
import { FulcioSigner } from '@sigstore/sign';
import { type TestOidc, startTestOidc } from '@signet/oidc-dev/testonly';
import { loadConfig } from './config.js';
import { type TestCtLog, SCT_LIST_OID, extensionsOf, startTestCtLog } from './ct/testonly/ct-log.js';
import { KEY_TYPES, opensslVerify, v2KeyBody } from './http/testonly/harness.js';
import { assertRejectsCa } from './identity/testonly/assert-code.js';
import { type RunningCa, startCa } from './start.js';

let idp: TestOidc;
let ctLog: TestCtLog;
let ca: RunningCa;
const logs: string[] = [];

before(async () => {
  idp = await startTestOidc();
  ctLog = await startTestCtLog();
  const file = JSON.stringify({
    host: '127.0.0.1',
    port: 0,
    issuers: { 'oidc-issuers': { [idp.url]: { 'issuer-url': idp.url, 'client-id': 'sigstore', type: 'email' } } },
    ct: { url: ctLog.url, publicKey: ctLog.publicKeyPem },
    dev: { allowHttpIssuers: true },
  });
  ca = await startCa(loadConfig({}, file), { logStream: { write: (l: string) => void logs.push(l) } });
});
after(async () => {
  await ca?.close();
  await ctLog?.close();
  await idp?.close();
});

describe('startCa (real listen)', () => {
  it('serves issuance over HTTP with an embedded SCT, also at //api/v2/...', async () => {
    for (const path of ['/api/v2/signingCert', '//api/v2/signingCert']) {
      const token = await idp.mint({ email: 'listen@example.com' });
      const res = await fetch(`${ca.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(v2KeyBody(token, KEY_TYPES['ECDSA P-256']!(), 'listen@example.com')),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } };
      const chain = body.signedCertificateEmbeddedSct.chain.certificates;
      assert.match(opensslVerify(chain), /OK/);
      assert.equal(chain[1], ca.chainPem[0]!.trim());
      assert.ok(extensionsOf(new X509Certificate(chain[0]!).raw).some((e) => e.oid === SCT_LIST_OID));
    }
  });

  it('sigstore-js FulcioSigner obtains a certificate and its signature verifies with it', async () => {
    const signer = new FulcioSigner({
      fulcioBaseURL: ca.url,
      identityProvider: { getToken: () => idp.mint({ email: 'sigstore-js@example.com' }) },
      retry: 0,
      timeout: 10_000,
    });
    const data = Buffer.from('hello, signet');
    const sig = await signer.sign(data);
    assert.equal(sig.key.$case, 'x509Certificate');
    const leaf = new X509Certificate((sig.key as { certificate: string }).certificate);
    assert.equal(leaf.subjectAltName, 'email:sigstore-js@example.com');
    assert.ok(verify('sha256', data, leaf.publicKey, sig.signature));
  });

  it('GET /readyz is 200 while serving', async () => {
    assert.equal((await fetch(`${ca.url}/readyz`)).status, 200);
  });

  it('JSON log lines, none holding a token', () => {
    assert.ok(logs.length > 0);
    for (const line of logs) assert.ok(!JSON.parse(line).msg?.includes?.('eyJ'));
    assert.ok(!logs.join('').includes('eyJ'));
  });

  it('close() stops listening and is idempotent', async () => {
    const idp2 = await startTestOidc();
    const file = JSON.stringify({ port: 0, issuers: { 'oidc-issuers': { [idp2.url]: { 'issuer-url': idp2.url, 'client-id': 'sigstore', type: 'email' } } }, dev: { allowHttpIssuers: true } });
    const other = await startCa(loadConfig({}, file), { logStream: false });
    assert.equal((await fetch(`${other.url}/healthz`)).status, 200);
    await Promise.all([other.close(), other.close()]);
    await assert.rejects(fetch(`${other.url}/healthz`));
    await idp2.close();
  });

  it('refuses to start with an unreadable issuer file', async () => {
    await assertRejectsCa(startCa(loadConfig({ SIGNET_CA_ISSUERS_FILE: '/nonexistent/issuers.yaml', SIGNET_CA_PORT: '0' }), { logStream: false }), 'BAD_CONFIG');
  });
});
