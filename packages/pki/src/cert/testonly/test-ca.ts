// Test-only certificate authorities: deterministic Ed25519 keys and ready root → intermediate
// chains, for the certificate tests of this package and of the CA, log and client.
import { createPrivateKey } from 'node:crypto';
import { EphemeralSigner } from '../../keys/ephemeral.js';
import type { SignatureAlgorithm } from '../../keys/signer.js';
import { createIntermediateCa, createRootCa, type IssuerInfo, issuerInfoFromCertificate, issueCertificate } from '../build.js';
import { type ParsedCertificate, parseCertificate } from '../parse.js';
import { leafTemplate, type LeafProfileInput } from '../profile.js';
import { SIGSTORE_OIDS } from '../oids.js';

/** An Ed25519 signer whose key is derived from a 32-byte seed (the same bytes give the same key). */
export function ed25519SignerFromSeed(seed: Uint8Array): EphemeralSigner {
  if (seed.length !== 32) throw new Error('Ed25519 seed must be 32 bytes');
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return new EphemeralSigner(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
}

/** A two-level test CA. */
export interface TestCa {
  rootSigner: EphemeralSigner;
  intermediateSigner: EphemeralSigner;
  rootDer: Uint8Array;
  intermediateDer: Uint8Array;
  root: ParsedCertificate;
  intermediate: ParsedCertificate;
  /** Issues leaves as the intermediate. */
  issuer: IssuerInfo;
}

/**
 * Root → intermediate with fresh keys (default ECDSA P-384 for both, like Fulcio's public
 * instance), valid from `notBefore` (default one hour ago) for a year.
 */
export async function createTestCa(
  opts: { rootAlgorithm?: SignatureAlgorithm; intermediateAlgorithm?: SignatureAlgorithm; notBefore?: Date } = {},
): Promise<TestCa> {
  const notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
  const rootSigner = EphemeralSigner.generate(opts.rootAlgorithm ?? 'ecdsa-p384-sha384');
  const intermediateSigner = EphemeralSigner.generate(opts.intermediateAlgorithm ?? 'ecdsa-p384-sha384');
  const rootDer = await createRootCa({
    signer: rootSigner,
    subject: { commonName: 'signet-test-root', organization: 'signet.test' },
    notBefore,
    validitySeconds: 365 * 86400,
    serial: 1n,
  });
  const rootInfo = issuerInfoFromCertificate(rootDer, rootSigner);
  const intermediateDer = await createIntermediateCa({
    signer: intermediateSigner,
    issuer: rootInfo,
    subject: { commonName: 'signet-test-intermediate', organization: 'signet.test' },
    notBefore,
    validitySeconds: 365 * 86400,
    serial: 2n,
  });
  return {
    rootSigner,
    intermediateSigner,
    rootDer,
    intermediateDer,
    root: parseCertificate(rootDer),
    intermediate: parseCertificate(intermediateDer),
    issuer: issuerInfoFromCertificate(intermediateDer, intermediateSigner),
  };
}

/** Issues an email leaf for `spki` from `ca` (fields overridable), valid from now - 1 min. */
export async function issueTestLeaf(ca: TestCa, spki: Uint8Array, over: Partial<LeafProfileInput> = {}): Promise<Uint8Array> {
  const template = leafTemplate(
    {
      subjectAltName: { type: 'email', value: 'signer@example.com' },
      sigstoreExtensions: [
        { oid: SIGSTORE_OIDS.Issuer, value: 'https://oidc.example.com' },
        { oid: SIGSTORE_OIDS.IssuerV2, value: 'https://oidc.example.com' },
      ],
      publicKeySpki: spki,
      notBefore: new Date(Date.now() - 60_000),
      serial: 0x1234n,
      ...over,
    },
    ca.issuer,
  );
  return issueCertificate(template, ca.issuer);
}
