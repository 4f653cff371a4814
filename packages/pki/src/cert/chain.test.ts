import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EphemeralSigner } from '../keys/ephemeral.js';
import { assertThrowsCode } from '../testonly/assert-code.js';
import { createIntermediateCa, createRootCa, type IssuerInfo, issuerInfoFromCertificate, issueCertificate } from './build.js';
import { verifyChain } from './chain.js';
import { encodeName } from './name.js';
import { type ParsedCertificate, parseCertificate } from './parse.js';
import { octet } from '../der/writer.js';
import { makeExtension } from './extensions.js';
import {
  authorityKeyIdentifierExtension,
  caTemplate,
  type CertificateTemplate,
  keyIdentifier,
  KU_DIGITAL_SIGNATURE_EXT,
  leafTemplate,
  subjectKeyIdentifierExtension,
} from './profile.js';
import { createTestCa, issueTestLeaf } from './testonly/test-ca.js';

const NOW = new Date();
const ca = await createTestCa({ rootAlgorithm: 'ecdsa-p256-sha256', intermediateAlgorithm: 'ecdsa-p256-sha256' });
const other = await createTestCa({ rootAlgorithm: 'ecdsa-p256-sha256', intermediateAlgorithm: 'ecdsa-p256-sha256' });
const leafKey = EphemeralSigner.generate('ecdsa-p256-sha256');
const leaf = parseCertificate(await issueTestLeaf(ca, leafKey.publicKeyDer));

const invalid = (l: ParsedCertificate, i: ParsedCertificate[], r: ParsedCertificate[], at = NOW): void =>
  assertThrowsCode(() => verifyChain(l, i, r, at), 'CHAIN_INVALID');

test('a valid chain is returned leaf → intermediate → root', () => {
  const path = verifyChain(leaf, [other.intermediate, ca.intermediate], [other.root, ca.root], NOW);
  assert.deepEqual(path.map((c) => c.serial), [leaf.serial, 2n, 1n]);
  assert.equal(path[1], ca.intermediate);
  assert.equal(path[2], ca.root);
  // the intermediate itself chains to the root directly
  assert.deepEqual(verifyChain(ca.intermediate, [], [ca.root], NOW).length, 2);
});

test('expired or not-yet-valid certificates are CHAIN_INVALID', () => {
  invalid(leaf, [ca.intermediate], [ca.root], new Date(leaf.notAfter.getTime() + 1000));
  invalid(leaf, [ca.intermediate], [ca.root], new Date(leaf.notBefore.getTime() - 1000));
});

test('a CA certificate expired at the signing time is CHAIN_INVALID', async () => {
  const early = new Date(NOW.getTime() - 7200_000); // before the test CA's notBefore (now - 1 h)
  const oldLeaf = parseCertificate(await issueTestLeaf(ca, leafKey.publicKeyDer, { notBefore: early }));
  invalid(oldLeaf, [ca.intermediate], [ca.root], new Date(early.getTime() + 1000));
});

test('a leaf from another CA, or no roots at all, is CHAIN_INVALID', () => {
  invalid(leaf, [other.intermediate], [other.root]);
  invalid(leaf, [ca.intermediate], [other.root]);
  invalid(leaf, [ca.intermediate], []);
  invalid(leaf, [], [ca.root]); // intermediate missing
});

test('a bad signature is CHAIN_INVALID', async () => {
  const der = leaf.der.slice();
  der[der.length - 5]! ^= 0x01;
  invalid(parseCertificate(der), [ca.intermediate], [ca.root]);
  // an impostor intermediate with the real one's name and SKI but another key
  const impostorKey = EphemeralSigner.generate('ecdsa-p256-sha256');
  const t = caTemplate({
    subjectDer: ca.intermediate.subject,
    publicKeySpki: impostorKey.publicKeyDer,
    notBefore: new Date(NOW.getTime() - 60_000),
    validitySeconds: 3600,
    serial: 66n,
    pathLen: 0,
    codeSigning: true,
    authorityKeyId: ca.root.ski!,
  });
  const forged = { ...t, extensions: t.extensions.map((e) => (e.oid === '2.5.29.14' ? makeExtension(e.oid, false, octet(ca.intermediate.ski!)) : e)) };
  const impostor = parseCertificate(await issueCertificate(forged, issuerInfoFromCertificate(ca.rootDer, ca.rootSigner)));
  assert.deepEqual(impostor.ski, ca.intermediate.ski);
  invalid(leaf, [impostor], [ca.root]);
  assert.equal(verifyChain(leaf, [impostor, ca.intermediate], [ca.root], NOW)[1], ca.intermediate);
});

test('an intermediate that is not a CA is CHAIN_INVALID', async () => {
  const rootInfo = issuerInfoFromCertificate(ca.rootDer, ca.rootSigner);
  const fakeKey = EphemeralSigner.generate('ecdsa-p256-sha256');
  const subjectDer = encodeName({ commonName: 'not-a-ca' });
  const t: CertificateTemplate = {
    serial: 99n,
    notBefore: new Date(NOW.getTime() - 60_000),
    notAfter: new Date(NOW.getTime() + 3600_000),
    subjectDer,
    publicKeySpki: fakeKey.publicKeyDer,
    extensions: [KU_DIGITAL_SIGNATURE_EXT, subjectKeyIdentifierExtension(fakeKey.publicKeyDer), authorityKeyIdentifierExtension(rootInfo.ski)],
  };
  const notCa = parseCertificate(await issueCertificate(t, rootInfo));
  const fakeIssuer: IssuerInfo = { subjectDer, ski: keyIdentifier(fakeKey.publicKeyDer), signer: fakeKey };
  const l = parseCertificate(await issueCertificate(leafTemplate(leafInput(), fakeIssuer), fakeIssuer));
  invalid(l, [notCa], [ca.root]);
});

function leafInput() {
  return {
    subjectAltName: { type: 'email' as const, value: 'a@b.c' },
    sigstoreExtensions: [],
    publicKeySpki: leafKey.publicKeyDer,
    notBefore: new Date(NOW.getTime() - 60_000),
    serial: 1234n,
  };
}

test('pathLen is enforced: an intermediate with pathLen 0 cannot have another CA below it', async () => {
  const rootKey = EphemeralSigner.generate('ecdsa-p256-sha256');
  const k1 = EphemeralSigner.generate('ecdsa-p256-sha256');
  const k2 = EphemeralSigner.generate('ecdsa-p256-sha256');
  const common = { notBefore: new Date(NOW.getTime() - 60_000), validitySeconds: 3600 };
  const rootDer = await createRootCa({ signer: rootKey, subject: { commonName: 'r' }, serial: 1n, pathLen: 5, ...common });
  const int1Der = await createIntermediateCa({ signer: k1, issuer: issuerInfoFromCertificate(rootDer, rootKey), subject: { commonName: 'i1' }, serial: 2n, pathLen: 0, ...common });
  const int2Der = await createIntermediateCa({ signer: k2, issuer: issuerInfoFromCertificate(int1Der, k1), subject: { commonName: 'i2' }, serial: 3n, pathLen: 0, ...common });
  const issuer = issuerInfoFromCertificate(int2Der, k2);
  const l = parseCertificate(await issueCertificate(leafTemplate(leafInput(), issuer), issuer));
  const [root, int1, int2] = [rootDer, int1Der, int2Der].map(parseCertificate) as [ParsedCertificate, ParsedCertificate, ParsedCertificate];
  invalid(l, [int1, int2], [root]);
  // roots' pathLen counts too (as in Go's verifier): int1 as the trust anchor still refuses int2
  invalid(l, [int2], [int1]);
  // and with pathLen 1 at the first intermediate it passes
  const int1bDer = await createIntermediateCa({ signer: k1, issuer: issuerInfoFromCertificate(rootDer, rootKey), subject: { commonName: 'i1' }, serial: 4n, pathLen: 1, ...common });
  assert.equal(verifyChain(l, [int2, parseCertificate(int1bDer)], [root], NOW).length, 4);
});

test('a precertificate (critical poison) validates only when allowed', async () => {
  const template = leafTemplate(leafInput(), ca.issuer);
  const pre = parseCertificate(await issueCertificate(template, ca.issuer, { precertificate: true }));
  invalid(pre, [ca.intermediate], [ca.root]);
  assert.equal(verifyChain(pre, [ca.intermediate], [ca.root], NOW, { allowPrecertificate: true }).length, 3);
});
