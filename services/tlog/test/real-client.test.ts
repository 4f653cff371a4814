// The real client: entries logged over HTTP with a listening tlog, turned into Sigstore bundles v0.3
// and verified by @sigstore/verify 3.x against a trusted root holding our log key. SET, inclusion
// proof and checkpoint must pass; tampering with any of them (or the artifact) must fail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKey, TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { testDrivers } from '@signet/storage/testonly';
import { loadConfig } from '../src/config.js';
import { startTlog, type RunningTlog } from '../src/main.js';
import type { RekorLogEntry } from '../src/rekor/log-entry.js';
import { dsseBundle, messageSignatureBundle, trustedRootJson } from './testonly/bundle.js';
import { certificateChain, clientKey, dsse, dsseEnvelope, hashedrekord, inTotoStatement } from './testonly/fixtures.js';

const driver = testDrivers(process.env.DATABASE_URL).at(-1)!; // pg when available, else PGlite
after(() => driver.cleanup());

describe(`@sigstore/verify accepts our entries (${driver.name}, listening on 127.0.0.1)`, () => {
  let tlog: RunningTlog;
  before(async () => {
    const loc = await driver.location();
    const config = loadConfig({
      SIGNET_TLOG_PORT: '0',
      SIGNET_TLOG_LOG_LEVEL: 'silent',
      ...(loc.url && { DATABASE_URL: loc.url }),
      ...(loc.schema && { SIGNET_TLOG_DATABASE_SCHEMA: loc.schema }),
    });
    tlog = await startTlog(config);
    // some entries first, so that later proofs have hashes
    const k = clientKey();
    for (let i = 0; i < 4; i++) await postEntry(hashedrekord(k, Buffer.from(`filler ${i}`)).proposed);
  });
  after(() => tlog.close());

  async function postEntry(proposed: unknown): Promise<RekorLogEntry> {
    const res = await fetch(`${tlog.url}/api/v1/log/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(proposed),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as RekorLogEntry;
  }

  const keyMaterial = (spki: Uint8Array) =>
    PublicKey.fromJSON({ rawBytes: Buffer.from(spki).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2020-01-01T00:00:00Z' } });

  function verifier(clientSpki?: Uint8Array, caCertsDer?: Uint8Array[]): Verifier {
    const root = TrustedRoot.fromJSON(trustedRootJson({ baseUrl: tlog.url, logSpki: tlog.publicKeyDer, ...(caCertsDer && { caCertsDer }) }));
    const trust = toTrustMaterial(root, clientSpki ? { 'test-key': keyMaterial(clientSpki) } : undefined);
    return new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 1 });
  }

  /** Verifies, or returns the VerificationError's code. */
  function outcome(v: Verifier, bundleJson: unknown, artifact?: Uint8Array): string {
    try {
      v.verify(toSignedEntity(bundleFromJSON(bundleJson), artifact && Buffer.from(artifact)));
      return 'ok';
    } catch (e) {
      return (e as { code?: string }).code ?? String(e);
    }
  }

  /** Tampered copies of a bundle (body, SET, proof hash, checkpoint signature) and the error each must raise. */
  function tamperings(bundle: any): [string, unknown, string][] {
    const clone = () => JSON.parse(JSON.stringify(bundle));
    const flip = (b64: string, at = 10) => {
      const b = Buffer.from(b64, 'base64');
      b[at] = b[at]! ^ 1;
      return b.toString('base64');
    };
    const out: [string, unknown, string][] = [];
    let c = clone();
    const body = JSON.parse(Buffer.from(c.verificationMaterial.tlogEntries[0].canonicalizedBody, 'base64').toString());
    if (body.spec.data) body.spec.data.hash.value = 'ab'.repeat(32);
    else body.spec.payloadHash.value = 'ab'.repeat(32);
    c.verificationMaterial.tlogEntries[0].canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
    out.push(['body', c, 'TLOG_INCLUSION_PROMISE_ERROR']);
    c = clone();
    c.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = flip(c.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp);
    out.push(['SET', c, 'TLOG_INCLUSION_PROMISE_ERROR']);
    c = clone();
    assert.ok(c.verificationMaterial.tlogEntries[0].inclusionProof.hashes.length > 0, 'the proof has hashes');
    c.verificationMaterial.tlogEntries[0].inclusionProof.hashes[0] = flip(c.verificationMaterial.tlogEntries[0].inclusionProof.hashes[0], 0);
    out.push(['proof hash', c, 'TLOG_INCLUSION_PROOF_ERROR']);
    c = clone();
    const cp: string = c.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope;
    const m = /^(— \S+ )(\S+)\n$/m.exec(cp)!;
    c.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope = cp.replace(m[0], `${m[1]}${flip(m[2]!, 12)}\n`);
    out.push(['checkpoint signature', c, 'TLOG_INCLUSION_PROOF_ERROR']);
    return out;
  }

  test('hashedrekord with a local key', async () => {
    const key = clientKey();
    const artifact = Buffer.from('a blob signed with a local key\n');
    const { proposed, signature } = hashedrekord(key, artifact);
    const entry = await postEntry(proposed);
    const bundle = messageSignatureBundle({ entry, artifact, signature });
    const v = verifier(key.spki);
    assert.equal(outcome(v, bundle, artifact), 'ok');
    for (const [name, bad, code] of tamperings(bundle)) assert.equal(outcome(v, bad, artifact), code, `tampered ${name}`);
    assert.equal(outcome(v, bundle, Buffer.from('another artifact\n')), 'SIGNATURE_ERROR', 'another artifact');
    assert.equal(outcome(verifier(clientKey().spki), bundle, artifact), 'SIGNATURE_ERROR', 'another client key');
  });

  test('hashedrekord with a self-made certificate', async () => {
    const key = clientKey();
    const chain = await certificateChain(key, { notBefore: new Date(Date.now() - 60_000) });
    const artifact = Buffer.from('a blob signed with a certificate\n');
    const { proposed, signature } = hashedrekord(key, artifact, { verifierPem: chain.leafPem });
    const entry = await postEntry(proposed);
    const bundle = messageSignatureBundle({ entry, artifact, signature, certificateDer: chain.leafDer });
    const v = verifier(undefined, [chain.rootDer]);
    assert.equal(outcome(v, bundle, artifact), 'ok');
    for (const [name, bad, code] of tamperings(bundle)) assert.equal(outcome(v, bad, artifact), code, `tampered ${name}`);
    assert.equal(outcome(v, bundle, Buffer.from('x')), 'SIGNATURE_ERROR', 'another artifact');
  });

  test('dsse with a local key', async () => {
    const key = clientKey();
    const envelope = dsseEnvelope([key], inTotoStatement('cd'.repeat(32)));
    const entry = await postEntry(dsse(envelope, [key.publicKeyPem]));
    const bundle = dsseBundle({ entry, envelope });
    const v = verifier(key.spki);
    assert.equal(outcome(v, bundle), 'ok');
    for (const [name, bad, code] of tamperings(bundle)) assert.equal(outcome(v, bad), code, `tampered ${name}`);
  });

  test('a trusted root whose baseUrl lacks the checkpoint key name rejects the checkpoint', async () => {
    const key = clientKey();
    const artifact = Buffer.from('name check\n');
    const { proposed, signature } = hashedrekord(key, artifact);
    const bundle = messageSignatureBundle({ entry: await postEntry(proposed), artifact, signature });
    const root = TrustedRoot.fromJSON(trustedRootJson({ baseUrl: 'https://elsewhere.example', logSpki: tlog.publicKeyDer }));
    const v = new Verifier(toTrustMaterial(root, { 'test-key': keyMaterial(key.spki) }), { tlogThreshold: 1, ctlogThreshold: 0 });
    assert.equal(outcome(v, bundle, artifact), 'TLOG_INCLUSION_PROOF_ERROR');
  });
});
