// Test material shared by the benchmarks: a Fulcio-like P-384 CA chain made by the CA service's own
// code, Fulcio-profile leaf certificates made with @signet/pki, one P-256 key per client, and
// Rekor hashedrekord request bodies signed over fresh random artifacts.
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { createEphemeralCa, type EphemeralCaMaterial } from '@signet/ca';
import {
  EphemeralSigner,
  issueCertificate,
  issuerInfoFromCertificate,
  leafTemplate,
  pemEncode,
  randomSerial,
  SIGSTORE_OIDS as O,
} from '@signet/pki';

/** A client of the tlog benchmark: its key and its leaf certificate. */
export interface Client {
  key: KeyObject;
  certPem: string;
  /** base64 of the certificate PEM: the hashedrekord `publicKey.content`. */
  certContentB64: string;
  /** The SAN the certificate carries. */
  identity: string;
}

/** Makes the CA (intermediate key PEM + chain, as the CA's ephemeral backend does). */
export async function makeCa(): Promise<EphemeralCaMaterial & { chainDer: Uint8Array[] }> {
  const m = await createEphemeralCa(new Date());
  return { ...m, chainDer: m.chainB64.map((b) => new Uint8Array(Buffer.from(b, 'base64'))) };
}

/** Sigstore extensions of a GitHub Actions identity (what Fulcio puts in such certificates). */
function githubExtensions(i: number): { oid: string; value: string }[] {
  const repo = `org${i}/repo${i}`;
  const wf = `https://github.com/${repo}/.github/workflows/release.yml@refs/heads/main`;
  const sha = createHash('sha1').update(String(i)).digest('hex');
  const pairs: [string, string][] = [
    [O.Issuer, 'https://token.actions.githubusercontent.com'], [O.GithubWorkflowTrigger, 'push'], [O.GithubWorkflowSHA, sha],
    [O.GithubWorkflowName, 'release'], [O.GithubWorkflowRepository, repo], [O.GithubWorkflowRef, 'refs/heads/main'],
    [O.IssuerV2, 'https://token.actions.githubusercontent.com'], [O.BuildSignerURI, wf], [O.BuildSignerDigest, sha],
    [O.RunnerEnvironment, 'github-hosted'], [O.SourceRepositoryURI, `https://github.com/${repo}`], [O.SourceRepositoryDigest, sha],
    [O.SourceRepositoryRef, 'refs/heads/main'], [O.SourceRepositoryIdentifier, String(1000 + i)], [O.SourceRepositoryOwnerURI, `https://github.com/org${i}`],
    [O.SourceRepositoryOwnerIdentifier, String(2000 + i)], [O.BuildConfigURI, wf], [O.BuildConfigDigest, sha], [O.BuildTrigger, 'push'],
    [O.RunInvocationURI, `https://github.com/${repo}/actions/runs/${i}/attempts/1`], [O.SourceRepositoryVisibilityAtSigning, 'public'],
    [O.TokenSubject, `repo:${repo}:ref:refs/heads/main`],
  ];
  return pairs.map(([oid, value]) => ({ oid, value }));
}

/**
 * `n` clients, each with a fresh P-256 key and its own leaf certificate from the CA: even ones a
 * GitHub Actions workflow identity (22 Sigstore extensions), odd ones an email identity.
 */
export async function makeClients(ca: EphemeralCaMaterial & { chainDer: Uint8Array[] }, n: number): Promise<Client[]> {
  const issuer = issuerInfoFromCertificate(ca.chainDer[0]!, new EphemeralSigner(createPrivateKey(ca.keyPem)));
  const out: Client[] = [];
  for (let i = 0; i < n; i++) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const github = i % 2 === 0;
    const identity = github ? `https://github.com/org${i}/repo${i}/.github/workflows/release.yml@refs/heads/main` : `user${i}@example.com`;
    const template = leafTemplate(
      {
        subjectAltName: github ? { type: 'uri', value: identity } : { type: 'email', value: identity },
        sigstoreExtensions: github
          ? githubExtensions(i)
          : [
              { oid: O.Issuer, value: 'https://accounts.google.com' },
              { oid: O.IssuerV2, value: 'https://accounts.google.com' },
            ],
        publicKeySpki: spki,
        notBefore: new Date(),
        validitySeconds: 3600,
        serial: randomSerial(),
      },
      issuer,
    );
    const der = await issueCertificate(template, issuer);
    const certPem = pemEncode('CERTIFICATE', der);
    out.push({ key: privateKey, certPem, certContentB64: Buffer.from(certPem, 'utf8').toString('base64'), identity });
  }
  return out;
}

/** A hashedrekord v0.0.1 ProposedEntry signed by `c` over a fresh random 64-byte artifact. */
export function freshEntryBody(c: Client): Buffer {
  const artifact = randomBytes(64);
  const digest = createHash('sha256').update(artifact).digest('hex');
  const signature = sign('sha256', artifact, c.key).toString('base64');
  return Buffer.from(
    `{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"${digest}"}},` +
      `"signature":{"content":"${signature}","publicKey":{"content":"${c.certContentB64}"}}}}`,
  );
}
