// The MerkleTreeLeaf encoding (RFC 6962 §3.4), checked against bytes laid out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertLogError } from '../testonly/index.js';
import { decodeLeaf, encodeLeaf, leafIndexExtensions, leafIndexOf, leafTemplate, placeLeaf, timestampedEntryOf } from './leaf.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('a precert_entry leaf: version, leaf type, u64 timestamp, type 1, issuer key hash, u24 TBS, u16 extensions', () => {
  const ikh = new Uint8Array(32).fill(0xaa);
  const tbs = Uint8Array.of(0x30, 0x01, 0x00);
  const leaf = encodeLeaf({ timestamp: 0x0102030405n, entry: { type: 'precert', issuerKeyHash: ikh, tbs }, extensions: new Uint8Array(0) });
  assert.equal(hex(leaf), '0000' + '0000000102030405' + '0001' + 'aa'.repeat(32) + '000003' + '300100' + '0000');
  const d = decodeLeaf(leaf);
  assert.equal(d.timestamp, 0x0102030405n);
  assert.equal(d.entry.type, 'precert');
  assert.equal(hex(timestampedEntryOf(leaf)), hex(leaf.subarray(2)));
});

test('an x509_entry leaf with extensions round-trips', () => {
  const leaf = encodeLeaf({ timestamp: 7n, entry: { type: 'x509', certDer: Uint8Array.of(1, 2) }, extensions: Uint8Array.of(9) });
  assert.equal(hex(leaf), '0000' + '0000000000000007' + '0000' + '000002' + '0102' + '0001' + '09');
  const d = decodeLeaf(leaf);
  assert.deepEqual(d.entry, { type: 'x509', certDer: Uint8Array.of(1, 2) });
  assert.deepEqual(d.extensions, Uint8Array.of(9));
});

test('malformed stored leaves are STORAGE_FAILURE', async () => {
  const good = encodeLeaf({ timestamp: 7n, entry: { type: 'x509', certDer: Uint8Array.of(1, 2) }, extensions: new Uint8Array(0) });
  for (const bad of [new Uint8Array(0), Uint8Array.of(1, ...good.subarray(1)), good.subarray(0, good.length - 1), Uint8Array.of(...good, 0), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0)]) {
    await assertLogError(async () => decodeLeaf(bad), 'STORAGE_FAILURE');
  }
  await assertLogError(async () => encodeLeaf({ timestamp: -1n, entry: { type: 'x509', certDer: Uint8Array.of(1) }, extensions: new Uint8Array(0) }), 'ENTRY_INVALID');
});

test('the static-ct-api leaf_index extension: type 0, length 5, uint40 big-endian', async () => {
  assert.equal(hex(leafIndexExtensions(0n)), '0000050000000000');
  assert.equal(hex(leafIndexExtensions(0x0102030405n)), '0000050102030405');
  assert.equal(hex(leafIndexExtensions((1n << 40n) - 1n)), '000005ffffffffff');
  assert.equal(leafIndexOf(leafIndexExtensions(123456789n)), 123456789n);
  assert.equal(leafIndexOf(new Uint8Array(0)), undefined);
  assert.equal(leafIndexOf(Uint8Array.of(1, 0, 5, 0, 0, 0, 0, 1)), undefined, 'another extension type');
  assert.equal(leafIndexOf(Uint8Array.of(0, 0, 4, 0, 0, 0, 1)), undefined, 'another length');
  await assertLogError(async () => leafIndexExtensions(1n << 40n), 'STORAGE_FAILURE');
  await assertLogError(async () => leafIndexExtensions(-1n), 'STORAGE_FAILURE');
});

test('a placed template is the leaf encoded with that timestamp and index; the template is left as it was', async () => {
  const entry = { type: 'precert' as const, issuerKeyHash: new Uint8Array(32).fill(7), tbs: Uint8Array.of(0x30, 0x01, 0x00) };
  const template = leafTemplate(entry);
  const before = hex(template);
  const placed = placeLeaf(template, 1700000000123n, 4242n);
  assert.equal(hex(placed), hex(encodeLeaf({ timestamp: 1700000000123n, entry, extensions: leafIndexExtensions(4242n) })));
  assert.equal(hex(template), before);
  assert.equal(leafIndexOf(decodeLeaf(placed).extensions), 4242n);
  const plain = encodeLeaf({ timestamp: 0n, entry, extensions: new Uint8Array(0) });
  await assertLogError(async () => placeLeaf(plain, 1n, 1n), 'STORAGE_FAILURE');
  await assertLogError(async () => placeLeaf(placed, 1n, 1n), 'STORAGE_FAILURE');
});
