import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bitString, bool, explicit, int, octet, oid, seq, time, utf8 } from '../der/writer.js';
import { EphemeralSigner } from '../keys/ephemeral.js';
import { pemEncode } from '../pem.js';
import { assertThrowsCode } from '../testonly/assert-code.js';
import { KEY_USAGE, parseCertificate, parseCertificatePem } from './parse.js';
import { readSigstoreExtensions } from './extensions.js';
import { SIGSTORE_OIDS as O } from './oids.js';
import { createTestCa, issueTestLeaf } from './testonly/test-ca.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

const ca = await createTestCa({ rootAlgorithm: 'ecdsa-p256-sha256', intermediateAlgorithm: 'ecdsa-p384-sha384' });
const leafKey = EphemeralSigner.generate('ecdsa-p256-sha256');

test('parses every field of an issued leaf, as views into the DER', async () => {
  const notBefore = new Date('2026-05-06T07:08:09Z');
  const der = await issueTestLeaf(ca, leafKey.publicKeyDer, {
    notBefore,
    serial: 0x00ff00ff00ff00ff00ffn,
    subjectAltName: { type: 'otherName', value: 'alice!example.com' },
  });
  const c = parseCertificate(der);
  const x = new X509Certificate(Buffer.from(der));
  assert.equal(c.version, 3);
  assert.equal(c.serial, 0xff00ff00ff00ff00ffn);
  assert.equal(c.serial.toString(16).toUpperCase(), x.serialNumber.replace(/^0+/, ''));
  assert.deepEqual(c.issuer, ca.intermediate.subject);
  assert.equal(hex(c.subject), '3000');
  assert.equal(c.notBefore.toISOString(), notBefore.toISOString());
  assert.equal(c.notAfter.getTime() - c.notBefore.getTime(), 600_000);
  assert.deepEqual(c.spki, leafKey.publicKeyDer);
  assert.equal(c.isCa, false);
  assert.equal(c.pathLen, undefined);
  assert.equal(c.keyUsage, KEY_USAGE.digitalSignature);
  assert.deepEqual(c.extKeyUsage, ['1.3.6.1.5.5.7.3.3']);
  assert.deepEqual(c.aki, ca.intermediate.ski);
  assert.equal(c.ski?.length, 20);
  assert.deepEqual(c.subjectAltNames, [{ type: 'otherName', value: 'alice!example.com' }]);
  assert.equal(c.signatureAlgorithmOid, '1.2.840.10045.4.3.3');
  assert.equal(c.tbs.buffer, der.buffer, 'tbs is a view');
  assert.ok(verify('sha384', c.tbs, { key: createPublicKey({ key: Buffer.from(ca.intermediate.spki), format: 'der', type: 'spki' }), dsaEncoding: 'der' }, c.signature));
  assert.deepEqual(c.extensions.map((e) => e.oid), ['2.5.29.15', '2.5.29.37', '2.5.29.14', '2.5.29.35', '2.5.29.17', O.Issuer, O.IssuerV2]);
  assert.deepEqual(
    readSigstoreExtensions(c.extensions).map((e) => [e.name, e.value]),
    [
      ['Issuer', 'https://oidc.example.com'],
      ['IssuerV2', 'https://oidc.example.com'],
    ],
  );
});

test('parses CA certificates: CA flag, pathLen, keyUsage', () => {
  assert.equal(ca.root.isCa, true);
  assert.equal(ca.root.pathLen, 1);
  assert.equal(ca.root.aki, undefined);
  assert.deepEqual(ca.root.issuer, ca.root.subject);
  assert.equal(ca.intermediate.isCa, true);
  assert.equal(ca.intermediate.pathLen, 0);
  assert.equal(ca.intermediate.keyUsage, KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign);
  assert.deepEqual(ca.intermediate.aki, ca.root.ski);
});

test('parseCertificatePem reads a chain in order and rejects text without certificates', () => {
  const chain = parseCertificatePem(`junk\n${pemEncode('CERTIFICATE', ca.intermediateDer)}${pemEncode('CERTIFICATE', ca.rootDer)}`);
  assert.deepEqual(chain.map((c) => c.serial), [2n, 1n]);
  assertThrowsCode(() => parseCertificatePem(pemEncode('PUBLIC KEY', leafKey.publicKeyDer)), 'BAD_PEM');
  assertThrowsCode(() => parseCertificatePem('no pem here'), 'BAD_PEM');
  assertThrowsCode(() => parseCertificatePem(pemEncode('CERTIFICATE', Uint8Array.of(0x30, 0))), 'BAD_CERTIFICATE');
});

test('reads DNS, IP, URI and email SANs from an openssl certificate', { skip: hasOpenssl ? false : 'openssl binary not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-pki-'));
  try {
    const r = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.der', '-outform', 'DER',
        '-subj', '/CN=x', '-days', '1', '-addext', 'subjectAltName=DNS:a.example,IP:10.1.2.3,IP:2001:db8::1,URI:https://u.example/p,email:e@example.com'],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const c = parseCertificate(new Uint8Array(readFileSync(join(dir, 'c.der'))));
    assert.deepEqual(c.subjectAltNames, [
      { type: 'dns', value: 'a.example' },
      { type: 'ip', value: '10.1.2.3' },
      { type: 'ip', value: '2001:db8:0:0:0:0:0:1' },
      { type: 'uri', value: 'https://u.example/p' },
      { type: 'email', value: 'e@example.com' },
    ]);
    assert.deepEqual(c.issuer, c.subject);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A hand-built certificate: parse-level checks only (the signature bytes are arbitrary).
const ALG = seq(oid('1.2.840.10045.4.3.2'));
const NAME = seq();
function build(o: { version?: Uint8Array | null; serial?: Uint8Array; innerAlg?: Uint8Array; exts?: Uint8Array[] | null; tail?: Uint8Array } = {}): Uint8Array {
  const tbs = [
    ...(o.version === null ? [] : [o.version ?? explicit(0, int(2))]),
    o.serial ?? int(5),
    o.innerAlg ?? ALG,
    NAME,
    seq(time(new Date('2026-01-01T00:00:00Z')), time(new Date('2026-01-02T00:00:00Z'))),
    NAME,
    leafKey.publicKeyDer,
    ...(o.exts === null ? [] : [explicit(3, seq(...(o.exts ?? [seq(oid('2.5.29.19'), bool(true), octet(seq()))])))]),
  ];
  return seq(seq(...tbs), ALG, bitString(Uint8Array.of(1, 2, 3)), ...(o.tail ? [o.tail] : []));
}

test('hand-built certificates parse (sanity check of the malformed cases below)', () => {
  const c = parseCertificate(build());
  assert.equal(c.isCa, false);
  assert.equal(parseCertificate(build({ version: null, exts: null })).version, 1);
});

test('malformed certificates are BAD_CERTIFICATE', () => {
  const good = build();
  const cases: Uint8Array[] = [
    good.subarray(0, good.length - 1), // truncated
    Uint8Array.from([...good, 0]), // trailing byte
    build({ tail: int(1) }), // extra element in Certificate
    build({ innerAlg: seq(oid('1.2.840.10045.4.3.3')) }), // inner and outer algorithms differ
    build({ serial: int(-5) }),
    build({ version: explicit(0, int(7)) }),
    build({ version: null }), // extensions in a v1 certificate
    build({ exts: [] }), // empty extensions list
    build({ exts: [seq(oid('2.5.29.19'), octet(seq())), seq(oid('2.5.29.19'), octet(seq()))] }), // duplicate
    build({ exts: [seq(oid('2.5.29.19'), octet(utf8('x')))] }), // basicConstraints not a SEQUENCE
    build({ exts: [seq(oid('2.5.29.17'), octet(seq(explicit(0, oid('1.2')))))] }), // broken otherName
    build({ exts: [seq(oid('2.5.29.17'), octet(seq(Uint8Array.of(0x87, 3, 1, 2, 3))))] }), // 3-byte IP
    build({ exts: [seq(oid('2.5.29.15'), bool(false), octet(Uint8Array.of(3, 2, 7, 0x81)))] }), // KU padding bits set
    Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
  ];
  for (const [i, der] of cases.entries()) {
    assert.throws(() => parseCertificate(der), (e: unknown) => (e as { code?: string }).code === 'BAD_CERTIFICATE', `case ${i}`);
  }
});
