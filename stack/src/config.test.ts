import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PORTS, loadStackConfig, overlay, StackConfigError } from './config.js';

test('defaults: .signet in the working directory, loopback, the documented ports, the dev issuer on', () => {
  const c = loadStackConfig({}, undefined, '/work/x');
  assert.equal(c.dataDir, '/work/x/.signet');
  assert.equal(c.host, '127.0.0.1');
  assert.deepEqual(c.ports, DEFAULT_PORTS);
  assert.deepEqual(c.ports, { tlog: 3000, ca: 5555, oidc: 5556, tuf: 5557 });
  assert.equal(c.devOidc, true);
  assert.equal(c.databaseUrl, undefined);
});

test('environment overrides the file, which overrides the defaults', () => {
  const file = 'stack:\n  dataDir: /srv/signet\n  ports: { tlog: 8080, ca: 8081 }\n  devOidc: false\ntlog:\n  maxBatch: 64\n';
  const c = loadStackConfig({ SIGNET_CA_PORT: '9000', DATABASE_URL: 'postgres://db/signet' }, file, '/w');
  assert.equal(c.dataDir, '/srv/signet');
  assert.equal(c.ports.tlog, 8080);
  assert.equal(c.ports.ca, 9000);
  assert.equal(c.devOidc, false);
  assert.equal(c.databaseUrl, 'postgres://db/signet');
  assert.deepEqual(c.sections.tlog, { maxBatch: 64 });
});

test('every problem is reported at once', () => {
  try {
    loadStackConfig({ SIGNET_TLOG_PORT: 'http', SIGNET_OIDC_PORT: '70000', DATABASE_URL: 'mysql://x', SIGNET_DEV_OIDC: 'maybe' }, 'tlog: [1, 2]\n', '/w');
    assert.fail('expected a StackConfigError');
  } catch (e) {
    assert.ok(e instanceof StackConfigError);
    assert.equal(e.problems.length, 5, e.problems.join('\n'));
  }
  assert.throws(() => loadStackConfig({}, 'stack: [unclosed', '/w'), StackConfigError);
});

test('overlay merges mappings and replaces everything else', () => {
  assert.deepEqual(overlay({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2], e: 'x' }), { a: { b: 1, c: 3 }, d: [2], e: 'x' });
});

test('public URLs come from the environment or stack.publicUrls, without trailing slashes', () => {
  const c = loadStackConfig({ SIGNET_TLOG_PUBLIC_URL: 'https://log.example.com/' }, 'stack:\n  publicUrls: { ca: "https://ca.example.com", tuf: "https://tuf.example.com" }\n', '/w');
  assert.deepEqual(c.publicUrls, { tlog: 'https://log.example.com', ca: 'https://ca.example.com', tuf: 'https://tuf.example.com' });
  assert.deepEqual(loadStackConfig({}, undefined, '/w').publicUrls, {});
  assert.throws(() => loadStackConfig({ SIGNET_CA_PUBLIC_URL: 'ca.example.com' }, undefined, '/w'), (e: unknown) => e instanceof StackConfigError && /publicUrls.ca/.test(e.message));
});
