// The benchmark's own PostgreSQL schema: created by the service on start, dropped here at the end
// (through psql, so that the scripts need no database driver of their own).
import { execFileSync } from 'node:child_process';
import { onCleanup } from './cleanup.js';

/** The PostgreSQL the benchmarks use (trust auth on loopback). */
export const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Runs one SQL text through psql and returns its unaligned output. */
export function psql(sql: string): string {
  return execFileSync('psql', [DATABASE_URL, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  }).trim();
}

/** A fresh schema name for this run; unless `dropOnAbort` is false, dropped on SIGINT/SIGTERM or by the watchdog too. */
export function benchSchema(kind: string, dropOnAbort = true): string {
  const name = `bench_${kind}_${process.pid}_${Date.now().toString(36)}`;
  if (dropOnAbort) onCleanup(() => dropSchema(name));
  return name;
}

/** Drops the schema and everything in it (ignores a schema that was never created). */
export function dropSchema(schema: string): void {
  if (!/^bench_[a-z0-9_]+$/.test(schema)) throw new Error(`refusing to drop ${schema}`);
  psql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** PostgreSQL's version string and a few settings that shape the results. */
export function postgresFacts(): string {
  const version = psql('SHOW server_version');
  const settings = ['shared_buffers', 'synchronous_commit', 'fsync'].map((n) => `${n}=${psql(`SHOW ${n}`)}`).join(', ');
  return `${version} (${settings})`;
}
