// The MerkleTreeLeaf encoding (RFC 6962 §3.4), checked against bytes laid out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertLogError } from '../testonly/index.js';
import { decodeLeaf, encodeLeaf, timestampedEntryOf } from './leaf.js';

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
