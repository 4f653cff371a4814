import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ServiceSelector, SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial } from '@sigstore/verify';
import { openSigner } from '@signet/pki';
import { buildTrustedRoot, logIdOf, TRUSTED_ROOT_MEDIA_TYPE_V01, TRUSTED_ROOT_MEDIA_TYPE_V02 } from './trusted-root.js';
import { buildSigningConfig, SIGNING_CONFIG_MEDIA_TYPE } from './signing-config.js';
import { TrustError } from './errors.js';

const start = new Date('2026-01-01T00:00:00Z');

test('a trusted root parses in protobuf-specs and becomes @sigstore/verify trust material', async () => {
  const tlog = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
  const ct = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
  const json = buildTrustedRoot({
    certificateAuthorities: [],
    tlogs: [{ baseUrl: 'http://127.0.0.1:3000', publicKeyDer: tlog.publicKeyDer, keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } }],
    ctlogs: [{ baseUrl: 'http://127.0.0.1:3000/ct', publicKeyDer: ct.publicKeyDer, keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start, end: new Date('2027-01-01T00:00:00Z') } }],
  });
  assert.equal(json.mediaType, TRUSTED_ROOT_MEDIA_TYPE_V01);
  const parsed = TrustedRoot.fromJSON(json);
  assert.deepEqual(Buffer.from(parsed.tlogs[0]!.logId!.keyId), createHash('sha256').update(tlog.publicKeyDer).digest());
  assert.equal(parsed.ctlogs[0]?.publicKey?.validFor?.end?.toISOString(), '2027-01-01T00:00:00.000Z');
  const material = toTrustMaterial(parsed);
  assert.equal(material.tlogs.length, 1);
  assert.equal(material.ctlogs.length, 1);
  assert.deepEqual(Buffer.from(material.ctlogs[0]!.logID), Buffer.from(logIdOf(ct.publicKeyDer)));
});

test('a checkpoint key ID switches to the v0.2 media type', async () => {
  const tlog = await openSigner({ kind: 'ephemeral', algorithm: 'ed25519' });
  const json = buildTrustedRoot({
    certificateAuthorities: [],
    tlogs: [{ baseUrl: 'https://log.example', publicKeyDer: tlog.publicKeyDer, keyDetails: 'PKIX_ED25519', validFor: { start }, checkpointKeyId: new Uint8Array(32).fill(7) }],
    ctlogs: [],
  });
  assert.equal(json.mediaType, TRUSTED_ROOT_MEDIA_TYPE_V02);
});

test('missing material is refused with BAD_INPUT', () => {
  const isBadInput = (e: unknown) => e instanceof TrustError && e.code === 'BAD_INPUT';
  assert.throws(() => buildTrustedRoot({ certificateAuthorities: [{ uri: 'x', subject: {}, chainDer: [], validFor: { start } }], tlogs: [], ctlogs: [] }), isBadInput);
  assert.throws(() => buildTrustedRoot({ certificateAuthorities: [], tlogs: [{ baseUrl: '', publicKeyDer: new Uint8Array(1), keyDetails: 'PKIX_ED25519', validFor: { start } }], ctlogs: [] }), isBadInput);
});

test('a signing config parses in protobuf-specs, URLs without trailing slashes', () => {
  const entry = (url: string) => ({ url, majorApiVersion: 1, validFor: { start }, operator: 'example.org' });
  const json = buildSigningConfig({ caUrls: [entry('http://127.0.0.1:5555/')], oidcUrls: [entry('http://127.0.0.1:5556')], rekorTlogUrls: [entry('http://127.0.0.1:3000')], tsaUrls: [] });
  assert.equal(json.mediaType, SIGNING_CONFIG_MEDIA_TYPE);
  const parsed = SigningConfig.fromJSON(json);
  assert.equal(parsed.caUrls[0]?.url, 'http://127.0.0.1:5555');
  assert.equal(parsed.rekorTlogUrls[0]?.majorApiVersion, 1);
  assert.equal(parsed.rekorTlogConfig?.selector, ServiceSelector.ANY);
});
