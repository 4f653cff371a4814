// Process-level tests of the real entry point: kill -9 during appends loses nothing acknowledged,
// and two processes on one database keep one linear history.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyConsistency } from '@signet/merkle';
import { generatePrivateKeyPem, pemDecode, publicKeyPemOf } from '@signet/pki';
import { testDrivers } from '@signet/storage/testonly';
import type { RekorLogEntry } from '../src/rekor/log-entry.js';
import { clientKey, hashedrekord } from './testonly/fixtures.js';
import { spawnTlog, type TlogProcess } from './testonly/process.js';
import { verifyCheckpointNote, verifyLogEntry, type LogTrust } from './testonly/verify-entry.js';

const databaseUrl = process.env.DATABASE_URL;
const pg = testDrivers(databaseUrl).find((d) => d.name === 'pg');
const dirs: string[] = [];
after(async () => {
  await pg?.cleanup();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A persistent log location (pg schema or PGlite dir) and a key file, as environment variables. */
async function persistentEnv(): Promise<{ env: Record<string, string>; trust: LogTrust }> {
  const dir = await mkdtemp(join(tmpdir(), 'signet-tlog-'));
  dirs.push(dir);
  const keyPem = generatePrivateKeyPem('ecdsa-p256-sha256');
  await writeFile(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
  const env: Record<string, string> = { SIGNET_TLOG_KEY_FILE: join(dir, 'key.pem'), SIGNET_TLOG_LOG_LEVEL: 'info' };
  if (pg) {
    const loc = await pg.location();
    Object.assign(env, { DATABASE_URL: loc.url!, SIGNET_TLOG_DATABASE_SCHEMA: loc.schema! });
  } else {
    env.SIGNET_TLOG_DATA_DIR = join(dir, 'pgdata');
  }
  return { env, trust: { spkiDer: pemDecode(publicKeyPemOf(keyPem), 'PUBLIC KEY'), hostname: '127.0.0.1' } };
}

interface Ack {
  entryId: string;
  logIndex: number;
  checkpoint: string;
  treeSize: number;
}

/** Appends distinct entries from `clients` concurrent loops until `stop()` says so; returns the 201s. */
function appendLoop(urls: string[], clients: number, tag: string) {
  const acks: Ack[] = [];
  const failures: string[] = [];
  let stopped = false;
  const key = clientKey();
  let n = 0;
  const loops = Array.from({ length: clients }, async (_, c) => {
    while (!stopped) {
      const url = urls[c % urls.length]!;
      const { proposed } = hashedrekord(key, Buffer.from(`${tag} ${n++}`));
      try {
        const res = await fetch(`${url}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(proposed) });
        if (res.status !== 201) {
          failures.push(`${res.status} ${await res.text()}`);
          continue;
        }
        const entry = (await res.json()) as RekorLogEntry;
        const [entryId, anon] = Object.entries(entry)[0]!;
        acks.push({ entryId, logIndex: anon.logIndex, checkpoint: anon.verification.inclusionProof.checkpoint, treeSize: anon.verification.inclusionProof.treeSize });
      } catch (e) {
        failures.push(String(e));
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    acks,
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Checks every acknowledged entry and every handed-out checkpoint against the log at `url`. */
async function checkHistory(url: string, acks: Ack[], trust: LogTrust): Promise<number> {
  const info = (await (await fetch(`${url}/api/v1/log`)).json()) as { treeSize: number; rootHash: string; signedTreeHead: string; treeID: string };
  const t = { ...trust, treeId: BigInt(info.treeID) };
  verifyCheckpointNote(info.signedTreeHead, t);
  const seen = new Set<number>();
  for (const ack of acks) {
    assert.ok(!seen.has(ack.logIndex), `index ${ack.logIndex} acknowledged twice`);
    seen.add(ack.logIndex);
    const res = await fetch(`${url}/api/v1/log/entries/${ack.entryId}`);
    assert.equal(res.status, 200, `acknowledged entry ${ack.entryId} is missing`);
    const { anon } = verifyLogEntry((await res.json()) as RekorLogEntry, t);
    assert.equal(anon.logIndex, ack.logIndex);
  }
  const checkpoints = new Map(acks.map((a) => [a.treeSize, a.checkpoint]));
  for (const [size, note] of checkpoints) {
    const cp = verifyCheckpointNote(note, t);
    assert.equal(Number(cp.size), size);
    const proof = (await (await fetch(`${url}/api/v1/log/proof?firstSize=${size}&lastSize=${info.treeSize}`)).json()) as { rootHash: string; hashes: string[] };
    assert.equal(proof.rootHash, info.rootHash);
    verifyConsistency(cp.size, BigInt(info.treeSize), proof.hashes.map((h) => Buffer.from(h, 'hex')), cp.rootHash, Buffer.from(info.rootHash, 'hex'));
  }
  return info.treeSize;
}

test(`kill -9 during appends loses no acknowledged entry (${pg ? 'pg' : 'PGlite data dir'})`, async () => {
  const { env, trust } = await persistentEnv();
  let tlog: TlogProcess = await spawnTlog(env);
  const load = appendLoop([tlog.url], 8, 'crash');
  while (load.acks.length < 50) await new Promise((r) => setTimeout(r, 10));
  await tlog.kill9();
  await load.stop();
  assert.ok(load.acks.length >= 50);
  tlog = await spawnTlog(env);
  try {
    const size = await checkHistory(tlog.url, load.acks, trust);
    assert.ok(size >= load.acks.length);
    // the restarted log keeps appending on the same history
    const more = appendLoop([tlog.url], 2, 'after');
    while (more.acks.length < 5) await new Promise((r) => setTimeout(r, 10));
    await more.stop();
    await checkHistory(tlog.url, [...load.acks, ...more.acks], trust);
  } finally {
    assert.equal(await tlog.stop(), 0, `clean exit on SIGTERM; stderr: ${tlog.stderr()}`);
  }
});

test('two processes on one database append into one linear history', { skip: pg ? false : 'needs DATABASE_URL: a PGlite data dir can be opened by one process only' }, async () => {
  const { env, trust } = await persistentEnv();
  const a = await spawnTlog(env);
  const b = await spawnTlog(env);
  try {
    const load = appendLoop([a.url, b.url], 8, 'two');
    while (load.acks.length < 200) await new Promise((r) => setTimeout(r, 10));
    await load.stop();
    // a refused append is a 503 (pushback, or the head moved too often under contention): retryable
    for (const f of load.failures) assert.match(f, /^503 /);
    const size = await checkHistory(a.url, load.acks, trust);
    await checkHistory(b.url, load.acks, trust);
    // the whole log, read back by index through either process, is one sequence of distinct entries
    const uuids = new Set<string>();
    for (let i = 0; i < size; i++) {
      const res = await fetch(`${[a.url, b.url][i % 2]}/api/v1/log/entries?logIndex=${i}`);
      assert.equal(res.status, 200, `index ${i}`);
      const { entryId, anon } = verifyLogEntry((await res.json()) as RekorLogEntry, trust);
      assert.equal(anon.logIndex, i);
      uuids.add(entryId);
    }
    assert.equal(uuids.size, size);
    assert.ok(size >= load.acks.length && size <= load.acks.length + load.failures.length);
  } finally {
    assert.equal(await a.stop(), 0);
    assert.equal(await b.stop(), 0);
  }
});

test('a bad configuration exits with status 2 naming every problem', async () => {
  await assert.rejects(spawnTlog({ SIGNET_TLOG_PORT: 'abc', SIGNET_TLOG_LOG_LEVEL: 'loud' }), (e: Error) => {
    assert.match(e.message, /exited \(2\)/);
    assert.match(e.message, /listen\.port \(SIGNET_TLOG_PORT\): must be an integer/);
    assert.match(e.message, /logLevel: must be one of/);
    return true;
  });
});

test('a database started by another key refuses to start (exit 1, LOG_ID_MISMATCH)', async () => {
  const { env } = await persistentEnv();
  const first = await spawnTlog(env);
  assert.equal(await first.stop(), 0);
  const otherKey = join(dirs.at(-1)!, 'other.pem');
  await writeFile(otherKey, generatePrivateKeyPem('ecdsa-p256-sha256'));
  await assert.rejects(spawnTlog({ ...env, SIGNET_TLOG_KEY_FILE: otherKey }), (e: Error) => {
    assert.match(e.message, /exited \(1\)/);
    assert.match(e.message, /failed to start/);
    return true;
  });
});

test('workers: 2 (node:cluster) serve one log and stop on SIGTERM', { skip: pg ? false : 'needs DATABASE_URL: workers share a PostgreSQL database' }, async () => {
  const { env, trust } = await persistentEnv();
  const tlog = await spawnTlog({ ...env, SIGNET_TLOG_WORKERS: '2' });
  try {
    const load = appendLoop([tlog.url], 4, 'workers');
    while (load.acks.length < 40) await new Promise((r) => setTimeout(r, 10));
    await load.stop();
    for (const f of load.failures) assert.match(f, /^503 /);
    await checkHistory(tlog.url, load.acks, trust);
  } finally {
    assert.equal(await tlog.stop(), 0);
  }
});

/** The pids of `pid`'s child processes (cluster workers of a primary). */
function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number));
}

for (const victim of ['a worker', 'the primary (the sequencer)'] as const) {
  test(`workers: 2, kill -9 of ${victim} during appends loses no acknowledged entry`, { skip: pg ? false : 'needs DATABASE_URL: workers share a PostgreSQL database' }, async () => {
    const { env, trust } = await persistentEnv();
    const tlog = await spawnTlog({ ...env, SIGNET_TLOG_WORKERS: '2' });
    const workers = childPids(tlog.proc.pid!);
    assert.equal(workers.length, 2);
    const load = appendLoop([tlog.url], 8, `kill ${victim}`);
    while (load.acks.length < 100) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise<number | null>((resolve) => tlog.proc.once('exit', resolve));
    process.kill(victim === 'a worker' ? workers[0]! : tlog.proc.pid!, 'SIGKILL');
    // A dead worker stops the cluster (exit 1); workers whose primary died stop on their own.
    if (victim === 'a worker') assert.equal(await exited, 1);
    else await Promise.all(workers.map(async (w) => { while (existsSync(`/proc/${w}`)) await new Promise((r) => setTimeout(r, 20)); }));
    await load.stop();
    for (const f of load.failures) assert.doesNotMatch(f, /^(?:4\d\d|500) /, 'refusals are retryable, not client errors');
    const again = await spawnTlog({ ...env, SIGNET_TLOG_WORKERS: '2' });
    try {
      const size = await checkHistory(again.url, load.acks, trust);
      assert.ok(size >= load.acks.length);
      const more = appendLoop([again.url], 4, `after ${victim}`);
      while (more.acks.length < 20) await new Promise((r) => setTimeout(r, 10));
      await more.stop();
      await checkHistory(again.url, [...load.acks, ...more.acks], trust);
    } finally {
      assert.equal(await again.stop(), 0, `clean exit on SIGTERM; stderr: ${again.stderr()}`);
    }
  });
}
