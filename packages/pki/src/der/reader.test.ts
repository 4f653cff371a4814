import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertThrowsCode } from '../testonly/assert-code.js';
import {
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeNull,
  decodeOctetString,
  decodeOid,
  decodeString,
  decodeTime,
  readDer,
} from './reader.js';
import { bitString, bool, explicit, int, nul, octet, oid, seq, TAG, time, utf8 } from './writer.js';

const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));

test('writer → reader round trips of every primitive', () => {
  for (const v of [0n, 1n, 127n, 128n, -1n, -129n, 2n ** 158n + 12345n, -(2n ** 100n)]) {
    assert.equal(decodeInteger(readDer(int(v))), v);
  }
  for (const o of ['1.2.840.10045.4.3.3', '1.3.6.1.4.1.57264.1.24', '2.5.29.17', '2.999.3', '1.2.99999999999999999999']) {
    assert.equal(decodeOid(readDer(oid(o))), o);
  }
  assert.equal(decodeString(readDer(utf8('héllo'))), 'héllo');
  assert.equal(decodeBoolean(readDer(bool(true))), true);
  assert.equal(decodeBoolean(readDer(bool(false))), false);
  assert.equal(decodeNull(readDer(nul())), null);
  assert.deepEqual([...decodeOctetString(readDer(octet(Uint8Array.of(1, 2, 3))))], [1, 2, 3]);
  const bs = decodeBitString(readDer(bitString(Uint8Array.of(0x80), 7)));
  assert.equal(bs.unusedBits, 7);
  for (const d of ['2026-02-03T04:05:06Z', '1950-01-01T00:00:00Z', '2049-12-31T23:59:59Z', '2050-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
    assert.equal(decodeTime(readDer(time(new Date(d)))).toISOString(), new Date(d).toISOString());
  }
});

test('nodes are views with exact offsets, children parse lazily', () => {
  const inner = seq(int(5), utf8('x'));
  const buf = seq(explicit(0, int(2)), inner, octet(Uint8Array.of(9)));
  const root = readDer(buf);
  const [ctx, s, o] = root.children();
  assert.equal(ctx!.tag, 0xa0);
  assert.equal(s!.start, 2 + 5);
  assert.deepEqual(s!.raw, inner);
  assert.equal(s!.raw.buffer, buf.buffer, 'raw is a view, not a copy');
  assert.equal(o!.value[0], 9);
  const c = s!.cursor();
  assert.equal(c.peekTag(), TAG.INTEGER);
  assert.equal(c.optional(TAG.BOOLEAN), undefined);
  assert.equal(decodeInteger(c.next(TAG.INTEGER)), 5n);
  assert.equal(decodeString(c.next(TAG.UTF8_STRING)), 'x');
  assert.equal(c.done, true);
  c.finish();
  assertThrowsCode(() => c.next(), 'BAD_DER');
});

test('malformed DER is rejected with BAD_DER', () => {
  const bad: [string, string][] = [
    ['', 'empty'],
    ['30', 'header only'],
    ['3003020101ff', 'trailing byte'],
    ['300402010', 'odd'],
    ['30050201', 'truncated value'],
    ['3080020101 0000', 'indefinite length'],
    ['308103020101', 'long form for a short length'],
    ['30820003020101', 'long form with a leading zero'],
    ['3085ffffffffff', 'length of 5 bytes'],
    ['1f2200', 'high tag number'],
    ['3082', 'truncated length'],
  ];
  for (const [hexText, why] of bad) {
    const bytes = hexText.length % 2 ? h(hexText + '0') : h(hexText);
    assertThrowsCode(() => readDer(bytes), 'BAD_DER');
    void why;
  }
  // an element overrunning its parent
  assertThrowsCode(() => readDer(h('3003 020201')).children(), 'BAD_DER');
});

test('non-DER primitive values are rejected', () => {
  assertThrowsCode(() => decodeInteger(readDer(h('0200'))), 'BAD_DER');
  assertThrowsCode(() => decodeInteger(readDer(h('02020001'))), 'BAD_DER');
  assertThrowsCode(() => decodeInteger(readDer(h('0202ff80'))), 'BAD_DER');
  assertThrowsCode(() => decodeBoolean(readDer(h('010101'))), 'BAD_DER');
  assertThrowsCode(() => decodeOid(readDer(h('0600'))), 'BAD_DER');
  assertThrowsCode(() => decodeOid(readDer(h('06022a86'))), 'BAD_DER');
  assertThrowsCode(() => decodeOid(readDer(h('06032a8001'))), 'BAD_DER');
  assertThrowsCode(() => decodeBitString(readDer(h('030107'))), 'BAD_DER');
  assertThrowsCode(() => decodeBitString(readDer(h('03020701'))), 'BAD_DER');
  assertThrowsCode(() => decodeNull(readDer(h('050100'))), 'BAD_DER');
  assertThrowsCode(() => decodeString(readDer(h('0c01ff'))), 'BAD_DER');
  assertThrowsCode(() => decodeInteger(readDer(utf8('x'))), 'BAD_DER');
  const t = (s: string, tag: number = TAG.UTC_TIME): Uint8Array => Uint8Array.of(tag, s.length, ...Buffer.from(s, 'latin1'));
  for (const s of ['2602030405Z', '260203040506', '260203040506+0100', '261302030405Z', '260230000000Z', '260203240000Z']) {
    assertThrowsCode(() => decodeTime(readDer(t(s))), 'BAD_DER');
  }
  assertThrowsCode(() => decodeTime(readDer(t('20260203040506.5Z', TAG.GENERALIZED_TIME))), 'BAD_DER');
  assert.equal(decodeTime(readDer(t('20260203040506Z', TAG.GENERALIZED_TIME))).toISOString(), '2026-02-03T04:05:06.000Z');
  assert.equal(decodeTime(readDer(t('490101000000Z'))).getUTCFullYear(), 2049);
  assert.equal(decodeTime(readDer(t('500101000000Z'))).getUTCFullYear(), 1950);
});
