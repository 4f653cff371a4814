import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { assertThrowsCode } from '../testonly/assert-code.js';
import { caTemplate, keyIdentifier, leafTemplate, type LeafProfileInput, randomSerial } from './profile.js';
import { SIGSTORE_OIDS as O } from './oids.js';
import { ed25519SignerFromSeed } from './testonly/test-ca.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const txt = (s: string): string => Buffer.from(s).toString('hex');
const leafKey = ed25519SignerFromSeed(new Uint8Array(32).fill(1));
const issuerSki = new Uint8Array(20).fill(0xab);

function input(over: Partial<LeafProfileInput> = {}): LeafProfileInput {
  return {
    subjectAltName: { type: 'email', value: 'a@b.c' },
    sigstoreExtensions: [
      { oid: O.IssuerV2, value: 'https://issuer' },
      { oid: O.TokenSubject, value: 'a@b.c' },
      { oid: O.Issuer, value: 'https://issuer' },
      { oid: O.BuildSignerURI, value: '' },
    ],
    publicKeySpki: leafKey.publicKeyDer,
    notBefore: new Date('2026-03-04T05:06:07.890Z'),
    serial: 0x0123456789abcdefn,
    ...over,
  };
}

test('leaf template: every field of the Fulcio profile (golden)', () => {
  const t = leafTemplate(input(), { ski: issuerSki });
  assert.equal(t.serial, 0x0123456789abcdefn);
  assert.equal(t.notBefore.toISOString(), '2026-03-04T05:06:07.000Z', 'whole seconds');
  assert.equal(t.notAfter.toISOString(), '2026-03-04T05:16:07.000Z', '10 minutes');
  assert.equal(hex(t.subjectDer), '3000', 'empty subject');
  assert.deepEqual(t.publicKeySpki, leafKey.publicKeyDer);
  const ski = createHash('sha1').update(leafKey.publicKeyDer.subarray(12)).digest('hex'); // Ed25519 SPKI: 12-byte header
  assert.deepEqual(
    t.extensions.map((e) => [e.oid, e.critical, hex(e.value)]),
    [
      ['2.5.29.15', true, '03020780'],
      ['2.5.29.37', false, '300a06082b06010505070303'],
      ['2.5.29.14', false, '0414' + ski],
      ['2.5.29.35', false, '30168014' + 'ab'.repeat(20)],
      ['2.5.29.17', true, '3007810561' + '40622e63'],
      [O.Issuer, false, txt('https://issuer')],
      [O.IssuerV2, false, '0c0e' + txt('https://issuer')],
      [O.TokenSubject, false, '0c05' + txt('a@b.c')],
    ],
  );
  // der is the complete Extension: SEQUENCE { OID, [critical TRUE], OCTET STRING value }
  assert.equal(hex(t.extensions[0]!.der), '300e0603551d0f0101ff0404' + '03020780');
  assert.equal(hex(t.extensions[1]!.der), '30130603551d25040c' + '300a06082b06010505070303');
});

test('leaf template: SAN types', () => {
  const san = (s: LeafProfileInput['subjectAltName']): string =>
    hex(leafTemplate(input({ subjectAltName: s }), { ski: issuerSki }).extensions[4]!.value);
  assert.equal(san({ type: 'uri', value: 'https://x' }), '300b8609' + txt('https://x'));
  assert.equal(san({ type: 'dns', value: 'a.b' }), '30058203' + txt('a.b'));
  assert.equal(san({ type: 'otherName', value: 'u!d' }), '3015a013060a2b0601040183bf300107a0050c03' + txt('u!d'));
  assertThrowsCode(() => san({ type: 'email', value: 'é@b.c' }), 'BAD_TEMPLATE');
  assertThrowsCode(() => san({ type: 'uri', value: '' }), 'BAD_TEMPLATE');
  assertThrowsCode(() => san({ type: 'x400' as 'uri', value: 'x' }), 'BAD_TEMPLATE');
});

test('leaf template: Sigstore extensions are ordered by OID and validated', () => {
  const all = Object.entries(O)
    .filter(([name]) => name !== 'OtherName')
    .map(([name, oid]) => ({ oid, value: name }))
    .reverse();
  const t = leafTemplate(input({ sigstoreExtensions: all }), { ski: issuerSki });
  const oids = t.extensions.slice(5).map((e) => e.oid);
  assert.deepEqual(oids, [...Object.values(O)].filter((o) => o !== O.OtherName));
  assert.equal(hex(t.extensions[5]!.value), txt('Issuer'), '1.1 raw');
  assert.equal(hex(t.extensions[10]!.value), txt('GithubWorkflowRef'), '1.6 raw');
  assert.equal(hex(t.extensions[11]!.value), '0c08' + txt('IssuerV2'), '1.8 UTF8String');
  const bad = (exts: { oid: string; value: string }[]): void => {
    assertThrowsCode(() => leafTemplate(input({ sigstoreExtensions: exts }), { ski: issuerSki }), 'BAD_TEMPLATE');
  };
  bad([{ oid: O.OtherName, value: 'x' }]);
  bad([{ oid: '1.2.3', value: 'x' }]);
  bad([{ oid: '1.3.6.1.4.1.57264.2.1', value: 'x' }]);
  bad([
    { oid: O.IssuerV2, value: 'x' },
    { oid: O.IssuerV2, value: 'y' },
  ]);
});

test('leaf template: bad serial, validity, time or key are BAD_TEMPLATE', () => {
  const bad = (over: Partial<LeafProfileInput>): void => {
    assertThrowsCode(() => leafTemplate(input(over), { ski: issuerSki }), 'BAD_TEMPLATE');
  };
  bad({ serial: 0n });
  bad({ serial: -5n });
  bad({ serial: 1n << 159n });
  bad({ validitySeconds: 0 });
  bad({ validitySeconds: 1.5 });
  bad({ notBefore: new Date(NaN) });
  bad({ publicKeySpki: Uint8Array.of(0x30, 0x00) });
  assert.equal(leafTemplate(input({ serial: (1n << 159n) - 1n, validitySeconds: 60 }), { ski: issuerSki }).notAfter.toISOString(), '2026-03-04T05:07:07.000Z');
});

test('CA template: KU certSign|crlSign, optional EKU, CA:TRUE with pathLen, SKI, optional AKI', () => {
  const t = caTemplate({
    subjectDer: Uint8Array.of(0x30, 0),
    publicKeySpki: leafKey.publicKeyDer,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    validitySeconds: 3600,
    serial: 7n,
    pathLen: 0,
    codeSigning: true,
    authorityKeyId: issuerSki,
  });
  assert.deepEqual(
    t.extensions.map((e) => [e.oid, e.critical, hex(e.value)]),
    [
      ['2.5.29.15', true, '03020106'],
      ['2.5.29.37', false, '300a06082b06010505070303'],
      ['2.5.29.19', true, '30060101ff020100'],
      ['2.5.29.14', false, '0414' + hex(keyIdentifier(leafKey.publicKeyDer))],
      ['2.5.29.35', false, '30168014' + 'ab'.repeat(20)],
    ],
  );
  const root = caTemplate({ ...t, validitySeconds: 60, codeSigning: false, publicKeySpki: leafKey.publicKeyDer });
  assert.deepEqual(root.extensions.map((e) => e.oid), ['2.5.29.15', '2.5.29.19', '2.5.29.14']);
  assert.equal(hex(root.extensions[1]!.value), '30030101ff');
  assertThrowsCode(() => caTemplate({ ...t, validitySeconds: 60, codeSigning: false, pathLen: -1 }), 'BAD_TEMPLATE');
});

test('randomSerial: positive, at most 159 bits, from the injected source', () => {
  assert.equal(randomSerial(() => new Uint8Array(20).fill(0xff)), (1n << 159n) - 1n);
  let calls = 0;
  const zeroThenOne = (n: number): Uint8Array => {
    const b = new Uint8Array(n);
    if (calls++ > 0) b[19] = 1;
    return b;
  };
  assert.equal(randomSerial(zeroThenOne), 1n);
  assert.equal(calls, 2);
  assertThrowsCode(() => randomSerial(() => new Uint8Array(8)), 'BAD_TEMPLATE');
  const seen = new Set<bigint>();
  for (let i = 0; i < 300; i++) {
    const s = randomSerial();
    assert.ok(s > 0n && s < 1n << 159n);
    seen.add(s);
  }
  assert.equal(seen.size, 300);
});
