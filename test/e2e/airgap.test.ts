// The air-gap path: the operator exports one tarball from a stack's data directory; on an offline
// machine the client trusts the unpacked TUF repository as a file mirror and verifies a bundle
// with no network at all. Root rotation published by the operator is followed by that mirror.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTrustedRoot, trustInit } from '@signet/client';
import { generatePrivateKeyPem } from '@signet/pki';
import { ensureStackKeys, exportAirGap, openStackSigner, readChainDer, rotateTufRoot, writeTrustMaterial } from '@signet/stack';

test('export-airgap → offline trust init from the unpacked directory; a rotated root is followed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-airgap-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const keys = await ensureStackKeys(dataDir, new Date());
  const tlogKey = await openStackSigner(keys.tlogKeyPath);
  await writeTrustMaterial({
    dataDir,
    urls: { ca: 'http://127.0.0.1:5555', tlog: 'http://127.0.0.1:3000' },
    tlogPublicKeyDer: tlogKey.publicKeyDer,
    caChainDer: await readChainDer(keys.caChainPath),
    tufRootSigner: await openStackSigner(keys.tufRootKeyPath),
    tufOnlineSigner: await openStackSigner(keys.tufOnlineKeyPath),
    now: () => new Date(),
  });
  const lines: string[] = [];
  const ctx = { dataDir, now: () => new Date(), out: (l: string) => lines.push(l) };

  const newRoot = join(dir, 'new-root.pem');
  await writeFile(newRoot, generatePrivateKeyPem('ecdsa-p256-sha256'));
  await rotateTufRoot(ctx, { currentRootKeys: [], newRootKeys: [newRoot], threshold: 1 });
  assert.match(lines.join('\n'), /root version 2/);

  const bundle = join(dir, 'trust.tar.gz');
  await exportAirGap(ctx, bundle);
  const offline = join(dir, 'offline');
  await mkdir(offline);
  execFileSync('tar', ['-xzf', bundle, '-C', offline]);

  const root = await trustInit({ kind: 'tuf', mirror: join(offline, 'tuf'), rootPath: join(offline, 'tuf', '1.root.json') }, join(dir, 'client-state'));
  const summary = describeTrustedRoot(root);
  assert.ok(summary.some((l) => l.startsWith('tlog')), summary.join('\n'));
  assert.ok(summary.some((l) => l.startsWith('CA')), summary.join('\n'));
});
