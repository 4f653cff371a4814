// CA throughput: 64 concurrent loopback clients POST /api/v2/signingCert (ES256 tokens from the
// development issuer, P-256 client keys, P-384 ephemeral CA key, no CT log) against the CA process
// started by services/ca/src/main.ts with `workers` node:cluster workers. Prints certs/s, p50, p99.
// Usage: npx tsx scripts/bench-ca.ts [--workers 2] [--seconds 5] [--concurrency 64]
import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestOidc } from '@signet/oidc-dev/testonly';

const { values } = parseArgs({
  options: { workers: { type: 'string', default: '2' }, seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '64' } },
});
const WORKERS = Number(values.workers);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const BODIES = 512;

const idp = await startTestOidc({ alg: 'ES256' });
const dir = mkdtempSync(join(tmpdir(), 'signet-bench-ca-'));
const configPath = join(dir, 'ca.yaml');
writeFileSync(
  configPath,
  `host: 127.0.0.1\nport: 0\nworkers: ${WORKERS}\nlogLevel: warn\ndev:\n  allowHttpIssuers: true\nissuers:\n  oidc-issuers:\n    ${idp.url}:\n      issuer-url: ${idp.url}\n      client-id: sigstore\n      type: email\n`,
);
const main = fileURLToPath(new URL('../services/ca/src/main.ts', import.meta.url));
const ca = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, SIGNET_CA_CONFIG: configPath }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<URL>((resolve, reject) => {
  let out = '';
  ca.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const urls = [...out.matchAll(/listening on (http:\/\/\S+)/g)];
    if (urls.length >= WORKERS) resolve(new URL(urls[0]![1]!));
  });
  ca.on('exit', (code) => reject(new Error(`CA exited (${code})`)));
});

// Precomputed requests: distinct tokens, keys and proofs, cycled (client CPU stays off the clock).
const bodies: string[] = [];
for (let i = 0; i < BODIES; i++) {
  const email = `bench-${i}@example.com`;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = await idp.mint({ email });
  bodies.push(
    JSON.stringify({
      credentials: { oidcIdentityToken: token },
      publicKeyRequest: {
        publicKey: { algorithm: 'ECDSA', content: key.publicKey.export({ format: 'pem', type: 'spki' }) },
        proofOfPossession: sign('sha256', Buffer.from(email), key.privateKey).toString('base64'),
      },
    }),
  );
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: '/api/v2/signingCert', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(seconds: number, record: boolean): Promise<{ ok: number; failed: number; latencies: number[] }> {
  const stopAt = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        const status = await post(bodies[next++ % bodies.length]!);
        if (status === 201) ok++;
        else failed++;
        if (record) latencies.push(performance.now() - t0);
      }
    }),
  );
  return { ok, failed, latencies };
}

await run(1, false); // warm-up: JIT, JWKS cache, connections
const t0 = performance.now();
const { ok, failed, latencies } = await run(SECONDS, true);
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(
  JSON.stringify({
    workers: WORKERS,
    concurrency: CONCURRENCY,
    seconds: Number(elapsed.toFixed(2)),
    certsPerSecond: Math.round(ok / elapsed),
    failed,
    p50ms: Number(pct(50)),
    p99ms: Number(pct(99)),
  }),
);

agent.destroy();
const exited = new Promise((resolve) => ca.once('exit', resolve));
ca.kill('SIGTERM');
await exited;
await idp.close();
rmSync(dir, { recursive: true, force: true });
