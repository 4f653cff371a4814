import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCertificate, type Signer } from '@signet/pki';
import { buildSigningConfig, buildTrustedRoot, TufRepository } from '@signet/trust';

/**
 * The stack's trust material, generated from its running configuration: `trusted_root.json`,
 * `signing_config.v0.2.json`, and a TUF repository publishing both, all under the data directory.
 */
export interface TrustMaterialInput {
  dataDir: string;
  urls: { ca: string; tlog: string; oidc?: string };
  tlogPublicKeyDer: Uint8Array;
  /** The CT log whose SCTs the CA embeds; absent when the CA runs without CT (detached SCTs). */
  ctlog?: { url: string; publicKeyDer: Uint8Array };
  /** DER certificates, issuing intermediate first, root last. */
  caChainDer: Uint8Array[];
  tufRootSigner: Signer;
  tufOnlineSigner: Signer;
  now: () => Date;
}

export interface TrustMaterial {
  trustedRootPath: string;
  signingConfigPath: string;
  tufDir: string;
  /** The initial TUF root clients start from (`tufRootPath` in stack.json). */
  tufRootPath: string;
  repository: TufRepository;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Writes the files, creating the TUF repository on first start and republishing when they change. */
export async function writeTrustMaterial(input: TrustMaterialInput): Promise<TrustMaterial> {
  const root = input.caChainDer.at(-1);
  if (!root) throw new Error('the CA chain is empty');
  // Everything was made together with the CA on first start: its notBefore is a stable validity start.
  const start = parseCertificate(root).notBefore;
  const operator = 'signet (development stack)';
  const trustedRoot = buildTrustedRoot({
    certificateAuthorities: [{ uri: input.urls.ca, subject: { organization: 'Signet', commonName: 'Signet development intermediate' }, chainDer: input.caChainDer, validFor: { start } }],
    tlogs: [{ baseUrl: input.urls.tlog, publicKeyDer: input.tlogPublicKeyDer, keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } }],
    ctlogs: input.ctlog ? [{ baseUrl: input.ctlog.url, publicKeyDer: input.ctlog.publicKeyDer, keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } }] : [],
  });
  const service = (url: string, majorApiVersion: number) => ({ url, majorApiVersion, validFor: { start }, operator });
  const signingConfig = buildSigningConfig({
    caUrls: [service(input.urls.ca, 1)],
    oidcUrls: input.urls.oidc ? [service(input.urls.oidc, 1)] : [],
    rekorTlogUrls: [service(input.urls.tlog, 1)],
    tsaUrls: [],
  });
  const files = {
    'trusted_root.json': Buffer.from(`${JSON.stringify(trustedRoot, null, 2)}\n`),
    'signing_config.v0.2.json': Buffer.from(`${JSON.stringify(signingConfig, null, 2)}\n`),
  };
  await mkdir(input.dataDir, { recursive: true });
  const trustedRootPath = join(input.dataDir, 'trusted_root.json');
  const signingConfigPath = join(input.dataDir, 'signing_config.v0.2.json');
  const changed = !(await readFile(trustedRootPath).then((b) => b.equals(files['trusted_root.json']), () => false)) ||
    !(await readFile(signingConfigPath).then((b) => b.equals(files['signing_config.v0.2.json']), () => false));
  await writeFile(trustedRootPath, files['trusted_root.json']);
  await writeFile(signingConfigPath, files['signing_config.v0.2.json']);

  const tufDir = join(input.dataDir, 'tuf');
  const repoOpts = { dir: tufDir, onlineSigner: input.tufOnlineSigner, now: input.now };
  let repository: TufRepository;
  if (await exists(join(tufDir, 'root.json'))) {
    repository = await TufRepository.open(repoOpts);
    if (changed) await repository.publishTargets(files);
    await repository.refresh();
  } else {
    repository = await TufRepository.create({ ...repoOpts, rootSigners: [input.tufRootSigner], rootThreshold: 1, targets: files });
  }
  return { trustedRootPath, signingConfigPath, tufDir, tufRootPath: join(tufDir, '1.root.json'), repository };
}
