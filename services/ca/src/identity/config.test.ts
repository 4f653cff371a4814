import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { metaIssuerPattern, parseClaimPath, parseIssuerConfig } from './config.js';
import { assertThrowsCa } from './testonly/assert-code.js';

const dir = new URL('../../testdata/identity/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');

test('parses a Fulcio YAML configuration with anchors, meta issuers and CI issuer metadata', () => {
  const cfg = parseIssuerConfig(read('fulcio-config.yaml'));
  const byUrl = new Map(cfg.oidcIssuers.map((i) => [i.issuerUrl, i]));
  assert.equal(cfg.oidcIssuers.length, 10);
  assert.deepEqual(
    { ...byUrl.get('https://accounts.google.com') },
    { issuerUrl: 'https://accounts.google.com', clientId: 'sigstore', type: 'email', challengeClaim: 'email', skipEmailVerification: false, contact: 'tac@sigstore.dev', description: 'Google OIDC auth' },
  );
  assert.deepEqual(byUrl.get('https://oauth2.sigstore.dev/auth')?.issuerClaim, { source: '$.federated_claims.connector_id', path: ['federated_claims', 'connector_id'] });
  assert.equal(byUrl.get('https://login.corp.example.com')?.skipEmailVerification, true);
  assert.equal(byUrl.get('https://token.actions.githubusercontent.com')?.ciProvider, 'github-workflow');
  assert.equal(byUrl.get('https://agent.buildkite.com')?.ciProvider, 'buildkite-job', 'legacy type served by the built-in row');
  assert.equal(byUrl.get('https://oidc.circleci.com')?.ciProvider, 'circleci-job');
  assert.equal(byUrl.get('https://accounts.example.com')?.challengeClaim, 'sub');
  assert.equal(byUrl.get('https://spire.example.net')?.spiffeTrustDomain, 'example.net');
  assert.deepEqual(cfg.metaIssuers.map((m) => [m.wildcardUrl, m.type]), [
    ['https://oidc.eks.*.amazonaws.com/id/*', 'kubernetes'],
    ['https://container.googleapis.com/v1/projects/*/locations/*/clusters/*', 'kubernetes'],
    ['https://token.actions.githubusercontent.com/*', 'ci-provider'],
  ]);
  assert.deepEqual([...cfg.ciProviders.keys()].sort(), ['buildkite-job', 'circleci-job', 'github-workflow', 'gitlab-pipeline']);
  assert.equal(cfg.ciProviders.get('circleci-job')?.extensions.length, 6);
});

test('parses the JSON form with Go field names', () => {
  const cfg = parseIssuerConfig(read('fulcio-config.json'));
  assert.deepEqual(cfg.oidcIssuers.map((i) => [i.issuerUrl, i.type, i.ciProvider]), [
    ['https://accounts.google.com', 'email', undefined],
    ['https://gitlab.example.com', 'ci-provider', 'gitlab-self-hosted'],
  ]);
  const p = cfg.ciProviders.get('gitlab-self-hosted');
  assert.deepEqual(p?.extensions.map((e) => e.name), ['build-signer-uri', 'source-repository-uri']);
  assert.equal(p?.defaults.get('url'), 'https://gitlab.example.com');
  assert.equal(cfg.metaIssuers[0]?.clientId, 'sigstore');
});

test('every problem is reported at once', () => {
  const text = JSON.stringify({
    OIDCIssuers: {
      'https://a.example.com': { IssuerURL: 'https://a.example.com', Type: 'email' }, // no ClientID
      'https://b.example.com': { IssuerURL: 'https://b.example.com', ClientID: 'x', Type: 'github' }, // unknown type
      'https://c.example.com': { IssuerURL: 'https://c.example.com', ClientID: 'x', Type: 'uri', SubjectDomain: 'https://other.org' },
      'https://d.example.com': { IssuerURL: 'https://d.example.com', ClientID: 'x', Type: 'username', SubjectDomain: 'https://example.com' },
      'https://e.example.com': { IssuerURL: 'https://e.example.com', ClientID: 'x', Type: 'spiffe' },
      'https://f.example.com': { IssuerURL: 'https://f.example.com', ClientID: 'x', Type: 'kubernetes', IssuerClaim: '$.x' },
      'https://g.example.com': { IssuerURL: 'https://g.example.com', ClientID: 'x', Type: 'ci-provider', CIProvider: 'nope' },
      'https://h.example.com': { IssuerURL: 'https://h.example.com', ClientID: 'x', Type: 'email', CilentID: 'typo' },
      'ftp://i.example.com': { ClientID: 'x', Type: 'email' },
      'https://j.example.com': { IssuerURL: 'https://elsewhere.example.com', ClientID: 'x', Type: 'email' },
    },
    MetaIssuers: { 'https://*.spiffe.example.com': { ClientID: 'x', Type: 'spiffe', SPIFFETrustDomain: 'example.com' } },
    CIIssuerMetadata: {
      broken: { ExtensionTemplates: { BuildSignerURI: '{{ .x ', Issuer: 'iss', 'no-such-extension': 'a' } },
    },
  });
  const err = assertThrowsCa(() => parseIssuerConfig(text), 'BAD_CONFIG');
  const problems = (err.cause as AggregateError).errors.map((e: Error) => e.message);
  const expected = [
    /a\.example\.com.*ClientID is required/,
    /b\.example\.com.*Type github is not supported/,
    /c\.example\.com.*does not share the top two DNS labels/,
    /d\.example\.com.*must not contain a scheme/,
    /e\.example\.com.*SPIFFETrustDomain is required/,
    /f\.example\.com.*only email issuers/,
    /g\.example\.com.*CIProvider nope has no CIIssuerMetadata/,
    /h\.example\.com.*unknown key CilentID/,
    /ftp:\/\/i\.example\.com.*not an http\(s\) URL/,
    /j\.example\.com.*differs from its key/,
    /SPIFFE meta issuers are not supported/,
    /broken.*BuildSignerURI.*does not parse/,
    /broken.*Issuer always comes from the token/,
    /broken.*no-such-extension is not a known extension/,
    /broken.*subject-alternative-name-template is required/,
  ];
  for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `missing ${re}: ${problems.join(' | ')}`);
  assert.equal(problems.length, expected.length, problems.join('\n'));
});

test('text that is neither JSON nor YAML, or not a mapping, is BAD_CONFIG', () => {
  assertThrowsCa(() => parseIssuerConfig('oidc-issuers: [unclosed'), 'BAD_CONFIG');
  assertThrowsCa(() => parseIssuerConfig('[1, 2]'), 'BAD_CONFIG');
  assertThrowsCa(() => parseIssuerConfig(JSON.stringify({ OIDCIssuers: [] })), 'BAD_CONFIG');
});

test('meta issuer wildcards are anchored and match one URL-safe run each', () => {
  const eks = metaIssuerPattern('https://oidc.eks.*.amazonaws.com/id/*');
  assert.ok(eks.test('https://oidc.eks.us-west-2.amazonaws.com/id/B02C93B6A2D30341AD01E1B6D48164CB'));
  for (const evil of [
    'https://evil.com/?https://oidc.eks.x.amazonaws.com/id/1',
    'https://oidc.eks.x.amazonaws.com/id/1/extra',
    'https://oidc.eks.x.amazonaws.com/id/1?x=y',
    'https://oidc.eks.evil.com/x.amazonaws.com/id/1',
    'https://oidc.eks.a.b.amazonaws.com/id/1',
    'https://oidc.eksXx.amazonaws.com/id/1',
    'https://oidc.eks..amazonaws.com/id/1',
    'xhttps://oidc.eks.x.amazonaws.com/id/1',
  ]) {
    assert.equal(eks.test(evil), false, evil);
  }
  const gke = metaIssuerPattern('https://container.googleapis.com/v1/projects/*/locations/*/clusters/*');
  assert.ok(gke.test('https://container.googleapis.com/v1/projects/mattmoor-credit/locations/us-west1-b/clusters/tenant-cluster'));
  assert.equal(gke.test('https://container.googleapis.com/v1/projects/a/b/locations/c/clusters/d'), false);
});

test('IssuerClaim JSONPath subset', () => {
  assert.deepEqual(parseClaimPath('$.federated_claims.connector_id'), ['federated_claims', 'connector_id']);
  assert.deepEqual(parseClaimPath(`$['a.b'].c`), ['a.b', 'c']);
  for (const bad of ['federated_claims', '$', '$..x', '$.a[0]', '$.a.*']) assert.equal(parseClaimPath(bad), undefined, bad);
});
