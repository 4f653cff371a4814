// Micro-benchmark of certificate assembly (run: npx tsx packages/pki/src/cert/issue.bench.ts).
// Reports CPU µs per leaf for: template + precertificate TBS + final TBS + both assembled
// certificates (no signature), the same with two real ECDSA P-384 signatures, and parse + chain
// verification of the result. A few seconds in total; not part of `npm test`.
import { EphemeralSigner } from '../keys/ephemeral.js';
import { assembleCertificate, encodeTbsCertificate, issueCertificate, SIGNATURE_ALGORITHM_IDS } from './build.js';
import { verifyChain } from './chain.js';
import { encodeSctList } from './ct.js';
import { SIGSTORE_OIDS as O } from './oids.js';
import { parseCertificate } from './parse.js';
import { leafTemplate, randomSerial, type LeafProfileInput } from './profile.js';
import { createTestCa } from './testonly/test-ca.js';

const ca = await createTestCa();
const leafKey = EphemeralSigner.generate('ecdsa-p256-sha256');
const sctList = encodeSctList([new Uint8Array(119)]);
const wf = 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main';
const sha = 'a'.repeat(40);

/** A GitHub Actions identity: every Sigstore extension Fulcio emits for it (22). */
function githubInput(i: number): LeafProfileInput {
  const pairs: [string, string][] = [
    [O.Issuer, 'https://token.actions.githubusercontent.com'], [O.GithubWorkflowTrigger, 'push'], [O.GithubWorkflowSHA, sha],
    [O.GithubWorkflowName, 'release'], [O.GithubWorkflowRepository, 'org/repo'], [O.GithubWorkflowRef, 'refs/heads/main'],
    [O.IssuerV2, 'https://token.actions.githubusercontent.com'], [O.BuildSignerURI, wf], [O.BuildSignerDigest, sha],
    [O.RunnerEnvironment, 'github-hosted'], [O.SourceRepositoryURI, 'https://github.com/org/repo'], [O.SourceRepositoryDigest, sha],
    [O.SourceRepositoryRef, 'refs/heads/main'], [O.SourceRepositoryIdentifier, '123456'], [O.SourceRepositoryOwnerURI, 'https://github.com/org'],
    [O.SourceRepositoryOwnerIdentifier, '7890'], [O.BuildConfigURI, wf], [O.BuildConfigDigest, sha], [O.BuildTrigger, 'push'],
    [O.RunInvocationURI, `https://github.com/org/repo/actions/runs/${i}/attempts/1`], [O.SourceRepositoryVisibilityAtSigning, 'public'],
    [O.TokenSubject, 'repo:org/repo:ref:refs/heads/main'],
  ];
  return {
    subjectAltName: { type: 'uri', value: wf },
    sigstoreExtensions: pairs.map(([oid, value]) => ({ oid, value })),
    publicKeySpki: leafKey.publicKeyDer,
    notBefore: new Date(),
    serial: randomSerial(),
  };
}

function emailInput(): LeafProfileInput {
  return {
    subjectAltName: { type: 'email', value: 'someone@example.com' },
    sigstoreExtensions: [
      { oid: O.Issuer, value: 'https://accounts.google.com' },
      { oid: O.IssuerV2, value: 'https://accounts.google.com' },
      { oid: O.TokenSubject, value: 'someone@example.com' },
    ],
    publicKeySpki: leafKey.publicKeyDer,
    notBefore: new Date(),
    serial: randomSerial(),
  };
}

const fakeSignature = new Uint8Array(103).fill(7);
const algId = SIGNATURE_ALGORITHM_IDS[ca.issuer.signer.algorithm];

function cpuMicros(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i);
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / n;
}

for (const [name, make] of [['email identity (3 Sigstore ext.)', emailInput], ['GitHub Actions identity (22 Sigstore ext.)', githubInput]] as const) {
  const us = cpuMicros(30000, (i) => {
    const t = leafTemplate(make(i), ca.issuer);
    assembleCertificate(encodeTbsCertificate(t, ca.issuer, { precertificate: true }), algId, fakeSignature);
    return assembleCertificate(encodeTbsCertificate(t, ca.issuer, { sctList }), algId, fakeSignature);
  });
  console.log(`${name}: template + precert + final, no signature: ${us.toFixed(1)} µs/leaf (${(us / 2).toFixed(1)} µs per certificate)`);
}

{
  const n = 200;
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = leafTemplate(githubInput(i), ca.issuer);
    await issueCertificate(t, ca.issuer, { precertificate: true });
    await issueCertificate(t, ca.issuer, { sctList });
  }
  const u = process.cpuUsage(t0);
  console.log(`GitHub leaf, precert + final, 2 × ECDSA P-384 signature: ${((u.user + u.system) / n).toFixed(0)} µs/leaf`);
}

{
  const der = await issueCertificate(leafTemplate(githubInput(1), ca.issuer), ca.issuer, { sctList });
  const parseUs = cpuMicros(20000, () => parseCertificate(der));
  const chainUs = cpuMicros(500, () => verifyChain(parseCertificate(der), [ca.intermediate], [ca.root], new Date()));
  console.log(`parseCertificate (GitHub leaf): ${parseUs.toFixed(1)} µs; parse + verifyChain of a fresh leaf (1 P-384 verification, CA links cached): ${chainUs.toFixed(0)} µs`);
}
