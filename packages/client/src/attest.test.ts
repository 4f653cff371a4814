import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildStatement, checkStatement, predicateTypeOf, PREDICATE_TYPES } from './attest.js';
import { ClientError } from './errors.js';

const isCode = (code: string) => (e: unknown) => e instanceof ClientError && e.code === code;
const artifact = Buffer.from('release tarball bytes');

test('predicate types: cosign short names and URIs', () => {
  assert.equal(predicateTypeOf('slsaprovenance'), PREDICATE_TYPES.slsaprovenance);
  assert.equal(predicateTypeOf('cyclonedx'), 'https://cyclonedx.org/bom');
  assert.equal(predicateTypeOf('https://example.com/my-predicate/v1'), 'https://example.com/my-predicate/v1');
  assert.throws(() => predicateTypeOf('sbom'), isCode('USAGE'));
});

test('a statement names the artifact by SHA-256 and round-trips through checkStatement', () => {
  const statement = buildStatement({ name: 'app.tgz', data: artifact }, PREDICATE_TYPES.spdxjson, Buffer.from('{"spdxVersion":"SPDX-2.3"}'));
  const parsed = JSON.parse(statement.toString());
  assert.equal(parsed._type, 'https://in-toto.io/Statement/v1');
  assert.deepEqual(parsed.subject, [{ name: 'app.tgz', digest: { sha256: createHash('sha256').update(artifact).digest('hex') } }]);
  assert.equal(checkStatement('application/vnd.in-toto+json', statement, artifact, PREDICATE_TYPES.spdxjson).predicateType, PREDICATE_TYPES.spdxjson);
});

test('wrong predicate type, wrong subject, wrong payload type and non-JSON predicates are refused', () => {
  const statement = buildStatement({ name: 'app.tgz', data: artifact }, PREDICATE_TYPES.vuln, Buffer.from('{}'));
  assert.throws(() => checkStatement('application/vnd.in-toto+json', statement, artifact, PREDICATE_TYPES.cyclonedx), isCode('PREDICATE_MISMATCH'));
  assert.throws(() => checkStatement('application/vnd.in-toto+json', statement, Buffer.from('other'), PREDICATE_TYPES.vuln), isCode('VERIFICATION_FAILED'));
  assert.throws(() => checkStatement('text/plain', statement, artifact, PREDICATE_TYPES.vuln), isCode('PREDICATE_MISMATCH'));
  assert.throws(() => buildStatement({ name: 'a', data: artifact }, PREDICATE_TYPES.vuln, Buffer.from('not json')), isCode('USAGE'));
});
