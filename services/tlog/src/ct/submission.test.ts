// Chain validation of add-chain / add-pre-chain: every refusal has its code and a reason.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type CertificateTemplate, issueCertificate, parseCertificate, pemEncode } from '@signet/pki';
import { assertLogError } from '../testonly/index.js';
import { fingerprint, loadAcceptedRoots, validateSubmission, type AcceptedRoots } from './submission.js';
import { createTestCa, issuePrecert, strangerRoot, testLeafTemplate, type TestCa } from './testonly/fixtures.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
let ca: TestCa;
let roots: AcceptedRoots;
let template: CertificateTemplate;
let precert: Uint8Array;
let cert: Uint8Array;

before(async () => {
  ca = await createTestCa(NOW);
  roots = loadAcceptedRoots(ca.chainPem, NOW);
  template = testLeafTemplate(ca, NOW);
  precert = await issuePrecert(ca, template);
  cert = await issueCertificate(template, ca.issuer);
});

test('the CA chain file gives the root as anchor and the intermediate as a known intermediate', () => {
  assert.deepEqual(roots.anchors.map((c) => b64(c.der)), [b64(ca.rootDer)]);
  assert.deepEqual(roots.intermediates.map((c) => b64(c.der)), [b64(ca.intermediateDer)]);
});

test('a precertificate validates to the root; its entry is the issuer key hash and the poison-free TBS', () => {
  const s = validateSubmission([b64(precert), b64(ca.intermediateDer)], 'precert', roots, NOW);
  assert.equal(s.type, 'precert');
  assert.deepEqual(s.issuers.map(b64), [b64(ca.intermediateDer), b64(ca.rootDer)]);
  assert.equal(s.leafFingerprint, fingerprint(precert));
  assert.equal(s.entry.type, 'precert');
  if (s.entry.type !== 'precert') return;
  const issuerSpki = parseCertificate(ca.intermediateDer).spki;
  assert.equal(Buffer.from(s.entry.issuerKeyHash).toString('hex'), fingerprint(issuerSpki));
  // The final certificate without SCT list has exactly the TBS the SCT signs.
  assert.deepEqual(Buffer.from(s.entry.tbs), Buffer.from(parseCertificate(cert).tbs));
});

test('a final certificate validates for add-chain as an x509 entry', () => {
  const s = validateSubmission([b64(cert)], 'x509', roots, NOW);
  assert.equal(s.entry.type, 'x509');
  assert.deepEqual(s.issuers.map(b64), [b64(ca.intermediateDer), b64(ca.rootDer)]);
});

test('malformed submissions are BAD_REQUEST', async () => {
  for (const chain of [undefined, 'x', [], [1], [''], ['%%%'], ['YWJj'], Array(9).fill(b64(precert))]) {
    await assertLogError(async () => validateSubmission(chain, 'precert', roots, NOW), 'BAD_REQUEST');
  }
});

test('refused chains are CHAIN_REJECTED naming the reason', async () => {
  const reason = async (chain: Uint8Array[], type: 'x509' | 'precert', at = NOW) =>
    (await assertLogError(async () => validateSubmission(chain.map(b64), type, roots, at), 'CHAIN_REJECTED')).message;
  assert.match(await reason([cert], 'precert'), /poison extension .* is missing/);
  assert.match(await reason([precert], 'x509'), /is a precertificate/);
  assert.match(await reason([precert], 'precert', new Date(NOW.getTime() + 3_600_000)), /leaf certificate expired/);
  assert.match(await reason([precert], 'precert', new Date(NOW.getTime() - 60_000)), /not valid before/);
  const stranger = await strangerRoot(NOW);
  const foreign = await issueCertificate(testLeafTemplate(ca, NOW), stranger.issuer, { precertificate: true });
  assert.match(await reason([foreign, stranger.der], 'precert'), /does not validate to an accepted root/);
  // The builder refuses to make odd poisons, so patch the precertificate's poison in place (same
  // lengths; the broken signature does not matter, the poison is checked first).
  const poisonAt = Buffer.from(precert).indexOf(Buffer.from('060a2b06010401d679020403', 'hex'));
  assert.ok(poisonAt > 0);
  const odd = Uint8Array.from(precert);
  assert.deepEqual([...odd.subarray(poisonAt + 12, poisonAt + 19)], [0x01, 0x01, 0xff, 0x04, 0x02, 0x05, 0x00]);
  odd[poisonAt + 17] = 0x04; // value: an empty OCTET STRING instead of NULL
  assert.match(await reason([odd], 'precert'), /not ASN\.1 NULL/);
  const lax = Uint8Array.from(precert);
  lax[poisonAt + 14] = 0x00; // critical FALSE
  assert.match(await reason([lax], 'precert'), /not critical/);
});

test('accepted roots: an empty file, a non-PEM file and an intermediate without its root are BAD_CONFIG', async () => {
  await assertLogError(async () => loadAcceptedRoots('', NOW), 'BAD_CONFIG');
  await assertLogError(async () => loadAcceptedRoots('-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n', NOW), 'BAD_CONFIG');
  const other = await createTestCa(NOW, 'other');
  await assertLogError(async () => loadAcceptedRoots(pemEncode('CERTIFICATE', ca.intermediateDer) + pemEncode('CERTIFICATE', other.rootDer), NOW), 'BAD_CONFIG');
});
