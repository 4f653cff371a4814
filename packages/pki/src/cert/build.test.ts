import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EphemeralSigner } from '../keys/ephemeral.js';
import type { SignatureAlgorithm } from '../keys/signer.js';
import { pemEncode } from '../pem.js';
import { assertRejectsCode, assertThrowsCode } from '../testonly/assert-code.js';
import { createRootCa, encodeTbsCertificate, issueCertificate, issuerInfoFromCertificate } from './build.js';
import { encodeSctList } from './ct.js';
import { encodeName } from './name.js';
import { CT_OIDS, SIGSTORE_OIDS as O } from './oids.js';
import { parseCertificate } from './parse.js';
import { leafTemplate } from './profile.js';
import { createTestCa, ed25519SignerFromSeed, issueTestLeaf } from './testonly/test-ca.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const keyOf = (spki: Uint8Array) => createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

function goldenLeaf() {
  const caSigner = ed25519SignerFromSeed(new Uint8Array(32).fill(2));
  const issuer = { subjectDer: encodeName({ commonName: 'golden-ca', organization: 'signet.test' }), ski: new Uint8Array(20).fill(0x11), signer: caSigner };
  const template = leafTemplate(
    {
      subjectAltName: { type: 'uri', value: 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main' },
      sigstoreExtensions: [
        { oid: O.Issuer, value: 'https://token.actions.githubusercontent.com' },
        { oid: O.IssuerV2, value: 'https://token.actions.githubusercontent.com' },
        { oid: O.SourceRepositoryURI, value: 'https://github.com/org/repo' },
      ],
      publicKeySpki: ed25519SignerFromSeed(new Uint8Array(32).fill(1)).publicKeyDer,
      notBefore: new Date('2026-03-04T05:06:07Z'),
      serial: 0x5eedn,
    },
    issuer,
  );
  return { issuer, template };
}

// Pinned bytes: a change here is a change of the certificate profile or of the encoder.
const GOLDEN_ED25519_LEAF =
  '30820243308201f5a00302010202025eed300506032b6570302a31143012060355040a130b7369676e65742e74657374' +
  '3112301006035504031309676f6c64656e2d6361301e170d3236303330343035303630375a170d323630333034303531' +
  '3630375a3000302a300506032b65700321008a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f' +
  '6f5ca382016730820163300e0603551d0f0101ff04040302078030130603551d25040c300a06082b0601050507030330' +
  '1d0603551d0e041604149ad19e0f16eef714cb90c6f195dbce66e94580f9301f0603551d230418301680141111111111' +
  '11111111111111111111111111111130570603551d110101ff044d304b864968747470733a2f2f6769746875622e636f' +
  '6d2f6f72672f7265706f2f2e6769746875622f776f726b666c6f77732f72656c656173652e796d6c40726566732f6865' +
  '6164732f6d61696e3039060a2b0601040183bf300101042b68747470733a2f2f746f6b656e2e616374696f6e732e6769' +
  '7468756275736572636f6e74656e742e636f6d303b060a2b0601040183bf300108042d0c2b68747470733a2f2f746f6b' +
  '656e2e616374696f6e732e67697468756275736572636f6e74656e742e636f6d302b060a2b0601040183bf30010c041d' +
  '0c1b68747470733a2f2f6769746875622e636f6d2f6f72672f7265706f300506032b6570034100bd1470a4a022746a99' +
  'e65f2237112ed93e41e799a38b239e72e9d493cf40f9b6a2426d3dddaa745796ec01b5e38f8a98e61d784fc202fe5acd' +
  '75ad538699c907';

test('a leaf issued with an Ed25519 key is byte-stable (golden)', async () => {
  const { issuer, template } = goldenLeaf();
  const der = await issueCertificate(template, issuer);
  assert.equal(hex(der), GOLDEN_ED25519_LEAF);
  assert.equal(hex(await issueCertificate(template, issuer)), hex(der));
  assert.ok(new X509Certificate(Buffer.from(der)).verify(keyOf(issuer.signer.publicKeyDer)));
});

function openssl(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

for (const [rootAlg, intAlg] of [
  ['ecdsa-p384-sha384', 'ecdsa-p384-sha384'],
  ['ecdsa-p256-sha256', 'ecdsa-p256-sha256'],
  ['ecdsa-p384-sha384', 'ecdsa-p256-sha256'],
] as [SignatureAlgorithm, SignatureAlgorithm][]) {
  test(`root (${rootAlg}) → intermediate (${intAlg}) → leaf: node and openssl accept the chain`, async () => {
    const ca = await createTestCa({ rootAlgorithm: rootAlg, intermediateAlgorithm: intAlg });
    const leafKey = EphemeralSigner.generate('ecdsa-p256-sha256');
    const leafDer = await issueTestLeaf(ca, leafKey.publicKeyDer, {
      sigstoreExtensions: [
        { oid: O.Issuer, value: 'https://oidc.example.com' },
        { oid: O.IssuerV2, value: 'https://oidc.example.com' },
        { oid: O.BuildSignerURI, value: 'https://example.com/build' },
      ],
    });
    const root = new X509Certificate(Buffer.from(ca.rootDer));
    const inter = new X509Certificate(Buffer.from(ca.intermediateDer));
    const leaf = new X509Certificate(Buffer.from(leafDer));
    assert.ok(root.verify(root.publicKey), 'root is self-signed');
    assert.ok(inter.verify(root.publicKey));
    assert.ok(leaf.verify(inter.publicKey));
    assert.ok(!leaf.verify(root.publicKey));
    assert.ok(inter.checkIssued(root) && leaf.checkIssued(inter));
    assert.equal(root.ca, true);
    assert.equal(inter.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(!leaf.subject, 'empty subject');
    assert.equal(leaf.subjectAltName, 'email:signer@example.com');
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.3']); // node reports the EKU here
    assert.equal(inter.subject, 'O=signet.test\nCN=signet-test-intermediate');

    if (!hasOpenssl) return;
    const dir = mkdtempSync(join(tmpdir(), 'signet-pki-'));
    try {
      writeFileSync(join(dir, 'root.pem'), pemEncode('CERTIFICATE', ca.rootDer));
      writeFileSync(join(dir, 'intermediate.pem'), pemEncode('CERTIFICATE', ca.intermediateDer));
      writeFileSync(join(dir, 'leaf.pem'), pemEncode('CERTIFICATE', leafDer));
      const v = openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leaf.pem'], dir);
      assert.equal(v.status, 0, v.out);
      assert.match(v.out, /leaf\.pem: OK/);
      const text = openssl(['x509', '-in', 'leaf.pem', '-noout', '-text'], dir).out;
      assert.match(text, /X509v3 Subject Alternative Name: critical\s+email:signer@example\.com/);
      assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature/);
      assert.match(text, /X509v3 Extended Key Usage:\s*\n\s+Code Signing/);
      assert.match(text, /X509v3 Authority Key Identifier:/);
      assert.match(text, /1\.3\.6\.1\.4\.1\.57264\.1\.1:\s*\n\s+https:\/\/oidc\.example\.com/);
      assert.match(text, /1\.3\.6\.1\.4\.1\.57264\.1\.8:\s*\n\s+\.\.https:\/\/oidc\.example\.com/);
      assert.match(text, /1\.3\.6\.1\.4\.1\.57264\.1\.9:/);
      assert.doesNotMatch(text, /Basic Constraints/, 'Fulcio leaves carry no basicConstraints');
      const interText = openssl(['x509', '-in', 'intermediate.pem', '-noout', '-text'], dir).out;
      assert.match(interText, /Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
      assert.match(interText, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('openssl is available for the interoperability checks', { skip: hasOpenssl ? false : 'openssl binary not installed' }, () => {
  assert.ok(hasOpenssl);
});

test('an RSA-2048 CA signs with sha256WithRSAEncryption (NULL parameters)', async () => {
  const rsa = EphemeralSigner.generate('rsa-pkcs1-sha256', { rsaBits: 2048 });
  const rootDer = await createRootCa({ signer: rsa, subject: { commonName: 'rsa-root' }, notBefore: new Date(), validitySeconds: 3600, serial: 9n });
  const root = parseCertificate(rootDer);
  assert.equal(root.signatureAlgorithmOid, '1.2.840.113549.1.1.11');
  assert.ok(new X509Certificate(Buffer.from(rootDer)).verify(keyOf(rsa.publicKeyDer)));
  assert.match(hex(rootDer), /300d06092a864886f70d01010b0500/);
});

test('precertificate and final certificate differ only by the last extension', async () => {
  const ca = await createTestCa();
  const leafKey = EphemeralSigner.generate('ecdsa-p256-sha256');
  const template = leafTemplate(
    {
      subjectAltName: { type: 'email', value: 'a@b.c' },
      sigstoreExtensions: [{ oid: O.Issuer, value: 'https://i' }],
      publicKeySpki: leafKey.publicKeyDer,
      notBefore: new Date(),
      serial: 77n,
    },
    ca.issuer,
  );
  const pre = parseCertificate(await issueCertificate(template, ca.issuer, { precertificate: true }));
  const sctList = encodeSctList([new Uint8Array(40).fill(3)]);
  const fin = parseCertificate(await issueCertificate(template, ca.issuer, { sctList }));
  const preExts = pre.extensions.map((e) => [e.oid, e.critical, hex(e.value)]);
  const finExts = fin.extensions.map((e) => [e.oid, e.critical, hex(e.value)]);
  assert.deepEqual(preExts.slice(0, -1), finExts.slice(0, -1));
  assert.deepEqual(preExts.at(-1), [CT_OIDS.poison, true, '0500']);
  assert.deepEqual(finExts.at(-1), [CT_OIDS.sctList, false, hex(sctList)]);
  assert.equal(pre.serial, fin.serial);
  assertThrowsCode(() => encodeTbsCertificate(template, ca.issuer, { precertificate: true, sctList }), 'BAD_TEMPLATE');
  const smuggled = { ...template, extensions: [...template.extensions, ...fin.extensions.slice(-1).map((e) => ({ ...e, der: new Uint8Array(0) }))] };
  await assertRejectsCode(issueCertificate(smuggled, ca.issuer), 'BAD_TEMPLATE');
});

test('issuerInfoFromCertificate: takes subject and SKI, checks the key and the CA flag', async () => {
  const ca = await createTestCa({ rootAlgorithm: 'ecdsa-p256-sha256', intermediateAlgorithm: 'ecdsa-p256-sha256' });
  const info = issuerInfoFromCertificate(ca.intermediateDer, ca.intermediateSigner);
  assert.deepEqual(info.subjectDer, ca.intermediate.subject);
  assert.deepEqual(info.ski, ca.intermediate.ski);
  assertThrowsCode(() => issuerInfoFromCertificate(ca.intermediateDer, ca.rootSigner), 'KEY_MISMATCH');
  const leafKey = EphemeralSigner.generate('ecdsa-p256-sha256');
  const leafDer = await issueTestLeaf(ca, leafKey.publicKeyDer);
  assertThrowsCode(() => issuerInfoFromCertificate(leafDer, leafKey), 'BAD_CERTIFICATE');
  assertThrowsCode(() => issuerInfoFromCertificate(Uint8Array.of(1, 2, 3), leafKey), 'BAD_CERTIFICATE');
});

test('CA creation rejects bad subjects and validity', async () => {
  const signer = ed25519SignerFromSeed(new Uint8Array(32).fill(5));
  await assertRejectsCode(createRootCa({ signer, subject: { commonName: '' }, notBefore: new Date(), validitySeconds: 60, serial: 1n }), 'BAD_TEMPLATE');
  await assertRejectsCode(createRootCa({ signer, subject: { commonName: 'x' }, notBefore: new Date(), validitySeconds: -1, serial: 1n }), 'BAD_TEMPLATE');
  const der = await createRootCa({ signer, subject: { commonName: 'Ünïcode root', organization: 'o' }, notBefore: new Date(), validitySeconds: 60, serial: 1n });
  assert.equal(new X509Certificate(Buffer.from(der)).subject, 'O=o\nCN=Ünïcode root');
});
