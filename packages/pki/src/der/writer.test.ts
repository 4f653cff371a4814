import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertThrowsCode } from '../testonly/assert-code.js';
import {
  allocBytes,
  bitString,
  bool,
  explicit,
  generalizedTime,
  ia5,
  implicitConstructed,
  implicitPrimitive,
  int,
  intBytes,
  namedBits,
  nul,
  octet,
  oid,
  printable,
  seq,
  set,
  time,
  utcTime,
  utf8,
} from './writer.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('INTEGER encodings are minimal two’s complement (X.690 §8.3)', () => {
  const cases: [bigint | number, string][] = [
    [0, '020100'],
    [1, '020101'],
    [127, '02017f'],
    [128, '02020080'],
    [255, '020200ff'],
    [256, '02020100'],
    [-1, '0201ff'],
    [-128, '020180'],
    [-129, '0202ff7f'],
    [-256, '0202ff00'],
    [0x7fffffffffffffffffffn, '020a7fffffffffffffffffff'],
    [0x8000000000000000000000000000000000000000n, '021500' + '80' + '00'.repeat(19)],
  ];
  for (const [v, want] of cases) assert.equal(hex(int(v)), want, `int(${v})`);
  assertThrowsCode(() => int(2 ** 60), 'BAD_DER');
});

test('intBytes strips leading zeros and restores the sign byte', () => {
  assert.equal(hex(intBytes(Uint8Array.of(0, 0, 1))), '020101');
  assert.equal(hex(intBytes(Uint8Array.of(0x80))), '02020080');
  assert.equal(hex(intBytes(Uint8Array.of(0, 0, 0x80, 1))), '0203008001');
  assert.equal(hex(intBytes(new Uint8Array(0))), '020100');
});

test('OIDs encode base-128 arcs and reject malformed text', () => {
  assert.equal(hex(oid('1.2.840.10045.4.3.3')), '06082a8648ce3d040303');
  assert.equal(hex(oid('1.3.6.1.4.1.57264.1.8')), '060a2b0601040183bf300108');
  assert.equal(hex(oid('2.5.29.17')), '0603551d11');
  assert.equal(hex(oid('2.999.3')), '0603883703');
  for (const bad of ['', '1', '3.1', '1.40', '1.2.', '1.02', 'a.b']) assertThrowsCode(() => oid(bad), 'BAD_DER');
});

test('strings: UTF8String, PrintableString, IA5String', () => {
  assert.equal(hex(utf8('hé')), '0c0368c3a9');
  assert.equal(hex(printable('Ab 1')), '130441622031');
  assertThrowsCode(() => printable('a@b'), 'BAD_DER');
  assert.equal(hex(ia5('a@b')), '1603614062');
  assertThrowsCode(() => ia5('é'), 'BAD_DER');
  const long = 'x'.repeat(300);
  assert.equal(hex(utf8(long).subarray(0, 4)), '0c82012c');
  const longUnicode = 'é'.repeat(100);
  assert.equal(hex(utf8(longUnicode).subarray(0, 3)), '0c81c8');
});

test('lengths use the short form below 128 and minimal long forms above', () => {
  assert.equal(hex(octet(new Uint8Array(127)).subarray(0, 2)), '047f');
  assert.equal(hex(octet(new Uint8Array(128)).subarray(0, 3)), '048180');
  assert.equal(hex(octet(new Uint8Array(256)).subarray(0, 4)), '04820100');
  assert.equal(hex(octet(new Uint8Array(70000)).subarray(0, 5)), '0483011170');
});

test('constructed values, booleans, NULL, bit strings, context tags', () => {
  assert.equal(hex(seq(int(1), bool(true), nul())), '3008020101' + '0101ff' + '0500');
  assert.equal(hex(bool(false)), '010100');
  assert.equal(hex(bitString(Uint8Array.of(0xaa))), '030200aa');
  assert.equal(hex(namedBits([0])), '03020780'); // KeyUsage digitalSignature
  assert.equal(hex(namedBits([5, 6])), '03020106'); // keyCertSign | cRLSign
  assert.equal(hex(namedBits([0, 8])), '0303078080');
  assertThrowsCode(() => bitString(Uint8Array.of(1), 8), 'BAD_DER');
  assert.equal(hex(explicit(0, int(2))), 'a003020102');
  assert.equal(hex(implicitPrimitive(0, Uint8Array.of(1, 2))), '80020102');
  assert.equal(hex(implicitConstructed(0, int(1))), 'a003020101');
  assertThrowsCode(() => explicit(31, int(1)), 'BAD_DER');
});

test('SET OF sorts its elements by encoding (X.690 §11.6)', () => {
  assert.equal(hex(set(utf8('a'), int(3), int(1))), '3109020101020103' + '0c0161');
  assert.equal(hex(set(int(3), int(1))), '3106020101020103');
});

test('times follow RFC 5280 §4.1.2.5: UTCTime 1950-2049, GeneralizedTime otherwise, no fractions', () => {
  assert.equal(Buffer.from(utcTime(new Date('2026-02-03T04:05:06.789Z'))).toString('latin1'), '\x17\x0d260203040506Z');
  assert.equal(Buffer.from(time(new Date('1950-01-01T00:00:00Z'))).toString('latin1'), '\x17\x0d500101000000Z');
  assert.equal(Buffer.from(time(new Date('2049-12-31T23:59:59Z'))).toString('latin1'), '\x17\x0d491231235959Z');
  assert.equal(Buffer.from(time(new Date('2050-01-01T00:00:00Z'))).toString('latin1'), '\x18\x0f20500101000000Z');
  assert.equal(Buffer.from(time(new Date('1949-12-31T23:59:59Z'))).toString('latin1'), '\x18\x0f19491231235959Z');
  assert.equal(Buffer.from(generalizedTime(new Date('2026-02-03T04:05:06Z'))).toString('latin1'), '\x18\x0f20260203040506Z');
  assertThrowsCode(() => utcTime(new Date('2050-01-01T00:00:00Z')), 'BAD_DER');
  assertThrowsCode(() => time(new Date(NaN)), 'BAD_DER');
});

test('allocBytes hands out distinct zeroed regions', () => {
  const a = allocBytes(10);
  const b = allocBytes(10);
  a.fill(0xff);
  assert.deepEqual([...b], new Array(10).fill(0));
  assert.equal(allocBytes(5000).length, 5000);
});
