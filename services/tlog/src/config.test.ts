import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogError } from './errors.js';
import { DEFAULT_LOG_KEY, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT, ENV_VARS, loadConfig } from './config.js';

const problemsOf = (env: Record<string, string>, file?: string): string[] => {
  try {
    loadConfig(env, file);
  } catch (e) {
    assert.ok(e instanceof LogError && e.code === 'BAD_CONFIG', String(e));
    return e.details.problems ?? [];
  }
  assert.fail('expected BAD_CONFIG');
};

test('defaults: loopback, in-memory PGlite, ephemeral P-256 key, hostname from the public URL', () => {
  const c = loadConfig({});
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: DEFAULT_PORT });
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.dataDir, undefined);
  assert.equal(c.publicUrl, `http://127.0.0.1:${DEFAULT_PORT}`);
  assert.equal(c.hostname, '127.0.0.1');
  assert.deepEqual(c.logKey, DEFAULT_LOG_KEY);
  assert.equal(c.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
  assert.equal(c.treeId, undefined);
  assert.equal(c.workers, 1);
  assert.equal(c.pipelineDepth, 1);
});

test('pipelineDepth: from the file or SIGNET_TLOG_PIPELINE_DEPTH, 1 to 8', () => {
  assert.equal(loadConfig({}, 'pipelineDepth: 2').pipelineDepth, 2);
  assert.equal(loadConfig({ SIGNET_TLOG_PIPELINE_DEPTH: '3' }, 'pipelineDepth: 2').pipelineDepth, 3);
  assert.match(problemsOf({ SIGNET_TLOG_PIPELINE_DEPTH: '9' })[0]!, /pipelineDepth \(SIGNET_TLOG_PIPELINE_DEPTH\): must be between 1 and 8/);
  assert.match(problemsOf({}, 'pipelineDepth: 0')[0]!, /pipelineDepth: must be between 1 and 8/);
});

test('YAML file, then environment variables on top', () => {
  const yaml = `
listen: {host: 0.0.0.0, port: 3100}
databaseUrl: postgres://db/log
publicUrl: https://rekor.example.com/
treeId: "1193050959916656506"
logKey: {kind: file, path: /etc/signet/log.pem}
maxBatch: 64
workers: 2
logLevel: warn
`;
  const c = loadConfig({ SIGNET_TLOG_PORT: '3200', SIGNET_TLOG_KEY_PASSWORD: 's3cret' }, yaml);
  assert.deepEqual(c.listen, { host: '0.0.0.0', port: 3200 });
  assert.equal(c.publicUrl, 'https://rekor.example.com');
  assert.equal(c.hostname, 'rekor.example.com');
  assert.equal(c.treeId, 1193050959916656506n);
  assert.deepEqual(c.logKey, { kind: 'file', path: '/etc/signet/log.pem', password: 's3cret' });
  assert.equal(c.maxBatch, 64);
  assert.equal(c.workers, 2);
  assert.equal(c.logLevel, 'warn');
  const fromEnv = loadConfig({ SIGNET_TLOG_KEY_FILE: '/k.pem', DATABASE_URL: 'postgresql://x/y', SIGNET_TLOG_HOSTNAME: 'localhost', SIGNET_TLOG_PUBLIC_URL: 'http://localhost:9' });
  assert.deepEqual(fromEnv.logKey, { kind: 'file', path: '/k.pem' });
  assert.equal(fromEnv.hostname, 'localhost');
});

test('every problem is reported at once', () => {
  const problems = problemsOf(
    { SIGNET_TLOG_PORT: '70000', SIGNET_TLOG_MAX_BATCH: 'many', SIGNET_TLOG_WORKERS: '3' },
    `
bogus: 1
listen: {host: 1, extra: true}
databaseSchema: Bad-Name
publicUrl: ftp://x
hostname: "has space"
treeId: -5
logKey: {kind: hsm}
logLevel: loud
maxBodyBytes: 10
`,
  );
  const expected = [
    /unknown key "bogus"/,
    /listen: unknown key "extra"/,
    /listen\.host: must be a non-empty string/,
    /listen\.port \(SIGNET_TLOG_PORT\): must be between 0 and 65535/,
    /databaseSchema/,
    /publicUrl: must be an http\(s\) URL/,
    /hostname: must be non-empty without spaces/,
    /treeId/,
    /logKey\.kind/,
    /maxBatch \(SIGNET_TLOG_MAX_BATCH\): must be an integer/,
    /maxBodyBytes: must be between/,
    /workers: more than 1 worker needs databaseUrl/,
    /logLevel/,
  ];
  for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `${re} in ${JSON.stringify(problems)}`);
  assert.equal(problems.length, expected.length, JSON.stringify(problems));
});

test('the hostname must appear in the public URL; bad YAML, URLs, tree IDs and keys are named', () => {
  assert.match(problemsOf({ SIGNET_TLOG_HOSTNAME: 'rekor.example.com' })[0]!, /must appear in publicUrl/);
  assert.match(problemsOf({}, 'listen: [')[0]!, /not valid YAML/);
  assert.match(problemsOf({}, '- a list')[0]!, /YAML mapping/);
  assert.match(problemsOf({ DATABASE_URL: 'mysql://x' })[0]!, /postgres:\/\//);
  assert.match(problemsOf({ SIGNET_TLOG_PUBLIC_URL: 'not a url' })[0]!, /is not a URL/);
  assert.match(problemsOf({ SIGNET_TLOG_TREE_ID: '9223372036854775808' })[0]!, /treeId: must be 1\.\.2\^63-1/);
  assert.match(problemsOf({ SIGNET_TLOG_TREE_ID: '0' })[0]!, /treeId/);
  assert.match(problemsOf({}, 'logKey: {kind: file}')[0]!, /logKey\.path: required/);
  assert.match(problemsOf({}, 'logKey: {kind: ephemeral, algorithm: dsa}')[0]!, /logKey\.algorithm/);
  assert.match(problemsOf({}, 'logKey: {kind: pkcs11, module: /x.so}')[0]!, /logKey\.pin/);
});

test('ENV_VARS names a Config key for every variable', () => {
  for (const [name, key] of Object.entries(ENV_VARS)) {
    assert.match(name, /^(SIGNET_TLOG_|DATABASE_URL$)/);
    assert.ok(key.length > 0);
  }
});

test('the CT log: off by default, enabled by a roots file, with defaults derived from the public URL', () => {
  assert.equal(loadConfig({}).ct, undefined);
  const c = loadConfig({ SIGNET_TLOG_CT_ROOTS_FILE: '/ca/chain.pem', SIGNET_TLOG_PUBLIC_URL: 'https://log.example.com' });
  assert.deepEqual(c.ct, {
    rootsFile: '/ca/chain.pem',
    key: { kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' },
    origin: 'log.example.com/ct',
    logName: 'ct',
    prefix: '/ct',
  });
  const y = loadConfig({ SIGNET_TLOG_CT_KEY_FILE: '/ct.pem' }, 'ct: {rootsPem: "PEM", prefix: /ctlog, origin: ct.example/x}');
  assert.deepEqual(y.ct?.key, { kind: 'file', path: '/ct.pem' });
  assert.equal(y.ct?.prefix, '/ctlog');
  const problems = problemsOf({}, 'ct: {prefix: "no-slash", logName: rekor, origin: "a b", key: {kind: nope}, extra: 1}');
  for (const re of [/ct: unknown key "extra"/, /ct: needs rootsFile/, /ct\.prefix/, /ct\.origin/, /ct\.logName: must differ/, /ct\.logKey\.kind/]) {
    assert.ok(problems.some((p) => re.test(p)), `${re} in ${JSON.stringify(problems)}`);
  }
});
