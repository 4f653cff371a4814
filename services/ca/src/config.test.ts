import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CT_TIMEOUT_MS, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_VALIDITY_SECONDS, loadConfig } from './config.js';
import { assertThrowsCa } from './identity/testonly/assert-code.js';

const ISSUERS_YAML = `
issuers:
  oidc-issuers:
    https://accounts.example.com:
      issuer-url: https://accounts.example.com
      client-id: sigstore
      type: email
`;

describe('loadConfig', () => {
  it('fills defaults around inline issuers (YAML)', () => {
    const c = loadConfig({}, ISSUERS_YAML);
    assert.equal(c.host, DEFAULT_HOST);
    assert.equal(c.port, DEFAULT_PORT);
    assert.equal(c.workers, 1);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.validitySeconds, DEFAULT_VALIDITY_SECONDS);
    assert.deepEqual(c.key, { kind: 'ephemeral' });
    assert.equal(c.ct, null);
    assert.equal(c.dev.allowHttpIssuers, false);
    assert.equal(c.issuers.source, 'inline');
    assert.match((c.issuers as { text: string }).text, /accounts\.example\.com/);
  });

  it('reads JSON, and environment variables override the file', () => {
    const file = JSON.stringify({
      host: '0.0.0.0',
      port: 8080,
      issuersFile: '/etc/signet/issuers.yaml',
      key: { kind: 'file', keyPath: '/k.pem', chainPath: '/chain.pem', password: 'pw' },
      ct: { url: 'http://ct.internal:6962/', publicKeyPath: '/ct.pub' },
      validitySeconds: 300,
    });
    const c = loadConfig({ SIGNET_CA_PORT: '9090', SIGNET_CA_WORKERS: '2', SIGNET_CA_DEV_ALLOW_HTTP_ISSUERS: '1', SIGNET_CA_KEY_PASSWORD: 'env-pw' }, file);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.port, 9090);
    assert.equal(c.workers, 2);
    assert.equal(c.validitySeconds, 300);
    assert.deepEqual(c.issuers, { source: 'file', path: '/etc/signet/issuers.yaml' });
    assert.deepEqual(c.key, { kind: 'file', keyPath: '/k.pem', chainPath: '/chain.pem', password: 'env-pw' });
    assert.deepEqual(c.ct, { url: 'http://ct.internal:6962', timeoutMs: DEFAULT_CT_TIMEOUT_MS, publicKeyPath: '/ct.pub' });
    assert.equal(c.dev.allowHttpIssuers, true);
  });

  it('configures pkcs11 entirely from the environment', () => {
    const c = loadConfig({
      SIGNET_CA_ISSUERS_FILE: '/i.yaml',
      SIGNET_CA_KEY: 'pkcs11',
      SIGNET_CA_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so',
      SIGNET_CA_PKCS11_PIN: '1234',
      SIGNET_CA_PKCS11_TOKEN_LABEL: 'signet',
      SIGNET_CA_PKCS11_KEY_LABEL: 'ca',
      SIGNET_CA_CHAIN_FILE: '/chain.pem',
      SIGNET_CA_CT_URL: '',
    });
    assert.deepEqual(c.key, {
      kind: 'pkcs11',
      module: '/usr/lib/softhsm/libsofthsm2.so',
      pin: '1234',
      chainPath: '/chain.pem',
      tokenLabel: 'signet',
      keyLabel: 'ca',
    });
    assert.equal(c.ct, null);
  });

  it('reports every problem at once', () => {
    const file = `
port: 70000
workers: zero
logLevel: loud
validitySeconds: 0
key: { kind: file }
ct: { url: "ftp://nope", publicKey: "not a pem" }
dev: { allowHttpIssuers: maybe }
`;
    const err = assertThrowsCa(() => loadConfig({}, file), 'BAD_CONFIG');
    for (const needle of ['port', 'workers', 'logLevel', 'validitySeconds', 'key.keyPath', 'key.chainPath', 'ct.url', 'ct.publicKey', 'dev.allowHttpIssuers', 'issuers']) {
      assert.ok(err.message.includes(needle), `mentions ${needle}: ${err.message}`);
    }
  });

  it('reports an invalid inline issuer configuration with the rest', () => {
    const err = assertThrowsCa(() => loadConfig({ SIGNET_CA_PORT: 'x' }, 'issuers:\n  oidc-issuers:\n    https://a.example.com:\n      type: nonsense\n'), 'BAD_CONFIG');
    assert.match(err.message, /issuers: /);
    assert.match(err.message, /port/);
  });

  it('rejects an unknown key kind and a non-mapping file', () => {
    assertThrowsCa(() => loadConfig({ SIGNET_CA_KEY: 'kms' }, ISSUERS_YAML), 'BAD_CONFIG');
    assertThrowsCa(() => loadConfig({}, '- just\n- a list\n'), 'BAD_CONFIG');
    assertThrowsCa(() => loadConfig({}, 'port: [unclosed'), 'BAD_CONFIG');
  });
});
