// The stored record beside each CT leaf and the RFC 6962 §4.6 extra_data inside it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertLogError } from '../testonly/index.js';
import { decodeExtraData, decodeStoredExtra, encodeExtraData, encodeStoredExtra } from './extra.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('x509 extra_data is the u24 certificate_chain; precert extra_data prefixes the precertificate', () => {
  const chain = [Uint8Array.of(1), Uint8Array.of(2, 3)];
  assert.equal(hex(encodeExtraData('x509', Uint8Array.of(9), chain)), '000009' + '00000101' + '0000020203');
  const pre = encodeExtraData('precert', Uint8Array.of(9), chain);
  assert.equal(hex(pre), '00000109' + '000009' + '00000101' + '0000020203');
  assert.deepEqual(decodeExtraData('precert', pre), { precertificate: Uint8Array.of(9), chain });
  assert.deepEqual(decodeExtraData('x509', encodeExtraData('x509', Uint8Array.of(9), [])), { chain: [] });
});

test('the stored record keeps the SCT signature and the extra_data', () => {
  const rec = encodeStoredExtra({ sctSignature: Uint8Array.of(4, 3, 0, 1, 7), extraData: Uint8Array.of(0, 0, 0) });
  const d = decodeStoredExtra(rec);
  assert.deepEqual(d.sctSignature, Uint8Array.of(4, 3, 0, 1, 7));
  assert.deepEqual(d.extraData, Uint8Array.of(0, 0, 0));
});

test('malformed records are STORAGE_FAILURE', async () => {
  for (const b of [null, new Uint8Array(0), Uint8Array.of(2, 0, 0), Uint8Array.of(1, 0, 9, 1)]) {
    await assertLogError(async () => decodeStoredExtra(b), 'STORAGE_FAILURE');
  }
  for (const b of [Uint8Array.of(0, 0), Uint8Array.of(0, 0, 5, 0, 0, 1, 1), Uint8Array.of(0, 0, 1, 0, 0)]) {
    await assertLogError(async () => decodeExtraData('x509', b), 'STORAGE_FAILURE');
  }
});
