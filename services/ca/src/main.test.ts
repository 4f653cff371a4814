// The process entry point: config file + environment, node:cluster workers sharing one ephemeral
// CA handed over IPC, graceful shutdown on SIGTERM.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestOidc, startTestOidc } from '@signet/oidc-dev/testonly';
import { KEY_TYPES, v2KeyBody } from './http/testonly/harness.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
let idp: TestOidc;
let dir: string;
before(async () => {
  idp = await startTestOidc();
  dir = mkdtempSync(join(tmpdir(), 'signet-ca-main-'));
});
after(async () => {
  await idp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Spawns main.ts and resolves once `n` "listening on" lines appeared, with their URLs. */
function spawnMain(env: Record<string, string>, n: number): Promise<{ child: ChildProcess; urls: string[]; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const urls = [...out.matchAll(/listening on (http:\/\/\S+)/g)].map((m) => m[1]!);
      if (urls.length >= n) resolve({ child, urls, output: () => out });
    };
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`main exited early (${code}): ${out}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('main.ts', () => {
  it('two cluster workers serve one ephemeral CA; SIGTERM drains and exits 0', async () => {
    const config = join(dir, 'ca.yaml');
    writeFileSync(
      config,
      `host: 127.0.0.1\nport: 0\nworkers: 2\nlogLevel: warn\ndev:\n  allowHttpIssuers: true\nissuers:\n  oidc-issuers:\n    ${idp.url}:\n      issuer-url: ${idp.url}\n      client-id: sigstore\n      type: email\n`,
    );
    const { child, urls } = await spawnMain({ SIGNET_CA_CONFIG: config }, 2);
    try {
      assert.equal(new Set(urls).size, 1, 'workers share the port');
      const bundles = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${urls[0]}/api/v2/trustBundle`, { headers: { connection: 'close' } });
        bundles.add(await res.text());
      }
      assert.equal(bundles.size, 1, 'every worker serves the same chain');
      const token = await idp.mint({ email: 'cluster@example.com' });
      const res = await fetch(`${urls[0]}/api/v2/signingCert`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(v2KeyBody(token, KEY_TYPES['ECDSA P-256']!(), 'cluster@example.com')),
      });
      assert.equal(res.status, 200);
      const chain = ((await res.json()) as { signedCertificateDetachedSct: { chain: { certificates: string[] } } }).signedCertificateDetachedSct.chain.certificates;
      assert.equal(`${chain[1]}\n`, JSON.parse([...bundles][0]!).chains[0].certificates[0]);
    } finally {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('exits 1 listing every configuration problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, SIGNET_CA_PORT: 'abc', SIGNET_CA_KEY: 'kms', SIGNET_CA_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    assert.equal(await exitOf(child), 1);
    assert.match(err, /port/);
    assert.match(err, /key\.kind/);
    assert.match(err, /issuers/);
  });
});
