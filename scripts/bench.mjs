#!/usr/bin/env node
// `npm run bench [-- tlog|proofs|ca ...] [--profile]`: runs the loopback benchmarks under
// scripts/bench/ (each in its own process, through tsx) and writes docs/benchmarks.md with the
// machine facts and the exact command. Running a subset replaces only those sections of the file.
// Benchmarks create and drop their own PostgreSQL schema (DATABASE_URL-style BENCH_DATABASE_URL,
// default postgres://root@127.0.0.1:5432/test) and stop by themselves.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ALL = ['tlog', 'proofs', 'ca'];
const TITLES = {
  tlog: '1. tlog appends (hashedrekord with certificates, 64 clients)',
  proofs: '2. Inclusion-proof reads on a log of 1,000,000 entries',
  ca: '3. CA certificates (64 clients, P-384 CA key)',
};
const args = process.argv.slice(2);
const names = args.filter((a) => ALL.includes(a));
// A word after a --flag is that flag's value (--keep DIR, --workers 1); any other word must name a benchmark.
const unknown = args.filter((a, i) => !ALL.includes(a) && !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
const selected = names.length > 0 ? names : ALL;
const passThrough = args.filter((a) => !ALL.includes(a));
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

function sh(cmd, argv) {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } }).trim();
  } catch (err) {
    return `unavailable (${err.message.split('\n')[0]})`;
  }
}

function machine() {
  const model = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? cpus()[0]?.model ?? '?';
  const flags = (readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:\s*(.*)$/m) ?? [])[1] ?? '';
  return {
    nproc: sh('nproc', []),
    cpu: `${model} (SHA-NI ${/\bsha_ni\b/.test(flags) ? 'yes' : 'no'}, AVX2 ${/\bavx2\b/.test(flags) ? 'yes' : 'no'})`,
    memory: `${(Number((readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/) ?? [])[1]) / 1048576).toFixed(1)} GiB`,
    node: `${process.version} (OpenSSL ${process.versions.openssl})`,
    postgres: sh('psql', [databaseUrl, '-X', '-A', '-t', '-c', "SELECT version() || '; shared_buffers ' || current_setting('shared_buffers') || ', synchronous_commit ' || current_setting('synchronous_commit')"]),
  };
}

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    // The benchmark stops its services and drops its schema on the same signal, then exits.
    if (current) current.once('exit', () => process.exit(1)).kill(signal);
    else process.exit(1);
  });
}

function runOne(name, outFile) {
  return new Promise((resolve, reject) => {
    const child = (current = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench', `${name}.ts`), '--out', outFile, ...passThrough], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    }));
    child.on('exit', (code, signal) => {
      current = undefined;
      if (code === 0) resolve();
      else reject(new Error(`${name} benchmark failed (${signal ?? code})`));
    });
  });
}

const docPath = join(root, 'docs/benchmarks.md');
const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
const section = (name, text) => `<!-- ${name}:begin -->\n${text.trim()}\n<!-- ${name}:end -->`;
const sectionOf = (name) => {
  const m = previous.match(new RegExp(`<!-- ${name}:begin -->[\\s\\S]*?<!-- ${name}:end -->`));
  return m ? m[0] : section(name, `### ${TITLES[name]}\n\n_Not run yet: \`npm run bench -- ${name}\`._`);
};

const tmp = mkdtempSync(join(tmpdir(), 'signet-bench-'));
const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
const fresh = {};
let failed = false;
const started = Date.now();
try {
  for (const name of selected) {
    const facts = machine();
    const load = loadavg().map((v) => v.toFixed(2)).join(' / ');
    const t0 = Date.now();
    const when = new Date().toISOString();
    console.error(`\n=== ${name} (load average ${load}) ===`);
    const out = join(tmp, `${name}.json`);
    try {
      await runOne(name, out);
    } catch (err) {
      failed = true;
      console.error(err.message);
      fresh[name] = section(name, `### ${TITLES[name]}\n\n**The run of ${when} failed**: ${err.message}. See the console output of \`${command}\`.`);
      continue;
    }
    const { markdown } = JSON.parse(readFileSync(out, 'utf8'));
    const factsTable =
      `| | |\n|---|---|\n| command | \`${command}\` |\n| run | ${when}, ${((Date.now() - t0) / 1000).toFixed(0)} s |\n` +
      `| load average before (1/5/15 min) | ${load} |\n| nproc | ${facts.nproc} |\n| CPU | ${facts.cpu} |\n| memory | ${facts.memory} |\n| Node.js | ${facts.node} |\n| PostgreSQL | ${facts.postgres} |\n`;
    fresh[name] = section(name, `### ${TITLES[name]}\n\n${factsTable}\n${markdown}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const head = (previous.match(/^[\s\S]*?(?=<!-- (tlog|proofs|ca):begin -->)/) ?? [])[0] ?? '# Benchmarks\n\n';
const tail = (previous.match(/<!-- ca:end -->([\s\S]*)$/) ?? [])[1] ?? '\n';
const body = ALL.map((n) => fresh[n] ?? sectionOf(n)).join('\n\n');
writeFileSync(docPath, `${head.trimEnd()}\n\n${body}${tail.startsWith('\n') ? tail : `\n${tail}`}`);
console.error(`\nwrote docs/benchmarks.md (${((Date.now() - started) / 1000).toFixed(0)} s in total)`);
process.exit(failed ? 1 : 0);
