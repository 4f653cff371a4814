import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertThrowsCode } from '../testonly/assert-code.js';
import {
  decodeSigstoreExtension,
  encodeExtensions,
  encodeSigstoreExtension,
  makeExtension,
  readSigstoreExtensions,
  sigstoreArcNumber,
  sigstoreEncoding,
} from './extensions.js';
import { describeName, encodeName } from './name.js';
import { SIGSTORE_OID_NAMES, SIGSTORE_OIDS as O } from './oids.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('every Sigstore OID 1.1-1.24 is named, 1.1-1.6 raw, 1.7 a SAN type, 1.8+ UTF8String', () => {
  for (let n = 1; n <= 24; n++) {
    const oid = `1.3.6.1.4.1.57264.1.${n}`;
    assert.ok(SIGSTORE_OID_NAMES.has(oid), oid);
    assert.equal(sigstoreArcNumber(oid), n);
    if (n === 7) assertThrowsCode(() => sigstoreEncoding(oid), 'BAD_TEMPLATE');
    else assert.equal(sigstoreEncoding(oid), n <= 6 ? 'raw' : 'utf8String');
  }
  assert.equal(sigstoreEncoding('1.3.6.1.4.1.57264.1.25'), 'utf8String', 'future OIDs take the current encoding');
  assert.equal(sigstoreArcNumber('1.3.6.1.4.1.57264.1.01'), undefined);
  assert.equal(sigstoreArcNumber('1.3.6.1.4.1.57264.2.1'), undefined);
  assert.equal(SIGSTORE_OID_NAMES.get(O.SourceRepositoryVisibilityAtSigning), 'SourceRepositoryVisibilityAtSigning');
});

test('Sigstore extension values encode and decode per OID', () => {
  const legacy = encodeSigstoreExtension(O.GithubWorkflowSHA, 'abc');
  assert.equal(hex(legacy.value), '616263');
  assert.equal(hex(legacy.der), '3011060a2b0601040183bf3001030403616263');
  assert.equal(legacy.critical, false);
  const v2 = encodeSigstoreExtension(O.SourceRepositoryRef, 'réf');
  assert.equal(hex(v2.value), '0c0472c3a966');
  assert.equal(decodeSigstoreExtension(O.SourceRepositoryRef, v2.value), 'réf');
  assert.equal(decodeSigstoreExtension(O.GithubWorkflowSHA, legacy.value), 'abc');
  const long = 'x'.repeat(200);
  assert.equal(decodeSigstoreExtension(O.BuildSignerURI, encodeSigstoreExtension(O.BuildSignerURI, long).value), long);
  assertThrowsCode(() => decodeSigstoreExtension(O.IssuerV2, Uint8Array.of(0x61)), 'BAD_CERTIFICATE');
  assertThrowsCode(() => decodeSigstoreExtension(O.IssuerV2, Uint8Array.of(0x13, 1, 0x61)), 'BAD_CERTIFICATE');
  assertThrowsCode(() => decodeSigstoreExtension(O.Issuer, Uint8Array.of(0xff)), 'BAD_CERTIFICATE');
  const read = readSigstoreExtensions([
    { oid: '2.5.29.15', value: new Uint8Array(0) },
    legacy,
    v2,
    { oid: '1.3.6.1.4.1.57264.1.99', value: Uint8Array.of(0x0c, 1, 0x7a) },
  ]);
  assert.deepEqual(read, [
    { oid: O.GithubWorkflowSHA, name: 'GithubWorkflowSHA', value: 'abc' },
    { oid: O.SourceRepositoryRef, name: 'SourceRepositoryRef', value: 'réf' },
    { oid: '1.3.6.1.4.1.57264.1.99', name: undefined, value: 'z' },
  ]);
});

test('makeExtension and encodeExtensions', () => {
  const e = makeExtension('2.5.29.19', true, Uint8Array.of(0x30, 0));
  assert.equal(hex(e.der), '300c0603551d130101ff04023000');
  assert.equal(hex(e.value), '3000');
  assert.equal(hex(encodeExtensions([e, e])), '301c' + hex(e.der) + hex(e.der));
  const big = makeExtension('1.2.3', false, new Uint8Array(300));
  assert.equal(big.value.length, 300);
  assert.equal(hex(big.der.subarray(0, 4)), '30820134');
});

test('names: Go order (O then CN), PrintableString when possible, readable rendering', () => {
  const n = encodeName({ commonName: 'sigstore', organization: 'sigstore.dev' });
  // byte-identical to the subject of Sigstore's public-good root (Go's encoding)
  assert.equal(Buffer.from(n).toString('base64'), 'MCoxFTATBgNVBAoTDHNpZ3N0b3JlLmRldjERMA8GA1UEAxMIc2lnc3RvcmU=');
  assert.equal(describeName(n), 'O=sigstore.dev, CN=sigstore');
  assert.equal(describeName(encodeName({ commonName: 'é' })), 'CN=é');
  assert.equal(describeName(Uint8Array.of(0x30, 0)), '<empty>');
  assert.equal(describeName(Uint8Array.of(1, 2)), '<unparseable name>');
  assertThrowsCode(() => encodeName({ commonName: '' }), 'BAD_TEMPLATE');
});
