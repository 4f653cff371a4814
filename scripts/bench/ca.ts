// CA benchmark: POST /api/v2/signingCert from 64 keep-alive loopback clients against the CA process
// (services/ca/src/main.ts, P-384 file key, workers 1 and 2): each request carries its own ES256 token
// from the development issuer and its own fresh P-256 key with a proof of possession (both made
// before the window). With CT: the tlog process serves the CT log and the CA embeds its SCT
// (precertificate + add-pre-chain + final certificate per request).
// Usage: node --import tsx scripts/bench/ca.ts [--out file.json] [--profile] [--seconds N] [--requests N]
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOidcApp } from '@signet/oidc-dev';
import { generatePrivateKeyPem, pemEncode, publicKeyPemOf } from '@signet/pki';
import { argValue, hasFlag, warmupMs, writeSection } from './lib/cli.js';
import { guard } from './lib/cleanup.js';
import { makeCa } from './lib/fixtures.js';
import { runFloor } from './lib/floor-run.js';
import { runLoad } from './lib/load.js';
import { benchSchema, DATABASE_URL, dropSchema } from './lib/pg.js';
import { coresBetween, snapshot, treeCpu, type CpuSnapshot } from './lib/proc.js';
import { profileTable, summarizeProfiles } from './lib/profile.js';
import { hostSpeed, waitQuiet } from './lib/quiet.js';
import { n0, n1, n2, scenario, scenarioNotes, scenarioTable, type Scenario } from './lib/report.js';
import { freePort, startService, type Service } from './lib/service.js';

const CONCURRENCY = 64;
const WARMUP_MS = warmupMs();
const WINDOW_MS = Number(argValue('--seconds') ?? '10') * 1000;
const REQUESTS = Number(argValue('--requests') ?? '50000');
const profile = hasFlag('--profile');
const TARGET_PLAIN = { perSecond: 1000, p99Ms: 100, text: '≥ 1,000 /s, p99 ≤ 100 ms' };
const TARGET_CT = { perSecond: 600, p99Ms: 150, text: '≥ 600 /s, p99 ≤ 150 ms' };

guard(10 * 60_000);
const tmp = mkdtempSync(join(tmpdir(), 'signet-bench-ca-'));

// The CA: P-384 intermediate (file backend) under a P-384 root, as the ephemeral backend makes them.
const caMaterial = await makeCa();
const caKeyPath = join(tmp, 'ca-key.pem');
const chainPath = join(tmp, 'ca-chain.pem');
writeFileSync(caKeyPath, caMaterial.keyPem, { mode: 0o600 });
writeFileSync(chainPath, caMaterial.chainDer.map((d) => pemEncode('CERTIFICATE', d)).join(''));
const ctKeyPath = join(tmp, 'ct-key.pem');
const ctKeyPem = generatePrivateKeyPem('ecdsa-p256-sha256');
writeFileSync(ctKeyPath, ctKeyPem, { mode: 0o600 });
const ctPubPath = join(tmp, 'ct-pub.pem');
writeFileSync(ctPubPath, publicKeyPemOf(ctKeyPem));
const tlogKeyPath = join(tmp, 'tlog-key.pem');
writeFileSync(tlogKeyPath, generatePrivateKeyPem('ecdsa-p256-sha256'), { mode: 0o600 });

// The development issuer, served from this process (the CA fetches discovery and JWKS once).
let issuerUrl = '';
const oidc = buildOidcApp({ issuerUrl: () => issuerUrl, now: () => new Date() });
await oidc.listen({ host: '127.0.0.1', port: 0 });
const addr = oidc.server.address();
issuerUrl = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
const issuersPath = join(tmp, 'issuers.json');
writeFileSync(issuersPath, JSON.stringify({ OIDCIssuers: { [issuerUrl]: { IssuerURL: issuerUrl, ClientID: 'sigstore', Type: 'email' } } }));

console.error(`ca: minting ${REQUESTS} tokens and making ${REQUESTS} fresh P-256 keys with proofs of possession`);
const t0 = performance.now();
const bodies: Buffer[] = [];
for (let i = 0; i < REQUESTS; i++) {
  const email = `user${i % CONCURRENCY}@example.com`;
  const { id_token } = await oidc.devIssuer.mint({ email });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const proof = sign('sha256', Buffer.from(email), privateKey).toString('base64');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  bodies.push(
    Buffer.from(
      JSON.stringify({
        credentials: { oidcIdentityToken: id_token },
        publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: pem }, proofOfPossession: proof },
      }),
    ),
  );
}
const prepMicros = ((performance.now() - t0) * 1000) / REQUESTS;

const caEnv = (port: number, workers: number, ctUrl?: string): Record<string, string> => ({
  SIGNET_CA_HOST: '127.0.0.1',
  SIGNET_CA_PORT: String(port),
  SIGNET_CA_WORKERS: String(workers),
  SIGNET_CA_LOG_LEVEL: 'warn',
  SIGNET_CA_ISSUERS_FILE: issuersPath,
  SIGNET_CA_DEV_ALLOW_HTTP_ISSUERS: '1',
  SIGNET_CA_KEY: 'file',
  SIGNET_CA_KEY_FILE: caKeyPath,
  SIGNET_CA_CHAIN_FILE: chainPath,
  SIGNET_CA_CT_URL: ctUrl ?? '',
  ...(ctUrl !== undefined && { SIGNET_CA_CT_PUBLIC_KEY_FILE: ctPubPath }),
});

async function run(workers: number, withCt: boolean): Promise<{ s: Scenario; profileMd?: string }> {
  const schema = benchSchema('ca');
  const profDir = profile ? mkdtempSync(join(tmp, 'prof-')) : undefined;
  const tlogProfDir = profile && withCt ? mkdtempSync(join(tmp, 'prof-tlog-')) : undefined;
  const quiet = await waitQuiet();
  let tlog: Service | undefined;
  let ca: Service | undefined;
  try {
    if (withCt) {
      const tport = await freePort();
      tlog = await startService({
        main: 'services/tlog/src/main.ts',
        port: tport,
        readyPath: '/ct/ct/v1/get-sth',
        ...(tlogProfDir !== undefined && { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', tlogProfDir] }),
        env: {
          SIGNET_TLOG_HOST: '127.0.0.1',
          SIGNET_TLOG_PORT: String(tport),
          DATABASE_URL,
          SIGNET_TLOG_DATABASE_SCHEMA: schema,
          SIGNET_TLOG_KEY_FILE: tlogKeyPath,
          SIGNET_TLOG_CT_ROOTS_FILE: chainPath,
          SIGNET_TLOG_CT_KEY_FILE: ctKeyPath,
          SIGNET_TLOG_LOG_LEVEL: 'warn',
        },
      });
    }
    const port = await freePort();
    ca = await startService({
      main: 'services/ca/src/main.ts',
      port,
      readyPath: '/healthz',
      settleMs: workers > 1 ? 2000 : 200,
      ...(profDir !== undefined && { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profDir] }),
      env: caEnv(port, workers, tlog === undefined ? undefined : `${tlog.url}/ct`),
    });
    let next = 0;
    let reused = 0;
    let a: CpuSnapshot | undefined;
    let b: CpuSnapshot | undefined;
    let tlogCpu = 0;
    const want = withCt ? 'signedCertificateEmbeddedSct' : 'signedCertificateDetachedSct';
    const load = await runLoad({
      url: ca.url,
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: WINDOW_MS,
      next: () => {
        if (next >= bodies.length) reused++;
        return { method: 'POST', path: '/api/v2/signingCert', body: bodies[next++ % bodies.length]! };
      },
      check: (status, body) =>
        status !== 200 && status !== 201 ? `status ${status}: ${body.toString('utf8').slice(0, 200)}` : body.includes(want) && body.includes('BEGIN CERTIFICATE') ? undefined : `201 without ${want}`,
      onWindowStart: () => {
        a = snapshot(ca!.pid);
        if (tlog) tlogCpu = treeCpu(tlog.pid);
      },
      onWindowEnd: () => {
        b = snapshot(ca!.pid);
        if (tlog) tlogCpu = treeCpu(tlog.pid) - tlogCpu;
      },
    });
    const cores = coresBetween(a!, b!);
    const notes: string[] = [];
    if (tlog) {
      // The tlog (CT log) is part of the serving side: count its CPU with the service's.
      const tlogCores = tlogCpu / load.seconds;
      cores.service += tlogCores;
      cores.other = Math.max(0, cores.other - tlogCores);
      notes.push(`service cores include the tlog/CT process (${n2(tlogCores)} cores); tlog workers 1`);
    }
    if (reused > 0) notes.push(`${reused} requests re-sent an earlier token+key (the ${n0(bodies.length)} prepared ones ran out)`);
    const name = `CA signingCert, workers ${workers}, ${withCt ? 'embedded SCT (CT log on the same cores)' : 'no CT'}`;
    await ca.stop();
    await tlog?.stop();
    const s = scenario(name, withCt ? TARGET_CT : TARGET_PLAIN, load, cores, quiet, hostSpeed(), notes);
    let profileMd: string | undefined;
    if (profDir !== undefined) profileMd = `#### Profile: ${name} — CA processes\n\n${profileTable(summarizeProfiles(profDir))}`;
    if (tlogProfDir !== undefined) profileMd += `\n#### Profile: ${name} — tlog process (CT log)\n\n${profileTable(summarizeProfiles(tlogProfDir))}`;
    return { s, ...(profileMd !== undefined && { profileMd }) };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- ca output ---\n${ca?.output() ?? ''}\n--- tlog output ---\n${tlog?.output() ?? ''}`);
  } finally {
    await ca?.stop();
    await tlog?.stop();
    dropSchema(schema);
  }
}

try {
  const rows: Scenario[] = [];
  const profiles: string[] = [];
  const only = argValue('--only');
  const plan = ([[1, false], [2, false], [2, true]] as const).filter(([w, ct]) => only === undefined || only === `${w}${ct ? 'ct' : ''}`);
  for (const [workers, withCt] of plan) {
    console.error(`ca: workers ${workers}, ${withCt ? 'with CT' : 'no CT'}`);
    const r = await run(workers, withCt);
    rows.push(r.s);
    if (r.profileMd) profiles.push(r.profileMd);
    console.error(`  → ${n0(r.s.load.perSecond)}/s p50 ${n1(r.s.load.p50)} p99 ${n1(r.s.load.p99)} ms, errors ${r.s.load.errors}`);
  }
  console.error('ca: floors (P-384 signatures) in 2 processes');
  await waitQuiet();
  const floor = await runFloor('ca', 2, 3);
  const floorCt = await runFloor('ca-ct', 2, 3);
  const ratio = (ct: boolean) => {
    const rs = rows.filter((r) => r.name.includes('embedded') === ct);
    if (rs.length === 0) return '–';
    const best = rs.reduce((m, r) => (r.load.perSecond > m.load.perSecond ? r : m));
    return n2(best.load.perSecond / (ct ? floorCt : floor).perSecond);
  };
  const md =
    `Each request: its own ES256 ID token from the development issuer (email identity) and its own fresh P-256 key with a proof of possession, all made before the runs ` +
    `(${n1(prepMicros)} µs each in the load generator; ${n0(REQUESTS)} prepared). CA: \`services/ca/src/main.ts\`, file backend with a P-384 intermediate under a P-384 root, log level warn. ` +
    `With CT, the tlog process (\`services/tlog/src/main.ts\`, workers 1, fresh schema) serves the CT log with a P-256 key and the CA checks every SCT. ${CONCURRENCY} keep-alive clients, ` +
    `${WARMUP_MS / 1000} s warm-up, ${WINDOW_MS / 1000} s window.\n\n` +
    scenarioTable(rows) +
    scenarioNotes(rows) +
    `\n**Floors** (same cores, 2 processes, the services' own signers and verifier: the native addon when built): one P-384 signature per certificate = **${n0(floor.perSecond)} /s** (${n0(floor.cpuMicrosPerOp)} CPU µs each, ${n2(floor.cores)} cores); ` +
    `with CT, two P-384 signatures + the CT log's P-384 verification of the precertificate + one P-256 SCT signature + its P-256 verification by the CA = **${n0(floorCt.perSecond)} /s** (${n0(floorCt.cpuMicrosPerOp)} CPU µs, ${n2(floorCt.cores)} cores). ` +
    `Best run / floor: no CT ${ratio(false)}, with CT ${ratio(true)}.\n` +
    (profiles.length > 0 ? `\n${profiles.join('\n')}` : '');
  writeSection('ca', md, { rows, floor, floorCt });
} finally {
  await oidc.close();
  rmSync(tmp, { recursive: true, force: true });
}
