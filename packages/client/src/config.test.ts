import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig, required } from './config.js';
import { ClientError } from './errors.js';

const isCode = (code: string) => (e: unknown) => e instanceof ClientError && e.code === code;

test('flags win over environment, config file and stack.json, in that order', () => {
  const stackJson = JSON.stringify({ caUrl: 'http://stack-ca', tlogUrl: 'http://stack-tlog', oidcIssuerUrl: 'http://stack-oidc', trustedRootPath: '/stack/root.json' });
  const configFile = JSON.stringify({ caUrl: 'http://file-ca', tlogUrl: 'http://file-tlog' });
  const env = { SIGNET_CA_URL: 'http://env-ca' };
  const config = resolveConfig({ flags: { caUrl: 'http://flag-ca' }, env, configFile, stackJson });
  assert.equal(config.caUrl, 'http://flag-ca');
  assert.equal(resolveConfig({ flags: {}, env, configFile, stackJson }).caUrl, 'http://env-ca');
  assert.equal(config.tlogUrl, 'http://file-tlog');
  assert.equal(config.oidcIssuerUrl, 'http://stack-oidc');
  assert.equal(config.trustedRootPath, '/stack/root.json');
});

test('empty values fall through to the next source', () => {
  assert.equal(resolveConfig({ flags: { caUrl: '' }, env: { SIGNET_CA_URL: '' }, stackJson: '{"caUrl":"http://stack"}' }).caUrl, 'http://stack');
});

test('malformed sources are usage errors naming the source', () => {
  assert.throws(() => resolveConfig({ flags: {}, env: {}, configFile: '{nope' }), isCode('USAGE'));
  assert.throws(() => resolveConfig({ flags: {}, env: {}, stackJson: '[1]' }), isCode('USAGE'));
  assert.throws(() => resolveConfig({ flags: {}, env: {}, configFile: '{"caUrl": 5}' }), isCode('USAGE'));
});

test('required() names the flag and the variable', () => {
  assert.throws(() => required({}, 'tlogUrl', 'tlog-url'), (e: unknown) => isCode('USAGE')(e) && /--tlog-url.*SIGNET_TLOG_URL/.test((e as Error).message));
});
