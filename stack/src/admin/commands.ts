import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openSigner, pemDecode, pemDecodeAll, type Signer } from '@signet/pki';
import { TufRepository, writeAirGapBundle } from '@signet/trust';
import { writeTrustMaterial } from '../trust-material.js';

/**
 * Operator commands over a stack's data directory: the air-gap trust bundle, re-signing the TUF
 * repository's online roles (for a cron job when the stack is not running), and root rotation.
 */
export interface AdminContext {
  dataDir: string;
  now: () => Date;
  out: (line: string) => void;
}

const keyPath = (dataDir: string, name: string) => join(dataDir, 'keys', name);

async function openRepo(ctx: AdminContext, onlineSigner?: Signer): Promise<TufRepository> {
  const signer = onlineSigner ?? (await openSigner({ kind: 'file', path: keyPath(ctx.dataDir, 'tuf-online.pem') }));
  return TufRepository.open({ dir: join(ctx.dataDir, 'tuf'), onlineSigner: signer, now: ctx.now });
}

/** `export-airgap`: one tarball with the TUF repository, trusted_root.json and the signing config. */
export async function exportAirGap(ctx: AdminContext, out: string): Promise<void> {
  await writeAirGapBundle({
    tufDir: join(ctx.dataDir, 'tuf'),
    trustedRoot: await readFile(join(ctx.dataDir, 'trusted_root.json')),
    signingConfig: await readFile(join(ctx.dataDir, 'signing_config.v0.2.json')),
    out,
  });
  ctx.out(`Wrote ${out}: copy it to the offline machine, unpack it, and run`);
  ctx.out('  signet trust init --mirror ./tuf --root ./tuf/1.root.json');
}

/** `tuf-refresh`: re-signs the online roles close to expiry. */
export async function refreshTuf(ctx: AdminContext): Promise<void> {
  const repo = await openRepo(ctx);
  const roles = await repo.refresh();
  ctx.out(roles.length > 0 ? `Re-signed: ${roles.join(', ')}` : 'Nothing to re-sign: every online role has more than half its lifetime left');
}

/**
 * `tuf-rotate-root`: writes root N+1 naming the new root keys (PKCS#8 PEM files) with the given
 * threshold, signed by the current root key(s) and the new ones.
 */
export async function rotateTufRoot(
  ctx: AdminContext,
  args: { currentRootKeys: string[]; newRootKeys: string[]; threshold: number; password?: string },
): Promise<void> {
  const open = (path: string) => openSigner({ kind: 'file', path, ...(args.password !== undefined ? { password: args.password } : {}) });
  const current = await Promise.all((args.currentRootKeys.length > 0 ? args.currentRootKeys : [keyPath(ctx.dataDir, 'tuf-root.pem')]).map(open));
  const next = await Promise.all(args.newRootKeys.map(open));
  const repo = await openRepo(ctx);
  const version = await repo.rotateRoot({ currentRootSigners: current, newRootSigners: next, newThreshold: args.threshold });
  ctx.out(`Published root version ${version} (${next.length} key(s), threshold ${args.threshold}); clients follow it on their next update.`);
  ctx.out('Keep the new root keys offline; the old ones can be retired.');
}

/** Inputs of `trust-material`: the public halves of a deployment's keys and its public URLs. */
export interface TrustMaterialArgs {
  out: string;
  caUrl: string;
  /** PEM file with the CA chain, issuing certificate first, root last. */
  caChain: string;
  tlogUrl: string;
  /** PEM public key of the Rekor-compatible log. */
  tlogKey: string;
  ctlogUrl?: string;
  ctlogKey?: string;
  oidcUrl?: string;
  /** TUF root and online private keys (PKCS#8 PEM); generated into `<out>/keys/` when absent. */
  tufRootKey: string;
  tufOnlineKey: string;
  password?: string;
}

/**
 * `trust-material`: trusted_root.json, signing_config.v0.2.json and a TUF repository publishing both,
 * for a production deployment whose services run separately — built from their public keys, chain
 * and public URLs, with the same code the launcher uses. Re-running it republishes the targets.
 */
export async function buildTrustMaterial(ctx: AdminContext, a: TrustMaterialArgs): Promise<void> {
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch {
      throw new Error(`cannot read the ${what} ${path}`);
    }
  };
  const open = (path: string) => openSigner({ kind: 'file', path, ...(a.password !== undefined ? { password: a.password } : {}) });
  const chain = pemDecodeAll(await read(a.caChain, 'CA chain')).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
  if (chain.length === 0) throw new Error(`${a.caChain} holds no certificate`);
  const [tufRootSigner, tufOnlineSigner] = [await open(a.tufRootKey), await open(a.tufOnlineKey)];
  try {
    const material = await writeTrustMaterial({
      dataDir: a.out,
      urls: { ca: a.caUrl, tlog: a.tlogUrl, ...(a.oidcUrl ? { oidc: a.oidcUrl } : {}) },
      tlogPublicKeyDer: pemDecode(await read(a.tlogKey, 'log public key'), 'PUBLIC KEY'),
      ...(a.ctlogUrl && a.ctlogKey ? { ctlog: { url: a.ctlogUrl, publicKeyDer: pemDecode(await read(a.ctlogKey, 'CT log public key'), 'PUBLIC KEY') } } : {}),
      caChainDer: chain,
      tufRootSigner,
      tufOnlineSigner,
      now: ctx.now,
    });
    ctx.out(`Wrote ${material.trustedRootPath}, ${material.signingConfigPath} and the TUF repository ${material.tufDir}`);
    ctx.out(`Serve ${material.tufDir} as a static site; clients start from ${material.tufRootPath}.`);
  } finally {
    await tufRootSigner.close();
    await tufOnlineSigner.close();
  }
}
