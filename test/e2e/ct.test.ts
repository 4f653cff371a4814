// Embedded SCTs end to end: a certificate the stack's CA issues carries an SCT from the stack's own
// CT log. OpenSSL shows it; an independent check recomputes the RFC 6962 signed structure from the
// final certificate and finds it in the CT log at the index the SCT names (static-ct-api
// leaf_index); @sigstore/verify at default thresholds accepts the bundle with the trusted
// root, and rejects it when the SCT is altered or when the CT key is not trusted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as sigstore from 'sigstore';
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { CT_OIDS, decodeSct, decodeSctList, issuerKeyHash, parseCertificate, pemEncode, precertTbsForSct, sctSignedData } from '@signet/pki';
import { databaseVariants, startTestStack, type TestStack } from '../helpers/stack.js';

const artifact = Buffer.from('ct e2e artifact\n');
const email = 'dave@example.com';

for (const db of databaseVariants()) {
  describe(`embedded SCTs from the stack on ${db.name}`, () => {
    let stack: TestStack;
    let bundle: SerializedBundle;
    let leafDer: Buffer;
    type KeyEntry = { publicKey: { rawBytes: string }; logId: { keyId: string } };
    let trustedRoot: { ctlogs: KeyEntry[]; tlogs: KeyEntry[]; certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[] };
    const teardown: (() => Promise<void>)[] = [];
    after(async () => {
      for (const fn of teardown) await fn();
    });
    before(async () => {
      stack = await startTestStack({ after: (fn) => teardown.push(fn) }, db.url);
      bundle = await sigstore.sign(artifact, { fulcioURL: stack.info.caUrl, rekorURL: stack.info.tlogUrl, identityProvider: { getToken: () => stack.token(email) } });
      const vm = bundle.verificationMaterial as { x509CertificateChain?: { certificates: { rawBytes: string }[] }; certificate?: { rawBytes: string } };
      leafDer = Buffer.from(vm.x509CertificateChain?.certificates[0]?.rawBytes ?? vm.certificate!.rawBytes, 'base64');
      trustedRoot = JSON.parse(await readFile(stack.info.trustedRootPath, 'utf8'));
    });

    test('openssl shows the CT Precertificate SCTs extension with our CT log ID', async () => {
      const pemPath = join(stack.dataDir, 'leaf.pem');
      await writeFile(pemPath, pemEncode('CERTIFICATE', leafDer));
      const text = execFileSync('openssl', ['x509', '-in', pemPath, '-noout', '-text'], { encoding: 'utf8' });
      assert.match(text, /CT Precertificate SCTs/);
      const logId = Buffer.from(trustedRoot.ctlogs[0]!.logId.keyId, 'base64').toString('hex').toUpperCase();
      const shown = text.replace(/[\s:]/g, '');
      assert.ok(shown.includes(logId), `openssl output should name log ID ${logId}`);
    });

    test('an independent check recomputes the signed structure from the final certificate', () => {
      const leaf = parseCertificate(leafDer);
      const ext = leaf.extensions.find((e) => e.oid === CT_OIDS.sctList);
      assert.ok(ext, 'the leaf has an SCT list extension');
      const [raw] = decodeSctList(ext.value);
      const sct = decodeSct(raw!);
      const ctKeyDer = Buffer.from(trustedRoot.ctlogs[0]!.publicKey.rawBytes, 'base64');
      assert.deepEqual(Buffer.from(sct.logId), createHash('sha256').update(ctKeyDer).digest());
      const chain = trustedRoot.certificateAuthorities[0]!.certChain.certificates;
      const issuer = parseCertificate(Buffer.from(chain[0]!.rawBytes, 'base64'));
      const signed = sctSignedData({ timestamp: sct.timestamp, extensions: sct.extensions, entry: { type: 'precert', issuerKeyHash: issuerKeyHash(issuer.spki), tbs: precertTbsForSct(leafDer) } });
      const key = createPublicKey({ key: ctKeyDer, format: 'der', type: 'spki' });
      assert.equal(verify('sha256', signed, key, sct.signature), true);
      const flipped = Buffer.from(sct.signature);
      flipped[flipped.length - 3]! ^= 1;
      assert.equal(verify('sha256', signed, key, flipped), false);
    });

    test('the SCT names its leaf index (static-ct-api), and the CT log holds exactly the signed structure there', async () => {
      const leaf = parseCertificate(leafDer);
      const sct = decodeSct(decodeSctList(leaf.extensions.find((e) => e.oid === CT_OIDS.sctList)!.value)[0]!);
      const ext = Buffer.from(sct.extensions);
      assert.deepEqual([...ext.subarray(0, 3)], [0, 0, 5], 'one leaf_index extension: type 0, 5 bytes');
      const index = Number(ext.readUIntBE(3, 5));
      const chain = trustedRoot.certificateAuthorities[0]!.certChain.certificates;
      const issuer = parseCertificate(Buffer.from(chain[0]!.rawBytes, 'base64'));
      const signed = sctSignedData({ timestamp: sct.timestamp, extensions: sct.extensions, entry: { type: 'precert', issuerKeyHash: issuerKeyHash(issuer.spki), tbs: precertTbsForSct(leafDer) } });
      const res = await fetch(`${stack.info.ctlogUrl}/ct/v1/get-entries?start=${index}&end=${index}`);
      assert.equal(res.status, 200);
      const { entries } = (await res.json()) as { entries: { leaf_input: string }[] };
      assert.deepEqual(Buffer.from(entries[0]!.leaf_input, 'base64'), Buffer.from(signed));
    });

    test('@sigstore/verify at default thresholds accepts it; an altered SCT or an untrusted CT key is rejected', () => {
      const policy = { subjectAlternativeName: email, extensions: { issuer: stack.info.oidcIssuerUrl } };
      const entity = () => toSignedEntity(bundleFromJSON(bundle), artifact);
      new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot))).verify(entity(), policy);

      // An altered SCT: flip a byte of its signature inside the leaf, keep everything else.
      const leaf = parseCertificate(leafDer);
      const ext = leaf.extensions.find((e) => e.oid === CT_OIDS.sctList)!;
      const at = leafDer.indexOf(Buffer.from(ext.value));
      const tampered = Buffer.from(leafDer);
      tampered[at + ext.value.length - 2]! ^= 1;
      const altered = structuredClone(bundle) as SerializedBundle & { verificationMaterial: Record<string, unknown> };
      const vm = altered.verificationMaterial as { x509CertificateChain?: { certificates: { rawBytes: string }[] }; certificate?: { rawBytes: string } };
      if (vm.x509CertificateChain) vm.x509CertificateChain.certificates[0]!.rawBytes = tampered.toString('base64');
      else vm.certificate!.rawBytes = tampered.toString('base64');
      assert.throws(() => new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot))).verify(toSignedEntity(bundleFromJSON(altered), artifact), policy), /SCT|CERTIFICATE|certificate/i);

      // The CT key is not trusted: a trusted root whose only CT log has another key (the Rekor log's).
      const other = structuredClone(trustedRoot);
      const otherKey = createPublicKey({ key: Buffer.from(trustedRoot.tlogs[0]!.publicKey.rawBytes, 'base64'), format: 'der', type: 'spki' });
      const otherDer = otherKey.export({ format: 'der', type: 'spki' });
      other.ctlogs[0]!.publicKey.rawBytes = otherDer.toString('base64');
      other.ctlogs[0]!.logId.keyId = createHash('sha256').update(otherDer).digest('base64');
      assert.throws(() => new Verifier(toTrustMaterial(TrustedRoot.fromJSON(other))).verify(entity(), policy), (e: { code?: string }) => e.code === 'CERTIFICATE_ERROR');
    });
  });
}
