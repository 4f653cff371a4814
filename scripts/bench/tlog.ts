// tlog append benchmark: hashedrekord entries carrying Fulcio-like leaf certificates, each signed
// over its own fresh random artifact, POSTed by 64 keep-alive loopback clients to the tlog process
// (services/tlog/src/main.ts) on PostgreSQL, with workers 1 and 2. Every 201 must carry an inclusion
// proof; one answer in 64 is parsed and its proof verified against the returned root.
// Usage: node --import tsx scripts/bench/tlog.ts [--out file.json] [--profile] [--seconds N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKeyPem } from '@signet/pki';
import { freshEntryBody, makeCa, makeClients, type Client } from './lib/fixtures.js';
import { runFloor } from './lib/floor-run.js';
import { runLoad, type BenchRequest } from './lib/load.js';
import { benchSchema, DATABASE_URL, dropSchema } from './lib/pg.js';
import { coresBetween, snapshot, type CpuSnapshot } from './lib/proc.js';
import { profileTable, summarizeProfiles } from './lib/profile.js';
import { hostSpeed, waitQuiet } from './lib/quiet.js';
import { n0, n1, n2, scenario, scenarioNotes, scenarioTable, type Scenario } from './lib/report.js';
import { startBenchTlog } from './lib/service.js';
import { argValue, hasFlag, warmupMs, writeSection } from './lib/cli.js';
import { checkLogEntryAnswer } from './lib/answers.js';
import { guard } from './lib/cleanup.js';

const CONCURRENCY = 64;
const WARMUP_MS = warmupMs();
const WINDOW_MS = Number(argValue('--seconds') ?? '20') * 1000;
const PRESIGNED = Number(argValue('--presigned') ?? '60000');
const TARGET = { perSecond: 4000, p99Ms: 200, text: '≥ 4,000 /s, p99 ≤ 200 ms' };
const profile = hasFlag('--profile');

guard(10 * 60_000);
const tmp = mkdtempSync(join(tmpdir(), 'signet-bench-tlog-'));
const keyPath = join(tmp, 'log-key.pem');
writeFileSync(keyPath, generatePrivateKeyPem('ecdsa-p256-sha256'), { mode: 0o600 });

console.error('tlog: making the CA and 64 client certificates');
const clients: Client[] = await makeClients(await makeCa(), CONCURRENCY);
console.error(`tlog: pre-signing ${PRESIGNED} entries (one fresh artifact and signature each)`);
const t0 = performance.now();
const presigned: Buffer[] = Array.from({ length: PRESIGNED }, (_, i) => freshEntryBody(clients[i % CONCURRENCY]!));
const presignMicros = ((performance.now() - t0) * 1000) / PRESIGNED;
const avgBody = Math.round(presigned.slice(0, 1000).reduce((s, b) => s + b.length, 0) / 1000);


async function run(workers: number, signInWindow: boolean): Promise<{ s: Scenario; profileMd?: string }> {
  const schema = benchSchema('tlog');
  const quiet = await waitQuiet();
  const { svc, profDir } = await startBenchTlog({
    workers,
    env: { SIGNET_TLOG_HOST: '127.0.0.1', DATABASE_URL, SIGNET_TLOG_DATABASE_SCHEMA: schema, SIGNET_TLOG_KEY_FILE: keyPath },
    ...(profile && { profileRoot: tmp }),
  });
  let next = 0;
  let inline = 0;
  let a: CpuSnapshot | undefined;
  let b: CpuSnapshot | undefined;
  try {
    const load = await runLoad({
      url: svc.url,
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: WINDOW_MS,
      next(c): BenchRequest {
        let body: Buffer;
        if (signInWindow || next >= presigned.length) {
          inline++;
          body = freshEntryBody(clients[c]!);
        } else body = presigned[next++]!;
        return { method: 'POST', path: '/api/v1/log/entries', body };
      },
      check: (status, body) => checkLogEntryAnswer(status, 201, body, (next + inline) % 64 === 0),
      onWindowStart: () => (a = snapshot(svc.pid)),
      onWindowEnd: () => (b = snapshot(svc.pid)),
    });
    const name = `tlog POST hashedrekord+cert, workers ${workers}, ${signInWindow ? 'signed inside the window' : 'pre-signed bodies'}`;
    const notes = signInWindow ? [] : inline > 0 ? [`${inline} bodies were signed inside the window (pre-signed pool exhausted)`] : [];
    await svc.stop();
    const s = scenario(name, TARGET, load, coresBetween(a!, b!), quiet, hostSpeed(), notes);
    let profileMd: string | undefined;
    if (profDir !== undefined) profileMd = `#### Profile: ${name}\n\n${profileTable(summarizeProfiles(profDir))}`;
    return { s, ...(profileMd !== undefined && { profileMd }) };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- service output ---\n${svc.output()}`);
  } finally {
    await svc.stop();
    dropSchema(schema);
  }
}

const rows: Scenario[] = [];
const profiles: string[] = [];
try {
  const only = argValue('--workers');
  const plan = ([[1, false], [2, false], [2, true]] as const).filter(([w]) => only === undefined || String(w) === only);
  for (const [workers, inlineSign] of plan) {
    console.error(`tlog: workers ${workers}, ${inlineSign ? 'signing inside the window' : 'pre-signed'}`);
    const r = await run(workers, inlineSign);
    rows.push(r.s);
    if (r.profileMd) profiles.push(r.profileMd);
    console.error(`  → ${n0(r.s.load.perSecond)}/s p50 ${n1(r.s.load.p50)} p99 ${n1(r.s.load.p99)} ms, errors ${r.s.load.errors}`);
  }
  console.error('tlog: floor (certificate parse + verify + SET sign) in 2 processes');
  await waitQuiet();
  const floor = await runFloor('tlog', 2, 4);
  const best = rows.reduce((m, r) => (r.load.perSecond > m.load.perSecond ? r : m));
  const md =
    `Each entry: a hashedrekord v0.0.1 with a fresh random 64-byte artifact, its SHA-256 and a fresh ECDSA P-256 signature by the client's key, ` +
    `and the client's Fulcio-profile leaf certificate (64 clients, 64 distinct certificates: even ones a GitHub Actions identity with 22 Sigstore extensions, odd ones an email identity; P-384 CA). ` +
    `Request body ≈ ${avgBody} B. Pre-signing cost ${n1(presignMicros)} µs per body in the load generator (${n0(PRESIGNED)} made before the runs; the same set is sent to a fresh log per run). ` +
    `Every run gets its own schema; the tlog runs as \`services/tlog/src/main.ts\` (log level warn, file P-256 key, defaults maxBatch 256 / maxAgeMs 5; with workers 2 the cluster primary runs the one sequencer and the two workers forward their appends to it); ${CONCURRENCY} closed-loop keep-alive clients; ` +
    `${WARMUP_MS / 1000} s warm-up, ${WINDOW_MS / 1000} s window. One 201 in 64 is parsed and its inclusion proof verified.\n\n` +
    scenarioTable(rows) +
    scenarioNotes(rows) +
    `\n**Floor** (same cores, 2 processes, no HTTP/DB): certificate PEM parse (\`parseCertificate\`) + \`parsePublicKey\` + \`verifyDigest\` (P-256, prehashed) + SET sign (P-256) = ` +
    `**${n0(floor.perSecond)} /s** (${n0(floor.cpuMicrosPerOp)} CPU µs per entry, ${n2(floor.cores)} cores used). ` +
    `Best HTTP run / floor = **${n2(best.load.perSecond / floor.perSecond)}**; its server+pg CPU per entry / floor CPU per entry = ${n2(best.serverMicrosPerRequest / floor.cpuMicrosPerOp)}.\n` +
    (profiles.length > 0 ? `\n${profiles.join('\n')}` : '');
  writeSection('tlog', md, { rows, floor });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
