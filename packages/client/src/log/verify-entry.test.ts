import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ClientError } from '../errors.js';
import type { FetchedEntry } from './log-client.js';
import { logKeysOf, verifyLogEntry, setPayload } from './verify-entry.js';

// Real Rekor v1 entries (public-good and a private instance) with their logs' keys.
const vectors = JSON.parse(readFileSync(new URL('../../testdata/rekor-v1-entries.json', import.meta.url), 'utf8')) as {
  entries: { name: string; logPublicKey: { baseUrl: string; spkiDerBase64: string; keyDetails: string }; logEntryResponse: Record<string, Omit<FetchedEntry, 'entryId'>>; derived: { setSignedPayload: string } }[];
};

function trustedRootFor(v: (typeof vectors.entries)[number]) {
  const spki = Buffer.from(v.logPublicKey.spkiDerBase64, 'base64');
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{
      baseUrl: v.logPublicKey.baseUrl,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: v.logPublicKey.spkiDerBase64, keyDetails: v.logPublicKey.keyDetails, validFor: { start: '2020-01-01T00:00:00Z' } },
      logId: { keyId: createHash('sha256').update(spki).digest('base64') },
    }],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
}

const entryOf = (v: (typeof vectors.entries)[number]): FetchedEntry => {
  const [entryId, anon] = Object.entries(v.logEntryResponse)[0] as [string, Omit<FetchedEntry, 'entryId'>];
  return { entryId, ...anon };
};

test('real Rekor entries verify: entry ID, SET, checkpoint signature, inclusion proof', () => {
  assert.ok(vectors.entries.length >= 5);
  for (const v of vectors.entries) {
    const entry = entryOf(v);
    assert.equal(setPayload(entry).toString(), v.derived.setSignedPayload, v.name);
    const checkpoint = verifyLogEntry(entry, logKeysOf(trustedRootFor(v)));
    assert.equal(checkpoint.size, BigInt(entry.verification!.inclusionProof!.treeSize), v.name);
  }
});

test('tampering with any verified field is caught', () => {
  const v = vectors.entries[0]!;
  const keys = logKeysOf(trustedRootFor(v));
  const failed = (e: unknown) => e instanceof ClientError && e.code === 'VERIFICATION_FAILED';
  const base = entryOf(v);
  const proof = base.verification!.inclusionProof!;
  const flipHex = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
  assert.throws(() => verifyLogEntry({ ...base, integratedTime: base.integratedTime + 1 }, keys), failed);
  assert.throws(() => verifyLogEntry({ ...base, logIndex: base.logIndex + 1 }, keys), failed);
  assert.throws(() => verifyLogEntry({ ...base, entryId: flipHex(base.entryId.slice(16)) }, keys), failed);
  assert.throws(() => verifyLogEntry({ ...base, verification: { ...base.verification, inclusionProof: { ...proof, hashes: [flipHex(proof.hashes[0]!), ...proof.hashes.slice(1)] } } }, keys), failed);
  assert.throws(() => verifyLogEntry({ ...base, verification: { ...base.verification, inclusionProof: { ...proof, logIndex: proof.logIndex + 1 } } }, keys), failed);
  assert.throws(() => verifyLogEntry({ ...base, verification: { ...base.verification, inclusionProof: { ...proof, checkpoint: proof.checkpoint.replace(/\n\d+\n/, '\n1\n') } } }, keys), failed);
});

test('an entry from a log the trusted root does not list is NO_TRUST', () => {
  const [a, b] = [vectors.entries[0]!, vectors.entries.at(-1)!];
  assert.throws(() => verifyLogEntry(entryOf(b), logKeysOf(trustedRootFor(a))), (e: unknown) => e instanceof ClientError && e.code === 'NO_TRUST');
});
