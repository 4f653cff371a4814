import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKeyPem, openSigner, pemEncode } from '@signet/pki';
import { TufRepository } from '@signet/trust';
import { ensureStackKeys } from '../keys.js';
import { buildTrustMaterial } from './commands.js';

test('trust-material builds the trust files of a separately run deployment from its public halves', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-admin-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const keys = await ensureStackKeys(join(dir, 'keys-source'), new Date());
  const pub = async (keyPath: string, name: string) => {
    const signer = await openSigner({ kind: 'file', path: keyPath });
    await writeFile(join(dir, name), pemEncode('PUBLIC KEY', signer.publicKeyDer));
    return join(dir, name);
  };
  const [tufRoot, tufOnline] = [join(dir, 'tuf-root.pem'), join(dir, 'tuf-online.pem')];
  await writeFile(tufRoot, generatePrivateKeyPem('ecdsa-p256-sha256', 'pw'));
  await writeFile(tufOnline, generatePrivateKeyPem('ecdsa-p256-sha256', 'pw'));
  const lines: string[] = [];
  const out = join(dir, 'trust');
  await buildTrustMaterial(
    { dataDir: dir, now: () => new Date(), out: (l) => lines.push(l) },
    {
      out,
      caUrl: 'https://ca.example.com',
      caChain: keys.caChainPath,
      tlogUrl: 'https://log.example.com',
      tlogKey: await pub(keys.tlogKeyPath, 'tlog.pub'),
      ctlogUrl: 'https://log.example.com/ct',
      ctlogKey: await pub(keys.ctKeyPath, 'ct.pub'),
      oidcUrl: 'https://dex.example.com',
      tufRootKey: tufRoot,
      tufOnlineKey: tufOnline,
      password: 'pw',
    },
  );
  const root = JSON.parse(await readFile(join(out, 'trusted_root.json'), 'utf8'));
  assert.equal(root.tlogs[0].baseUrl, 'https://log.example.com');
  assert.equal(root.ctlogs[0].baseUrl, 'https://log.example.com/ct');
  assert.equal(root.certificateAuthorities[0].uri, 'https://ca.example.com');
  assert.equal(root.certificateAuthorities[0].certChain.certificates.length, 2);
  const signing = JSON.parse(await readFile(join(out, 'signing_config.v0.2.json'), 'utf8'));
  assert.equal(signing.oidcUrls[0].url, 'https://dex.example.com');
  const online = await openSigner({ kind: 'file', path: tufOnline, password: 'pw' });
  assert.equal((await TufRepository.open({ dir: join(out, 'tuf'), onlineSigner: online, now: () => new Date() })).rootVersion, 1);
  assert.match(lines.join('\n'), /TUF repository/);
  await assert.rejects(
    buildTrustMaterial({ dataDir: dir, now: () => new Date(), out: () => undefined }, { out, caUrl: 'x', caChain: join(dir, 'missing.pem'), tlogUrl: 'x', tlogKey: 'x', tufRootKey: tufRoot, tufOnlineKey: tufOnline, password: 'pw' }),
    /cannot read the CA chain/,
  );
});
