import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EphemeralSigner } from '../keys/ephemeral.js';
import { assertThrowsCode } from '../testonly/assert-code.js';
import { encodeTbsCertificate, issueCertificate } from './build.js';
import { verifyChain } from './chain.js';
import {
  decodeSct,
  decodeSctList,
  encodeSct,
  encodeSctList,
  issuerKeyHash,
  precertTbsForSct,
  type Sct,
  sctSignedData,
} from './ct.js';
import { readSigstoreExtensions } from './extensions.js';
import { CT_OIDS } from './oids.js';
import { parseCertificate, parseCertificatePem } from './parse.js';
import { leafTemplate } from './profile.js';
import { createTestCa } from './testonly/test-ca.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

const sct: Sct = {
  version: 0,
  logId: new Uint8Array(32).fill(0xaa),
  timestamp: 0x0102030405060708n,
  extensions: Uint8Array.of(9, 9),
  hashAlgorithm: 4,
  signatureAlgorithm: 3,
  signature: Uint8Array.of(1, 2, 3),
};

test('SCT encode/decode round trip with the RFC 6962 §3.2 layout', () => {
  const enc = encodeSct(sct);
  assert.equal(hex(enc), '00' + 'aa'.repeat(32) + '0102030405060708' + '00020909' + '0403' + '0003010203');
  assert.deepEqual(decodeSct(enc), sct);
  assertThrowsCode(() => decodeSct(enc.subarray(0, enc.length - 1)), 'BAD_SCT');
  assertThrowsCode(() => decodeSct(Uint8Array.from([...enc, 0])), 'BAD_SCT');
  assertThrowsCode(() => decodeSct(Uint8Array.from([1, ...enc.subarray(1)])), 'BAD_SCT');
  assertThrowsCode(() => encodeSct({ ...sct, logId: new Uint8Array(31) }), 'BAD_SCT');
  assertThrowsCode(() => encodeSct({ ...sct, timestamp: -1n }), 'BAD_SCT');
});

test('SCT list: OCTET STRING around a u16-prefixed list of u16-prefixed SCTs', () => {
  const a = Uint8Array.of(0xaa, 0xbb, 0xcc);
  const b = encodeSct(sct);
  assert.equal(hex(encodeSctList([a])), '0407' + '0005' + '0003aabbcc');
  const list = encodeSctList([a, b]);
  assert.deepEqual(decodeSctList(list), [a, b]);
  assertThrowsCode(() => encodeSctList([]), 'BAD_SCT');
  assertThrowsCode(() => decodeSctList(Uint8Array.of(0x04, 0x02, 0x00, 0x00)), 'BAD_SCT'); // empty list
  assertThrowsCode(() => decodeSctList(Uint8Array.of(0x04, 0x04, 0x00, 0x05, 0x00, 0x01)), 'BAD_SCT'); // bad total
  assertThrowsCode(() => decodeSctList(Uint8Array.of(0x04, 0x04, 0x00, 0x02, 0x00, 0x05)), 'BAD_SCT'); // overrun
  assertThrowsCode(() => decodeSctList(Uint8Array.of(0x0c, 0x00)), 'BAD_SCT'); // not an OCTET STRING
});

test('sctSignedData: the digitally-signed struct for precert and x509 entries', () => {
  const pre = sctSignedData({
    timestamp: 0x10n,
    extensions: new Uint8Array(0),
    entry: { type: 'precert', issuerKeyHash: new Uint8Array(32).fill(0x11), tbs: Uint8Array.of(0x30, 0x00) },
  });
  assert.equal(hex(pre), '00' + '00' + '0000000000000010' + '0001' + '11'.repeat(32) + '000002' + '3000' + '0000');
  const x509 = sctSignedData({ timestamp: 0x10n, extensions: Uint8Array.of(7), entry: { type: 'x509', certDer: Uint8Array.of(0x30, 0x00) } });
  assert.equal(hex(x509), '0000' + '0000000000000010' + '0000' + '000002' + '3000' + '000107');
  assertThrowsCode(
    () => sctSignedData({ timestamp: 1n, extensions: new Uint8Array(0), entry: { type: 'precert', issuerKeyHash: new Uint8Array(31), tbs: new Uint8Array(0) } }),
    'BAD_SCT',
  );
});

test('issuerKeyHash is SHA-256 of the issuer SPKI', () => {
  const spki = Uint8Array.of(1, 2, 3);
  assert.equal(hex(issuerKeyHash(spki)), createHash('sha256').update(spki).digest('hex'));
});

test('a precertificate and its final certificate give the same PreCert TBS, equal to the plain TBS', async () => {
  const ca = await createTestCa();
  const leafKey = EphemeralSigner.generate('ecdsa-p256-sha256');
  const template = leafTemplate(
    { subjectAltName: { type: 'email', value: 'a@b.c' }, sigstoreExtensions: [], publicKeySpki: leafKey.publicKeyDer, notBefore: new Date(), serial: 5n },
    ca.issuer,
  );
  const preDer = await issueCertificate(template, ca.issuer, { precertificate: true });
  const logKey = EphemeralSigner.generate('ecdsa-p256-sha256');
  const timestamp = BigInt(Date.now());
  const toSign = sctSignedData({
    timestamp,
    extensions: new Uint8Array(0),
    entry: { type: 'precert', issuerKeyHash: issuerKeyHash(ca.intermediate.spki), tbs: precertTbsForSct(preDer) },
  });
  const signed = encodeSct({
    version: 0,
    logId: new Uint8Array(createHash('sha256').update(logKey.publicKeyDer).digest()),
    timestamp,
    extensions: new Uint8Array(0),
    hashAlgorithm: 4,
    signatureAlgorithm: 3,
    signature: await logKey.sign(toSign),
  });
  const finalDer = await issueCertificate(template, ca.issuer, { sctList: encodeSctList([signed]) });

  assert.equal(hex(precertTbsForSct(preDer)), hex(precertTbsForSct(finalDer)));
  assert.equal(hex(precertTbsForSct(finalDer)), hex(encodeTbsCertificate(template, ca.issuer)));
  // a verifier holding only the final certificate re-derives what the log signed
  const final = parseCertificate(finalDer);
  const ext = final.extensions.find((e) => e.oid === CT_OIDS.sctList)!;
  const got = decodeSct(decodeSctList(ext.value)[0]!);
  const data = sctSignedData({
    timestamp: got.timestamp,
    extensions: got.extensions,
    entry: { type: 'precert', issuerKeyHash: issuerKeyHash(ca.intermediate.spki), tbs: precertTbsForSct(finalDer) },
  });
  assert.ok(verify('sha256', data, { key: createPublicKey({ key: Buffer.from(logKey.publicKeyDer), format: 'der', type: 'spki' }), dsaEncoding: 'der' }, got.signature));
  assert.equal(verifyChain(final, [ca.intermediate], [ca.root], new Date()).length, 3);
});

test('a certificate without extensions keeps its TBS; malformed input is BAD_CERTIFICATE', async () => {
  const ca = await createTestCa({ rootAlgorithm: 'ed25519', intermediateAlgorithm: 'ed25519' });
  const t = { serial: 3n, notBefore: new Date(0), notAfter: new Date(1000), subjectDer: Uint8Array.of(0x30, 0), publicKeySpki: ca.root.spki, extensions: [] };
  const der = await issueCertificate(t, ca.issuer);
  assert.equal(hex(precertTbsForSct(der)), hex(parseCertificate(der).tbs));
  // only the poison: the extensions field disappears
  const pre = await issueCertificate(t, ca.issuer, { precertificate: true });
  assert.equal(hex(precertTbsForSct(pre)), hex(parseCertificate(der).tbs));
  assertThrowsCode(() => precertTbsForSct(Uint8Array.of(0x30, 0x02, 0x05, 0x00)), 'BAD_CERTIFICATE');
  assertThrowsCode(() => precertTbsForSct(new Uint8Array(0)), 'BAD_CERTIFICATE');
});

test('a real Fulcio certificate: parse, chain to the public-good root, verify its embedded SCT', () => {
  const v = JSON.parse(readFileSync(new URL('./testdata/fulcio-public-good-2024.json', import.meta.url), 'utf8'));
  const [leaf] = parseCertificatePem(v.leafCertificatePem);
  const intermediate = parseCertificate(b64(v.intermediateDerBase64));
  const root = parseCertificate(b64(v.rootDerBase64));
  assert.ok(leaf);
  assert.deepEqual(leaf.subjectAltNames[0]?.type, 'uri');
  const sig = Object.fromEntries(readSigstoreExtensions(leaf.extensions).map((e) => [e.name, e.value]));
  assert.equal(sig.Issuer, 'https://token.actions.githubusercontent.com');
  assert.equal(sig.IssuerV2, 'https://token.actions.githubusercontent.com');
  assert.equal(sig.GithubWorkflowTrigger, 'workflow_dispatch');
  const at = new Date(leaf.notBefore.getTime() + 1000);
  assert.deepEqual(verifyChain(leaf, [intermediate], [root], at).map((c) => c.serial), [leaf.serial, intermediate.serial, root.serial]);
  assertThrowsCode(() => verifyChain(leaf, [intermediate], [root], new Date()), 'CHAIN_INVALID'); // a 10-minute certificate

  const ext = leaf.extensions.find((e) => e.oid === CT_OIDS.sctList);
  assert.ok(ext && !ext.critical);
  const scts = decodeSctList(ext.value).map(decodeSct);
  assert.equal(scts.length, 1);
  const s = scts[0]!;
  assert.equal(Buffer.from(s.logId).toString('base64'), v.ctlog.logIdBase64);
  const data = sctSignedData({
    timestamp: s.timestamp,
    extensions: s.extensions,
    entry: { type: 'precert', issuerKeyHash: issuerKeyHash(intermediate.spki), tbs: precertTbsForSct(leaf.der) },
  });
  const ctKey = createPublicKey({ key: Buffer.from(v.ctlog.spkiDerBase64, 'base64'), format: 'der', type: 'spki' });
  assert.ok(verify('sha256', data, { key: ctKey, dsaEncoding: 'der' }, s.signature), 'the upstream SCT verifies over our PreCert TBS');
  assert.equal(encodeSctList(decodeSctList(ext.value)).length, ext.value.length);
});
