import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashLeaf } from '@signet/merkle';
import { openSigner, type Signer } from '@signet/pki';
import { setPayload } from './set.js';
import { SetCache } from './set-cache.js';

const fieldsOf = (i: number, t = 1_800_000_000) => {
  const body = Buffer.from(`{"entry":${i}}`).toString('base64');
  return { leafHash: hashLeaf(Buffer.from(body, 'base64')), fields: { body, integratedTime: t, logID: 'ab'.repeat(32), logIndex: i } };
};

function verifies(signer: Signer, fields: ReturnType<typeof fieldsOf>['fields'], set: string): boolean {
  const key = createPublicKey({ key: Buffer.from(signer.publicKeyDer), format: 'der', type: 'spki' });
  return verify('sha256', setPayload(fields), key, Buffer.from(set, 'base64'));
}

describe('SetCache', async () => {
  const signer = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });

  it('signs an entry once and serves the same verifying SET on later reads', async () => {
    const cache = new SetCache(signer, 4);
    const e = fieldsOf(1);
    const first = await cache.get(e.leafHash, e.fields);
    assert.ok(verifies(signer, e.fields, first));
    assert.equal(await cache.get(e.leafHash, e.fields), first);
    // Without the cache, ECDSA gives a different (equally valid) signature each time.
    const uncached = new SetCache(signer, 0);
    const a = await uncached.get(e.leafHash, e.fields);
    const b = await uncached.get(e.leafHash, e.fields);
    assert.notEqual(a, b);
    assert.ok(verifies(signer, e.fields, a) && verifies(signer, e.fields, b));
    assert.equal(uncached.size, 0);
  });

  it('never serves a slot for a different entry at the same index', async () => {
    const cache = new SetCache(signer, 4);
    const e = fieldsOf(2);
    const set = await cache.get(e.leafHash, e.fields);
    const otherBody = fieldsOf(99);
    const other = { leafHash: otherBody.leafHash, fields: { ...otherBody.fields, logIndex: 2 } };
    const otherSet = await cache.get(other.leafHash, other.fields);
    assert.notEqual(otherSet, set);
    assert.ok(verifies(signer, other.fields, otherSet));
    const later = { ...e.fields, integratedTime: e.fields.integratedTime + 1 };
    const laterSet = await cache.get(e.leafHash, later);
    assert.ok(verifies(signer, later, laterSet));
  });

  it('keeps at most capacity SETs, evicting the least recently used', async () => {
    const cache = new SetCache(signer, 2);
    const [a, b, c] = [fieldsOf(10), fieldsOf(11), fieldsOf(12)];
    const setA = await cache.get(a.leafHash, a.fields);
    await cache.get(b.leafHash, b.fields);
    assert.equal(await cache.get(a.leafHash, a.fields), setA); // a is now the most recent
    await cache.get(c.leafHash, c.fields); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(await cache.get(a.leafHash, a.fields), setA);
  });

  it('refuses a bad capacity', () => {
    assert.throws(() => new SetCache(signer, -1), RangeError);
    assert.throws(() => new SetCache(signer, 1.5), RangeError);
  });
});
