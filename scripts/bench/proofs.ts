// Inclusion-proof read benchmark: a log of 1,000,000 hashedrekord entries built through the log
// engine with large batches (not HTTP), then `GET /api/v1/log/entries?logIndex=N` at random N from 64
// keep-alive clients against the tlog process (workers 1 and 2). Every answer is the entry with its SET
// (signed when the build sequenced it, stored with it) and an inclusion proof to the current
// checkpoint; one in 64 is parsed and its proof verified.
// Usage: node --import tsx scripts/bench/proofs.ts [--out file.json] [--profile] [--entries N] [--seconds N]
//   [--workers 1|2] [--keep DIR]
// --keep DIR (for iterating on the read path): the first run builds the log and leaves its schema and
// key behind, recorded in DIR/state.json; later runs with the same DIR and --entries reuse them
// instead of building again. Drop the schema by hand when done (its name is in state.json).
import { createHash, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKeyPem } from '@signet/pki';
import { canonicalizeToBytes, loadConfig, startTlog } from '@signet/tlog';
import { argValue, hasFlag, warmupMs, writeSection } from './lib/cli.js';
import { checkLogEntryAnswer } from './lib/answers.js';
import { guard } from './lib/cleanup.js';
import { makeCa, makeClients } from './lib/fixtures.js';
import { runLoad } from './lib/load.js';
import { benchSchema, DATABASE_URL, dropSchema, psql } from './lib/pg.js';
import { coresBetween, snapshot, type CpuSnapshot } from './lib/proc.js';
import { profileTable, summarizeProfiles } from './lib/profile.js';
import { hostSpeed, waitQuiet } from './lib/quiet.js';
import { n0, n1, scenario, scenarioNotes, scenarioTable, type Scenario } from './lib/report.js';
import { startBenchTlog } from './lib/service.js';

const ENTRIES = Number(argValue('--entries') ?? '1000000');
const WINDOW_MS = Number(argValue('--seconds') ?? '10') * 1000;
const WARMUP_MS = warmupMs();
const CONCURRENCY = 64;
const BATCH = 8192;
const WAVE = 4 * BATCH;
const TARGET = { perSecond: 10_000, p99Ms: Infinity, text: '≥ 10,000 /s' };
const profile = hasFlag('--profile');

guard(25 * 60_000);
const tmp = mkdtempSync(join(tmpdir(), 'signet-bench-proofs-'));
const keepDir = argValue('--keep');
const statePath = keepDir === undefined ? undefined : join(keepDir, 'state.json');
const kept = statePath !== undefined && existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as { schema: string; entries: number; keyPath: string }) : undefined;
if (kept !== undefined && kept.entries !== ENTRIES) throw new Error(`${statePath} holds a log of ${kept.entries} entries, not ${ENTRIES}`);
const keyPath = kept?.keyPath ?? join(keepDir ?? tmp, 'log-key.pem');
if (kept === undefined) {
  if (keepDir !== undefined) mkdirSync(keepDir, { recursive: true });
  writeFileSync(keyPath, generatePrivateKeyPem('ecdsa-p256-sha256'), { mode: 0o600 });
}
const schema = kept?.schema ?? benchSchema('proofs', keepDir === undefined);
const baseEnv = {
  DATABASE_URL,
  SIGNET_TLOG_DATABASE_SCHEMA: schema,
  SIGNET_TLOG_KEY_FILE: keyPath,
  SIGNET_TLOG_HOST: '127.0.0.1',
};

/** Canonical hashedrekord bodies from a per-client template (checked against canonicalizeToBytes). */
async function bodyMaker(): Promise<(i: number) => { body: Uint8Array; searchKeys: string[] }> {
  const clients = await makeClients(await makeCa(), 64);
  const perClient = clients.map((c) => {
    const sigs = Array.from({ length: 16 }, () => sign('sha256', randomBytes(64), c.key).toString('base64'));
    const keyHash = createHash('sha256').update(c.certPem, 'utf8').digest('hex');
    return { c, sigs, keyHash };
  });
  const make = (i: number) => {
    const p = perClient[i % perClient.length]!;
    const digest = createHash('sha256').update(`entry ${i} ${schema}`).digest('hex');
    const sig = p.sigs[(i >> 6) % p.sigs.length]!;
    const text =
      `{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"${digest}"}},` +
      `"signature":{"content":"${sig}","publicKey":{"content":"${p.c.certContentB64}"}}}}`;
    return { body: Buffer.from(text), searchKeys: [p.keyHash, p.c.identity.toLowerCase(), `sha256:${digest}`] };
  };
  const sample = make(7);
  const parsed = JSON.parse(Buffer.from(sample.body).toString('utf8')) as Parameters<typeof canonicalizeToBytes>[0];
  if (Buffer.compare(Buffer.from(canonicalizeToBytes(parsed)), Buffer.from(sample.body)) !== 0) throw new Error('body template is not canonical JSON');
  return make;
}

/** Builds the log in-process through the engine; returns build facts and an in-process proof rate. */
async function build(): Promise<{ seconds: number; perSecond: number; proofPerSecond: number; bodyBytes: number }> {
  const make = await bodyMaker();
  const config = loadConfig({
    ...baseEnv,
    SIGNET_TLOG_PORT: '0',
    SIGNET_TLOG_MAX_BATCH: String(BATCH),
    SIGNET_TLOG_MAX_PENDING: String(WAVE * 2),
    SIGNET_TLOG_LOG_LEVEL: 'silent',
  });
  const tlog = await startTlog(config, { logger: false });
  try {
    const t0 = performance.now();
    for (let from = 0; from < ENTRIES; from += WAVE) {
      const n = Math.min(WAVE, ENTRIES - from);
      await Promise.all(Array.from({ length: n }, (_, k) => tlog.engine.append(make(from + k))));
      if ((from / WAVE) % 4 === 0) console.error(`proofs: ${from + n} entries, ${n0((from + n) / ((performance.now() - t0) / 1000))}/s`);
    }
    const seconds = (performance.now() - t0) / 1000;
    // In-process proof computation alone (tile cache, no HTTP, no entry read, no SET), 64 in flight.
    const end = performance.now() + 3000;
    let proofs = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          await tlog.engine.inclusionProof(BigInt(Math.floor(Math.random() * ENTRIES)));
          proofs++;
        }
      }),
    );
    return { seconds, perSecond: ENTRIES / seconds, proofPerSecond: proofs / 3, bodyBytes: make(1).body.length };
  } finally {
    await tlog.close();
  }
}


async function read(workers: number): Promise<{ s: Scenario; profileMd?: string }> {
  const quiet = await waitQuiet();
  const { svc, profDir } = await startBenchTlog({ workers, env: baseEnv, ...(profile && { profileRoot: tmp }) });
  let a: CpuSnapshot | undefined;
  let b: CpuSnapshot | undefined;
  let count = 0;
  try {
    const load = await runLoad({
      url: svc.url,
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: WINDOW_MS,
      next: () => ({ method: 'GET', path: `/api/v1/log/entries?logIndex=${Math.floor(Math.random() * ENTRIES)}` }),
      check: (status, body) => checkLogEntryAnswer(status, 200, body, ++count % 64 === 0),
      onWindowStart: () => (a = snapshot(svc.pid)),
      onWindowEnd: () => (b = snapshot(svc.pid)),
    });
    await svc.stop();
    const name = `GET /api/v1/log/entries?logIndex=random, workers ${workers}`;
    const s = scenario(name, TARGET, load, coresBetween(a!, b!), quiet, hostSpeed());
    return { s, ...(profDir !== undefined && { profileMd: `#### Profile: ${name}\n\n${profileTable(summarizeProfiles(profDir))}` }) };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- service output ---\n${svc.output()}`);
  } finally {
    await svc.stop();
  }
}

/**
 * Reads the log's tables, indexes and TOAST (not the search index, which reads never touch) into the
 * OS page cache with pg_prewarm's 'read' mode; returns a description for the report. This VM's DAMON
 * pageout evicts file pages idle for ~30 s, so a log built or last read minutes ago is on disk.
 */
function prewarm(): string {
  const t0 = performance.now();
  try {
    psql('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const rels = `SELECT c.oid FROM pg_class c WHERE c.relnamespace = '"${schema}"'::regnamespace AND c.relkind IN ('r', 'i') AND c.relname NOT LIKE 'search_keys%'`;
    const toast = `SELECT c.reltoastrelid FROM pg_class c WHERE c.oid IN (${rels}) AND c.reltoastrelid <> 0`;
    const toastIdx = `SELECT i.indexrelid FROM pg_index i WHERE i.indrelid IN (${toast})`;
    const blocks = psql(`SELECT sum(pg_prewarm(oid, 'read')) FROM (${rels} UNION ${toast} UNION ${toastIdx}) AS r(oid)`);
    return `${n0(Number(blocks) * 8 / 1024)} MB read into the page cache in ${n1((performance.now() - t0) / 1000)} s`;
  } catch (err) {
    return `not prewarmed (${(err as Error).message.split('\n')[0]})`;
  }
}

try {
  console.error(`proofs: building a log of ${n0(ENTRIES)} entries through the engine (batches of ${BATCH})`);
  let built: Awaited<ReturnType<typeof build>>;
  if (kept === undefined) {
    await waitQuiet();
    built = await build();
    psql(`ANALYZE "${schema}".entries; ANALYZE "${schema}".tiles`);
    if (statePath !== undefined) writeFileSync(statePath, JSON.stringify({ schema, entries: ENTRIES, keyPath, built }));
  } else {
    built = (JSON.parse(readFileSync(statePath!, 'utf8')) as { built: typeof built }).built;
  }
  const sizes = psql(
    `SELECT pg_size_pretty(pg_total_relation_size('"${schema}".entries')) || ' entries (incl. indexes and TOAST), ' || pg_size_pretty(pg_total_relation_size('"${schema}".search_keys')) || ' search keys, ' || pg_size_pretty(pg_total_relation_size('"${schema}".tiles')) || ' tiles'`,
  );
  const builtAt = performance.now();
  console.error(`proofs: built in ${n1(built.seconds)} s (${sizes}); in-process proofs ${n0(built.proofPerSecond)}/s`);
  const rows: Scenario[] = [];
  const profiles: string[] = [];
  const startedAfter: number[] = [];
  const warmed: string[] = [];
  const only = argValue('--workers');
  for (const workers of [1, 2].filter((w) => only === undefined || String(w) === only)) {
    startedAfter.push((performance.now() - builtAt) / 1000);
    warmed.push(prewarm());
    console.error(`proofs: prewarm: ${warmed.at(-1)}`);
    const r = await read(workers);
    rows.push(r.s);
    if (r.profileMd) profiles.push(r.profileMd);
    console.error(`  → workers ${workers}: ${n0(r.s.load.perSecond)}/s p50 ${n1(r.s.load.p50)} p99 ${n1(r.s.load.p99)} ms, errors ${r.s.load.errors}, server+pg ${n0(r.s.serverMicrosPerRequest)} µs/req, cores server ${r.s.cores.service.toFixed(2)} pg ${r.s.cores.postgres.toFixed(2)}`);
  }
  const md =
    `Log: ${n0(ENTRIES)} canonical hashedrekord entries (${built.bodyBytes} B each: random-looking digests, the 64 certificates of the tlog benchmark, three search keys each) ` +
    `appended in-process through \`engine.append\` (the Log engine behind the tlog, maxBatch ${BATCH}) in **${n1(built.seconds)} s (${n0(built.perSecond)} entries/s)**. ` +
    `The bodies were not verified on the way in (the signatures come from a pool of 16 real signatures per certificate, not over these digests): ` +
    `the read path never verifies them, and verifying 1M entries would take minutes. Sizes: ${sizes}; PostgreSQL shared_buffers is 128 MB, so entry reads go to the OS page cache ` +
    `(this VM's DAMON pageout evicts file pages idle for ~30 s, and random reads touch each page only every minute or two). ` +
    `Right before each run the entries and tiles tables, their indexes and TOAST are read into the page cache with \`pg_prewarm(…, 'read')\` (${warmed.join('; ')}); ` +
    `the runs started ${startedAfter.map((s) => `${n0(s)} s`).join(' and ')} after the log was ready.\n\n` +
    `In-process \`engine.inclusionProof\` at random indices (tile cache, 64 in flight, 1 process): **${n0(built.proofPerSecond)} /s**.\n\n` +
    `HTTP: ${CONCURRENCY} keep-alive clients, ${WARMUP_MS / 1000} s warm-up, ${WINDOW_MS / 1000} s window; each answer = entry row read (with the SET stored at sequencing) + inclusion proof to the current checkpoint.\n\n` +
    scenarioTable(rows) +
    scenarioNotes(rows) +
    (profiles.length > 0 ? `\n${profiles.join('\n')}` : '');
  writeSection('proofs', md, { built, sizes, rows });
} finally {
  if (keepDir === undefined) dropSchema(schema);
  rmSync(tmp, { recursive: true, force: true });
}
