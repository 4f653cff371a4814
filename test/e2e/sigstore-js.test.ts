// The real JavaScript Sigstore client against the running stack: sigstore 4.x sign() and attest()
// with a token from the development issuer, then @sigstore/verify at its DEFAULT thresholds (one
// SCT, one log entry, one timestamp) from the trusted-root file and again through the TUF mirror,
// with an identity policy. Tampered artifacts, wrong identities and issuers, and altered inclusion
// proofs must each fail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as sigstore from 'sigstore';
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { databaseVariants, startTestStack, type TestStack } from '../helpers/stack.js';

const artifact = Buffer.from('an artifact worth signing\n');
const email = 'alice@example.com';

async function verifierFor(stack: TestStack): Promise<Verifier> {
  const root = TrustedRoot.fromJSON(JSON.parse(await readFile(stack.info.trustedRootPath, 'utf8')));
  return new Verifier(toTrustMaterial(root)); // default thresholds: ctlog 1, tlog 1, timestamp 1
}

function policy(stack: TestStack, san = email, issuer = stack.info.oidcIssuerUrl) {
  return { subjectAlternativeName: san, extensions: { issuer } };
}

function signOptions(stack: TestStack) {
  return { fulcioURL: stack.info.caUrl, rekorURL: stack.info.tlogUrl, identityProvider: { getToken: () => stack.token(email) } };
}

const rejects = (fn: () => unknown, code: RegExp) => assert.throws(fn, (e: { code?: string }) => code.test(String(e.code)));

for (const db of databaseVariants()) {
  describe(`sigstore-js against the stack on ${db.name}`, () => {
    let stack: TestStack;
    const teardown: (() => Promise<void>)[] = [];
    after(async () => {
      for (const fn of teardown) await fn();
    });
    before(async () => {
      stack = await startTestStack({ after: (fn) => teardown.push(fn) }, db.url);
    });
    test('sign(): a message signature verifies at default thresholds, and tampering fails', async () => {
      // An earlier entry, so that this one's inclusion proof has a sibling hash to alter.
      await sigstore.sign(Buffer.from('an earlier artifact'), signOptions(stack));
      const bundle = await sigstore.sign(artifact, signOptions(stack));
      const verifier = await verifierFor(stack);
      const signer = verifier.verify(toSignedEntity(bundleFromJSON(bundle), artifact), policy(stack));
      assert.equal(signer.identity?.subjectAlternativeName, email);
      assert.equal(signer.identity?.extensions?.issuer, stack.info.oidcIssuerUrl);

      rejects(() => verifier.verify(toSignedEntity(bundleFromJSON(bundle), Buffer.from('tampered')), policy(stack)), /SIGNATURE_ERROR/);
      rejects(() => verifier.verify(toSignedEntity(bundleFromJSON(bundle), artifact), policy(stack, 'mallory@example.com')), /UNTRUSTED_SIGNER_ERROR/);
      rejects(() => verifier.verify(toSignedEntity(bundleFromJSON(bundle), artifact), policy(stack, email, 'https://accounts.example.com')), /UNTRUSTED_SIGNER_ERROR/);

      const altered = structuredClone(bundle) as SerializedBundle;
      const proof = altered.verificationMaterial.tlogEntries[0]!.inclusionProof!;
      const sibling = Buffer.from(proof.hashes[0]!, 'base64');
      sibling[0]! ^= 1;
      proof.hashes[0] = sibling.toString('base64');
      rejects(() => verifier.verify(toSignedEntity(bundleFromJSON(altered), artifact), policy(stack)), /TLOG_INCLUSION_PROOF_ERROR/);
    });

    test('attest(): a DSSE in-toto attestation verifies, and a wrong identity fails', async () => {
      const statement = Buffer.from(JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'artifact', digest: { sha256: '0'.repeat(64) } }],
        predicateType: 'https://slsa.dev/provenance/v1',
        predicate: { buildDefinition: { buildType: 'https://example.com/build' } },
      }));
      // Two signatures in the same log, so the second entry's proof has sibling hashes.
      await sigstore.sign(artifact, signOptions(stack));
      const bundle = await sigstore.attest(statement, 'application/vnd.in-toto+json', signOptions(stack));
      assert.equal(bundle.verificationMaterial.tlogEntries[0]?.kindVersion?.kind, 'dsse');
      const verifier = await verifierFor(stack);
      verifier.verify(toSignedEntity(bundleFromJSON(bundle)), policy(stack));
      rejects(() => verifier.verify(toSignedEntity(bundleFromJSON(bundle)), policy(stack, 'bob@example.com')), /UNTRUSTED_SIGNER_ERROR/);

      const altered = structuredClone(bundle) as SerializedBundle;
      const proof = altered.verificationMaterial.tlogEntries[0]!.inclusionProof!;
      const h = Buffer.from(proof.hashes[0]!, 'base64');
      h[5]! ^= 0x80;
      proof.hashes[0] = h.toString('base64');
      rejects(() => verifier.verify(toSignedEntity(bundleFromJSON(altered)), policy(stack)), /TLOG_INCLUSION_PROOF_ERROR/);
    });

    test('verify() through the TUF mirror with an identity policy', async () => {
      const bundle = await sigstore.sign(artifact, signOptions(stack));
      const tuf = { tufMirrorURL: stack.info.tufUrl, tufRootPath: stack.info.tufRootPath, tufCachePath: join(stack.dataDir, 'tuf-cache') };
      const signer = await sigstore.verify(bundle, artifact, { ...tuf, certificateIdentityEmail: email, certificateIssuer: stack.info.oidcIssuerUrl });
      assert.equal(signer.identity?.subjectAlternativeName, email);
      await assert.rejects(sigstore.verify(bundle, Buffer.from('tampered'), { ...tuf, certificateIdentityEmail: email, certificateIssuer: stack.info.oidcIssuerUrl }));
      await assert.rejects(sigstore.verify(bundle, artifact, { ...tuf, certificateIdentityEmail: 'eve@example.com', certificateIssuer: stack.info.oidcIssuerUrl }));
    });
  });
}
