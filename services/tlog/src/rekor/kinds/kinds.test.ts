import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pemEncode } from '@signet/pki';
import { LogError } from '../../errors.js';
import { canonicalizeProposedEntry } from './index.js';
import {
  certificateChain,
  clientKey,
  dsse,
  dsseEnvelope,
  hashedrekord,
  inTotoStatement,
  intoto,
} from '../../../test/testonly/fixtures.js';

const artifact = Buffer.from('hello signet\n');
const sha256 = (d: Uint8Array | string) => createHash('sha256').update(d).digest('hex');
const decode = (body: Uint8Array) => JSON.parse(Buffer.from(body).toString('utf8'));
const rejects = (p: Promise<unknown>, code: string, re?: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof LogError && e.code === code && (re === undefined || re.test(e.message)));

test('hashedrekord with a bare key: stored form, canonical PEM and search keys', async () => {
  const key = clientKey();
  const { proposed, digestHex, signature } = hashedrekord(key, artifact);
  const c = await canonicalizeProposedEntry(proposed);
  const text = Buffer.from(c.body).toString('utf8');
  assert.equal(
    text,
    `{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"${digestHex}"}},` +
      `"signature":{"content":"${Buffer.from(signature).toString('base64')}","publicKey":{"content":"${Buffer.from(key.publicKeyPem).toString('base64')}"}}}}`,
  );
  assert.deepEqual(c.searchKeys, [sha256(key.publicKeyPem), `sha256:${digestHex}`]);
});

test('hashedrekord re-serialises the PEM and drops unknown fields', async () => {
  const key = clientKey();
  const lines = key.publicKeyPem.split('\n');
  lines[1] = lines[1]!.slice(0, 20) + '\n' + lines[1]!.slice(20);
  const messyPem = 'comment before\r\n' + lines.join('\r\n');
  const { proposed } = hashedrekord(key, artifact, { verifierPem: messyPem });
  proposed.spec.data.url = 'https://example.com/x';
  const c = await canonicalizeProposedEntry(proposed);
  const spec = decode(c.body).spec;
  assert.equal(Buffer.from(spec.signature.publicKey.content, 'base64').toString(), key.publicKeyPem);
  assert.deepEqual(Object.keys(spec.data), ['hash']);
});

test('hashedrekord with certificates: SANs lower-cased, chain verified to its own root', async () => {
  const key = clientKey();
  const chain = await certificateChain(key, { email: 'Alice@Example.COM' });
  for (const pem of [chain.leafPem, chain.chainPem]) {
    const { proposed, digestHex } = hashedrekord(key, artifact, { verifierPem: pem });
    const c = await canonicalizeProposedEntry(proposed);
    assert.equal(Buffer.from(decode(c.body).spec.signature.publicKey.content, 'base64').toString(), pem);
    assert.deepEqual(c.searchKeys, [sha256(pem), 'alice@example.com', `sha256:${digestHex}`]);
  }
  // a chain whose "root" did not issue the leaf
  const other = await certificateChain(clientKey());
  const { proposed } = hashedrekord(key, artifact, { verifierPem: chain.leafPem + other.chainPem.slice(other.leafPem.length) });
  await rejects(canonicalizeProposedEntry(proposed), 'ENTRY_INVALID', /chain/);
});

test('hashedrekord accepts sha384/sha512 with EC keys and RSA-2048 with sha256', async () => {
  const p384 = clientKey('p384');
  for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
    const c = await canonicalizeProposedEntry(hashedrekord(p384, artifact, { hash }).proposed);
    assert.equal(decode(c.body).spec.data.hash.algorithm, hash);
  }
  await canonicalizeProposedEntry(hashedrekord(clientKey('rsa2048'), artifact).proposed);
});

test('hashedrekord rejects every kind of bad input with ENTRY_INVALID naming the field', async () => {
  const key = clientKey();
  const good = () => hashedrekord(key, artifact).proposed;
  const cases: [string, (p: any) => void, RegExp][] = [
    ['no signature', (p) => delete p.spec.signature, /spec\.signature/],
    ['empty signature', (p) => (p.spec.signature.content = ''), /signature\.content is missing/],
    ['bad base64 signature', (p) => (p.spec.signature.content = 'not base64!'), /signature\.content is not valid base64/],
    ['no key', (p) => delete p.spec.signature.publicKey, /publicKey/],
    ['key not PEM', (p) => (p.spec.signature.publicKey.content = Buffer.from('nope').toString('base64')), /publicKey\.content/],
    ['wrong PEM type', (p) => (p.spec.signature.publicKey.content = Buffer.from('-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n').toString('base64')), /FOO/],
    ['garbage key DER', (p) => (p.spec.signature.publicKey.content = Buffer.from('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n').toString('base64')), /publicKey/],
    ['no hash', (p) => delete p.spec.data.hash, /spec\.data\.hash/],
    ['no algorithm', (p) => delete p.spec.data.hash.algorithm, /algorithm is missing/],
    ['unknown algorithm', (p) => (p.spec.data.hash.algorithm = 'md5'), /md5/],
    ['short digest', (p) => (p.spec.data.hash.value = 'abcd'), /64 hex digits/],
    ['digest length of another algorithm', (p) => (p.spec.data.hash.algorithm = 'sha512'), /128 hex digits/],
    ['non-hex digest', (p) => (p.spec.data.hash.value = 'z'.repeat(64)), /hex/],
    ['wrong digest', (p) => (p.spec.data.hash.value = sha256('other')), /does not verify/],
    ['spec not an object', (p) => (p.spec = 'x'), /spec must be a JSON object/],
  ];
  for (const [name, mutate, re] of cases) {
    const p = good();
    mutate(p);
    await rejects(canonicalizeProposedEntry(p), 'ENTRY_INVALID', re).catch((e) => assert.fail(`${name}: ${e}`));
  }
  // a signature by another key
  const p = good();
  p.spec.signature.publicKey.content = Buffer.from(clientKey().publicKeyPem).toString('base64');
  await rejects(canonicalizeProposedEntry(p), 'ENTRY_INVALID', /does not verify/);
});

test('hashedrekord rejects disallowed key/hash pairs', async () => {
  const rsa = clientKey('rsa2048');
  await rejects(canonicalizeProposedEntry(hashedrekord(rsa, artifact, { hash: 'sha512' }).proposed), 'ENTRY_INVALID', /not allowed/);
  const ed = clientKey('ed25519');
  await rejects(canonicalizeProposedEntry(hashedrekord(ed, artifact).proposed), 'ENTRY_INVALID', /key\/hash pair ed25519 with sha256 is not allowed/);
  await rejects(canonicalizeProposedEntry(hashedrekord(ed, artifact, { hash: 'sha384' }).proposed), 'ENTRY_INVALID', /ed25519 with sha384 is not allowed/);
});

test('hashedrekord verifies Ed25519 keys and certificates with SHA-512 as Ed25519ph', async () => {
  const ed = clientKey('ed25519');
  const chain = await certificateChain(ed, { email: 'ed@example.com' });
  for (const pem of [ed.publicKeyPem, chain.leafPem, chain.chainPem]) {
    const { proposed, digestHex, signature } = hashedrekord(ed, artifact, { hash: 'sha512', verifierPem: pem });
    const c = await canonicalizeProposedEntry(proposed);
    const spec = decode(c.body).spec;
    assert.deepEqual(spec.data.hash, { algorithm: 'sha512', value: digestHex });
    assert.equal(spec.signature.content, Buffer.from(signature).toString('base64'));
    assert.ok(c.searchKeys.includes(`sha512:${digestHex}`));
  }
  // a pure Ed25519 signature over the artifact, or one over another digest, does not verify
  const { proposed } = hashedrekord(ed, artifact, { hash: 'sha512' });
  const pure = structuredClone(proposed);
  pure.spec.signature.content = Buffer.from(sign(null, artifact, ed.privateKey)).toString('base64');
  await rejects(canonicalizeProposedEntry(pure), 'ENTRY_INVALID', /does not verify over the sha512 digest/);
  const otherDigest = structuredClone(proposed);
  otherDigest.spec.data.hash.value = createHash('sha512').update('other').digest('hex');
  await rejects(canonicalizeProposedEntry(otherDigest), 'ENTRY_INVALID', /does not verify over the sha512 digest/);
  // a small-order "key" (the identity point), under which anyone could sign: a 400 naming the key
  const identity = structuredClone(proposed);
  const identityPem = pemEncode('PUBLIC KEY', Buffer.concat([ed.spki.subarray(0, 12), Buffer.of(1), Buffer.alloc(31)]));
  identity.spec.signature.publicKey.content = Buffer.from(identityPem).toString('base64');
  await rejects(canonicalizeProposedEntry(identity), 'ENTRY_INVALID', /publicKey\.content: Ed25519 key is a point of small order/);
});

test('unknown kinds and versions are UNSUPPORTED_KIND naming what is supported', async () => {
  await rejects(canonicalizeProposedEntry({ kind: 'rekord', apiVersion: '0.0.1', spec: {} }), 'UNSUPPORTED_KIND', /rekord 0\.0\.1.*hashedrekord 0\.0\.1/);
  await rejects(canonicalizeProposedEntry({ kind: 'hashedrekord', apiVersion: '0.0.2', spec: {} }), 'UNSUPPORTED_KIND', /hashedrekord 0\.0\.2/);
  await rejects(canonicalizeProposedEntry({ kind: 'bogus', apiVersion: '1', spec: {} }), 'UNSUPPORTED_KIND', /"bogus"/);
  await rejects(canonicalizeProposedEntry({ kind: 'dsse', spec: {} }), 'ENTRY_INVALID', /apiVersion/);
  await rejects(canonicalizeProposedEntry([]), 'ENTRY_INVALID');
});

test('dsse: canonical stored form, sorted signatures, search keys incl. in-toto subjects', async () => {
  const k1 = clientKey();
  const k2 = clientKey();
  const chain = await certificateChain(k2, { email: 'Bob@Example.com' });
  const subject = sha256('the artifact');
  const payload = inTotoStatement(subject);
  const envelope = dsseEnvelope([k1, k2], payload);
  const c = await canonicalizeProposedEntry(dsse(envelope, [k1.publicKeyPem, chain.leafPem]));
  const body = decode(c.body);
  assert.deepEqual(Object.keys(body.spec), ['envelopeHash', 'payloadHash', 'signatures']);
  assert.deepEqual(body.spec.envelopeHash, { algorithm: 'sha256', value: sha256(envelope) });
  assert.deepEqual(body.spec.payloadHash, { algorithm: 'sha256', value: sha256(payload) });
  const sigs = (JSON.parse(envelope).signatures as { sig: string }[]).map((s) => s.sig);
  assert.deepEqual(body.spec.signatures.map((s: { signature: string }) => s.signature), [...sigs].sort());
  const verifierOf = new Map(body.spec.signatures.map((s: { signature: string; verifier: string }) => [s.signature, Buffer.from(s.verifier, 'base64').toString()]));
  assert.equal(verifierOf.get(sigs[0]!), k1.publicKeyPem);
  assert.equal(verifierOf.get(sigs[1]!), chain.leafPem);
  for (const k of [`sha256:${sha256(k1.publicKeyPem)}`, `sha256:${sha256(chain.leafPem)}`, 'bob@example.com', `sha256:${sha256(payload)}`, `sha256:${sha256(envelope)}`, `sha256:${subject}`, `sha1:${'a'.repeat(40)}`]) {
    assert.ok(c.searchKeys.includes(k), k);
  }
});

test('dsse and intoto: a search key holding U+0000 (from the signed statement) is dropped, the others kept', async () => {
  const key = clientKey();
  const statement = Buffer.from(JSON.stringify({ subject: [{ name: 'a', digest: { sha256: 'ab\u0000cd', sha512: 'ef' } }] }));
  for (const proposed of [dsse(dsseEnvelope([key], statement), [key.publicKeyPem]), intoto([key], statement)]) {
    const c = await canonicalizeProposedEntry(proposed);
    assert.ok(!c.searchKeys.some((k) => k.includes('\u0000')), proposed.kind);
    assert.ok(c.searchKeys.includes('sha512:ef'), proposed.kind);
    assert.ok(c.searchKeys.includes(`sha256:${sha256(statement)}`), proposed.kind);
  }
});

test('dsse rejects unverified signatures, idle verifiers, computed fields and bad envelopes', async () => {
  const k1 = clientKey();
  const k2 = clientKey();
  const payload = Buffer.from('{}');
  const env = dsseEnvelope([k1], payload);
  await rejects(canonicalizeProposedEntry(dsse(env, [k2.publicKeyPem])), 'ENTRY_INVALID', /does not verify any signature/);
  await rejects(canonicalizeProposedEntry(dsse(dsseEnvelope([k1, k2], payload), [k1.publicKeyPem])), 'ENTRY_INVALID', /signatures\[1\] is not verified/);
  await rejects(canonicalizeProposedEntry(dsse(env, [k1.publicKeyPem, k2.publicKeyPem])), 'ENTRY_INVALID', /verifier 1/);
  const withComputed = dsse(env, [k1.publicKeyPem]);
  withComputed.spec.payloadHash = { algorithm: 'sha256', value: sha256(payload) };
  await rejects(canonicalizeProposedEntry(withComputed), 'ENTRY_INVALID', /not both/);
  await rejects(canonicalizeProposedEntry({ kind: 'dsse', apiVersion: '0.0.1', spec: { envelopeHash: {} } }), 'ENTRY_INVALID', /proposedContent/);
  await rejects(canonicalizeProposedEntry(dsse('{not json', [k1.publicKeyPem])), 'ENTRY_INVALID', /not valid JSON/);
  await rejects(canonicalizeProposedEntry(dsse(JSON.stringify({ payload: '', payloadType: 'x', signatures: [] }), [k1.publicKeyPem])), 'ENTRY_INVALID', /1 or more signatures/);
  await rejects(canonicalizeProposedEntry(dsse(env, [])), 'ENTRY_INVALID', /at least one/);
  const tampered = JSON.parse(env);
  tampered.payload = Buffer.from('{"x":1}').toString('base64');
  await rejects(canonicalizeProposedEntry(dsse(JSON.stringify(tampered), [k1.publicKeyPem])), 'ENTRY_INVALID');
});

test('dsse accepts Ed25519 verifiers (pure Ed25519 over the PAE)', async () => {
  const ed = clientKey('ed25519');
  const c = await canonicalizeProposedEntry(dsse(dsseEnvelope([ed], Buffer.from('{}'), 'text/plain'), [ed.publicKeyPem]));
  assert.equal(decode(c.body).spec.signatures.length, 1);
});

test('intoto 0.0.2: payload dropped, signatures kept as sent, payloadHash computed', async () => {
  const k = clientKey();
  const payload = inTotoStatement(sha256('x'));
  const proposed = intoto([k], payload);
  const c = await canonicalizeProposedEntry(proposed);
  const body = decode(c.body);
  assert.equal(Buffer.from(c.body).toString().startsWith('{"apiVersion":"0.0.2","kind":"intoto","spec":{"content":{"envelope":{"payloadType"'), true);
  assert.equal(body.spec.content.envelope.payload, undefined);
  assert.deepEqual(body.spec.content.envelope.signatures, proposed.spec.content.envelope.signatures);
  assert.deepEqual(body.spec.content.hash, proposed.spec.content.hash);
  assert.deepEqual(body.spec.content.payloadHash, { algorithm: 'sha256', value: sha256(payload) });
  assert.ok(c.searchKeys.includes(`sha256:${sha256('x')}`));
  assert.ok(c.searchKeys.includes(`sha256:${sha256(k.publicKeyPem)}`));
  const bad = intoto([k], payload);
  bad.spec.content.envelope.payload = Buffer.from(Buffer.from('{"y":2}').toString('base64')).toString('base64');
  await rejects(canonicalizeProposedEntry(bad), 'ENTRY_INVALID', /does not verify any signature/);
  const noHash = intoto([k], payload);
  delete noHash.spec.content.hash;
  await rejects(canonicalizeProposedEntry(noHash), 'ENTRY_INVALID', /hash/);
});

test('the real Rekor hashedrekord vectors canonicalize byte for byte from their own spec', async () => {
  const vectors = JSON.parse(readFileSync(new URL('../../../testdata/rekor-v1-entries.json', import.meta.url), 'utf8'));
  let n = 0;
  for (const e of vectors.entries) {
    const anon = Object.values(e.logEntryResponse)[0] as { body: string };
    const body = Buffer.from(anon.body, 'base64');
    const parsed = JSON.parse(body.toString());
    if (parsed.kind !== 'hashedrekord') continue;
    const c = await canonicalizeProposedEntry(parsed);
    assert.equal(Buffer.from(c.body).compare(body), 0, e.name);
    assert.equal(createHash('sha256').update(Buffer.from([0])).update(c.body).digest('hex'), e.derived.uuid, e.name);
    n++;
  }
  assert.equal(n, 3);
});
