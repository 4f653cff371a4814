import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createCiProviderIssuer } from './ci-provider.js';
import { parseIssuerConfig, type CiProviderConfig } from './config.js';
import type { VerifiedClaims } from './issuer.js';
import { assertThrowsCa } from './testonly/assert-code.js';

const dir = new URL('../../testdata/identity/', import.meta.url);
const builtins = parseIssuerConfig('{}').ciProviders;

interface Vector {
  description: string;
  provider: string;
  config?: string;
  claims: VerifiedClaims;
  want: { challenge: string; subjectAltName: { type: string; value: string }; sigstoreExtensions: [string, string][] };
}

function providerFor(v: Vector): CiProviderConfig {
  const providers = v.config === undefined ? builtins : parseIssuerConfig(readFileSync(new URL(v.config, dir), 'utf8')).ciProviders;
  const p = providers.get(v.provider);
  assert.ok(p, `provider ${v.provider}`);
  return p;
}

// One vector file per provider: adding a provider is a data row plus a file here.
const files = readdirSync(new URL('ci-tokens/', dir)).filter((f) => f.endsWith('.json')).sort();
test('every built-in CI provider has a token vector', () => {
  for (const name of builtins.keys()) {
    const covered = files.some((f) => (JSON.parse(readFileSync(new URL(`ci-tokens/${f}`, dir), 'utf8')) as Vector).provider === name);
    assert.ok(covered, `no vector for ${name}`);
  }
});

for (const file of files) {
  const v = JSON.parse(readFileSync(new URL(`ci-tokens/${file}`, dir), 'utf8')) as Vector;
  test(`token vector ${file}: ${v.description}`, () => {
    const p = createCiProviderIssuer(v.claims.iss, providerFor(v)).authenticate(v.claims);
    assert.equal(p.challenge, v.want.challenge);
    assert.deepEqual(p.subjectAltName, v.want.subjectAltName);
    assert.deepEqual(p.sigstoreExtensions.map((e) => [e.oid, e.value]), v.want.sigstoreExtensions);
  });
}

function vector(name: string): Vector {
  return JSON.parse(readFileSync(new URL(`ci-tokens/${name}`, dir), 'utf8')) as Vector;
}

test('GitLab tag pipelines get refs/tags/ in the source repository ref', () => {
  const v = vector('gitlab-ci.json');
  const p = createCiProviderIssuer(v.claims.iss, providerFor(v)).authenticate({ ...v.claims, ref_type: 'tag', ref: 'v1.2.0' });
  assert.equal(p.sigstoreExtensions.find((e) => e.oid === '1.3.6.1.4.1.57264.1.14')?.value, 'refs/tags/v1.2.0');
});

test('a claim a template needs is MISSING_CLAIM; the optional environment is not', () => {
  const v = vector('github-actions.json');
  const issuer = createCiProviderIssuer(v.claims.iss, providerFor(v));
  for (const claim of ['job_workflow_ref', 'run_attempt', 'repository_visibility']) {
    const claims = { ...v.claims } as Record<string, unknown>;
    delete claims[claim];
    assertThrowsCa(() => issuer.authenticate(claims as VerifiedClaims), 'MISSING_CLAIM');
  }
  const noEnv = { ...v.claims } as Record<string, unknown>;
  delete noEnv['environment'];
  const p = issuer.authenticate(noEnv as VerifiedClaims);
  assert.equal(p.sigstoreExtensions.some((e) => e.oid === '1.3.6.1.4.1.57264.1.23'), false, 'empty values are omitted');
});

test('claims win over default template values; issuer and subject always come from the token', () => {
  const v = vector('github-actions.json');
  const p = createCiProviderIssuer(v.claims.iss, providerFor(v)).authenticate({ ...v.claims, url: 'https://ghe.example.com' });
  assert.equal(p.subjectAltName.value, 'https://ghe.example.com/octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main');
  assert.equal(p.sigstoreExtensions.find((e) => e.oid === '1.3.6.1.4.1.57264.1.8')?.value, v.claims.iss);
});

test('a SAN that renders to something other than a URI is refused', () => {
  const v = vector('buildkite.json');
  const cfg = parseIssuerConfig(JSON.stringify({ CIIssuerMetadata: { bad: { SubjectAlternativeNameTemplate: '{{ .organization_slug }}' } } }));
  const issuer = createCiProviderIssuer(v.claims.iss, cfg.ciProviders.get('bad') as CiProviderConfig);
  assertThrowsCa(() => issuer.authenticate(v.claims), 'INVALID_TOKEN');
});
