import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openSigner, type Signer } from '@signet/pki';
import { TufRepository, writeAirGapBundle } from '@signet/trust';

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
