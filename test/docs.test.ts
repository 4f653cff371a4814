// Keeps the operator documentation and the deployment files in step with the code: every environment
// variable the services, the launcher and the CLI read, and every configuration key of the tlog and
// the CA, must be documented in docs/operating.md; every relative link in README.md and docs/ must
// resolve; docker-compose.yml and the example configuration in deploy/ must parse, be accepted by the
// services' own config loaders, and only use documented variables and mounted paths.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadConfig as loadCaConfig } from '@signet/ca';
import { CONFIG_KEYS } from '@signet/client';
import { ENV_VARS, loadConfig as loadTlogConfig } from '@signet/tlog';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const OPERATING = read('docs/operating.md');

/** Files whose environment variables operators may set. */
const ENV_SOURCES = [
  'services/tlog/src/config.ts',
  'services/tlog/src/main.ts',
  'services/ca/src/config.ts',
  'services/ca/src/main.ts',
  'services/oidc-dev/src/main.ts',
  'stack/src/config.ts',
  'stack/src/main.ts',
  'stack/src/admin/main.ts',
  'packages/client/src/config.ts',
  ...readdirSync(join(ROOT, 'packages/client/src/cli'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `packages/client/src/cli/${f}`),
].filter((path) => existsSync(join(ROOT, path)));

/** `SIGNET_*` and `DATABASE_URL` names in a source text (wildcards such as `SIGNET_CA_*` are skipped). */
function envVarsIn(source: string): string[] {
  const names = source.match(/\b(?:SIGNET_[A-Z0-9_]+|DATABASE_URL)\b/g) ?? [];
  return [...new Set(names.filter((n) => !n.endsWith('_')))].sort();
}

/** True when `name` occurs in `text` as a whole identifier. */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).test(text);
}

/** The top-level field names of `export interface <name> { … }` in a TypeScript source. */
function interfaceKeys(source: string, name: string): string[] {
  const start = source.indexOf(`export interface ${name} {`);
  assert.ok(start >= 0, `interface ${name} not found`);
  const end = source.indexOf('\n}', start);
  const body = source.slice(start, end);
  return [...body.matchAll(/^ {2}(?:readonly )?([A-Za-z_][A-Za-z0-9_]*)\??:/gm)].map((m) => m[1] as string);
}

/** The part of a Markdown text from the heading containing `marker` to the next heading of that level or above. */
function section(markdown: string, marker: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.includes(marker));
  assert.ok(start >= 0, `no heading containing ${marker}`);
  const level = (lines[start] as string).match(/^#+/)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.match(/^#+/)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Table rows (lines starting with `|`) whose first cell documents `key` (`key` or `key.sub`). */
function rowsFor(text: string, key: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`| \`${key}\``) || l.startsWith(`| \`${key}.`));
}

const TLOG_SECTION = section(OPERATING, 'services/tlog/src/config.ts');
const CA_SECTION = section(OPERATING, 'services/ca/src/config.ts');
const CLIENT_SECTION = section(OPERATING, 'packages/client/src/config.ts');

test('every environment variable read by the services, the launcher and the CLI is documented', () => {
  const names = new Set([...Object.keys(ENV_VARS), ...ENV_SOURCES.flatMap((p) => envVarsIn(read(p)))]);
  assert.ok(names.size > 40, `only ${names.size} variables found: is the extraction broken?`);
  const missing = [...names].filter((n) => !mentions(OPERATING, n)).sort();
  assert.deepEqual(missing, [], `undocumented in docs/operating.md: ${missing.join(', ')}`);
});

test('each tlog environment variable is documented on the row of the key it sets', () => {
  const wrong = Object.entries(ENV_VARS)
    .filter(([env, key]) => !rowsFor(TLOG_SECTION, key.split(/[ .]/)[0] as string).some((row) => mentions(row, env)))
    .map(([env, key]) => `${env} → ${key}`);
  assert.deepEqual(wrong, []);
});

test('every top-level Config key of the tlog and the CA has a row in its section', () => {
  const tlogKeys = interfaceKeys(read('services/tlog/src/config.ts'), 'Config');
  const caKeys = interfaceKeys(read('services/ca/src/config.ts'), 'Config');
  assert.ok(tlogKeys.includes('logKey') && caKeys.includes('issuers'), 'Config extraction is broken');
  const missing = [
    ...tlogKeys.filter((k) => rowsFor(TLOG_SECTION, k).length === 0).map((k) => `tlog ${k}`),
    ...caKeys.filter((k) => rowsFor(CA_SECTION, k).length === 0).map((k) => `ca ${k}`),
  ];
  assert.deepEqual(missing, []);
});

test('every client setting is documented with its variable and its config-file name', () => {
  const missing = Object.entries(CONFIG_KEYS)
    .filter(([, { env, file }]) => !CLIENT_SECTION.split('\n').some((l) => mentions(l, env) && l.includes(`\`${file}\``)))
    .map(([key]) => key);
  assert.deepEqual(missing, []);
});

/** Markdown files whose links are checked. */
function markdownFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push(path);
    }
  };
  walk('docs');
  return out;
}

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string)));
}

test('every relative link in README.md and docs/ points to an existing file (and heading)', () => {
  const broken: string[] = [];
  for (const file of markdownFiles()) {
    const text = read(file).replace(/^```[\s\S]*?^```/gm, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] as string;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const resolved = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
      if (!existsSync(join(ROOT, resolved))) {
        broken.push(`${file}: ${target}`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor)) broken.push(`${file}: ${target} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
});

// --- deployment files ---

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
}

const COMPOSE = parseYaml(read('docker-compose.yml')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

/** Container paths mounted into a compose service. */
function mounts(service: ComposeService): string[] {
  return (service.volumes ?? []).map((v) => v.split(':')[1] as string);
}

/** True when the container path `path` lies in one of the service's mounts. */
function isMounted(service: ComposeService, path: string): boolean {
  return mounts(service).some((m) => path === m || path.startsWith(`${m}/`));
}

test('docker-compose.yml: postgres 15 with a volume and a health check; tlog and CA built from the repo, started in order', () => {
  const { postgres, tlog, ca } = COMPOSE.services;
  assert.ok(postgres && tlog && ca, 'services postgres, tlog and ca are required');
  assert.equal(postgres.image, 'postgres:15');
  assert.ok(postgres.healthcheck, 'postgres needs a health check');
  assert.ok(mounts(postgres).includes('/var/lib/postgresql/data') && COMPOSE.volumes && 'pgdata' in COMPOSE.volumes);
  for (const [name, service] of [['tlog', tlog], ['ca', ca]] as const) {
    assert.ok(service.build !== undefined, `${name} is built from the repository`);
    assert.ok(service.healthcheck, `${name} needs a health check`);
    const entry = service.command?.find((a) => a.endsWith('main.ts'));
    assert.ok(entry && existsSync(join(ROOT, entry)), `${name}: command names a missing entry point ${entry}`);
  }
  assert.equal(tlog.depends_on?.postgres?.condition, 'service_healthy');
  assert.equal(ca.depends_on?.tlog?.condition, 'service_healthy');
  assert.ok(tlog.environment?.DATABASE_URL?.includes('@postgres:5432/'), 'the tlog reaches the postgres service');
  assert.match(read('Dockerfile'), /^FROM node:20[-.\w]*/m);
  assert.match(read('Dockerfile'), /npm ci/);
});

test('docker-compose.yml: every variable is one the code reads and the docs describe; every file it names is mounted', () => {
  const known = new Set([...Object.keys(ENV_VARS), ...ENV_SOURCES.flatMap((p) => envVarsIn(read(p)))]);
  const problems: string[] = [];
  for (const name of ['postgres', 'tlog', 'ca']) {
    if (!mentions(OPERATING, name)) problems.push(`service ${name} is not mentioned in docs/operating.md`);
  }
  for (const name of ['tlog', 'ca'] as const) {
    const service = COMPOSE.services[name] as ComposeService;
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (!known.has(key)) problems.push(`${name}: ${key} is not read by any service`);
      if (!mentions(OPERATING, key)) problems.push(`${name}: ${key} is not in docs/operating.md`);
      if (value.startsWith('/') && !isMounted(service, value)) problems.push(`${name}: ${key}=${value} is not mounted`);
    }
    for (const volume of service.volumes ?? []) {
      const host = volume.split(':')[0] as string;
      if (host.startsWith('.') && !existsSync(join(ROOT, host))) problems.push(`${name}: ${host} does not exist`);
    }
  }
  assert.deepEqual(problems, []);
});

test('deploy/tlog.yaml is accepted by the tlog config loader, and its key file is mounted', () => {
  const text = read('deploy/tlog.yaml');
  const config = loadTlogConfig({ DATABASE_URL: 'postgres://signet@postgres:5432/signet' }, text);
  assert.equal(config.logKey.kind, 'file');
  const tlog = COMPOSE.services.tlog as ComposeService;
  if (config.logKey.kind === 'file') assert.ok(isMounted(tlog, config.logKey.path), `${config.logKey.path} is not mounted`);
  assert.ok(config.ct?.rootsFile !== undefined && isMounted(tlog, config.ct.rootsFile), 'the example tlog hosts the CT log with mounted roots');
  if (config.ct.key.kind === 'file') assert.ok(isMounted(tlog, config.ct.key.path), `${config.ct.key.path} is not mounted`);
  const ca = COMPOSE.services.ca as ComposeService;
  assert.equal(ca.environment?.SIGNET_CA_CT_URL, `http://tlog:${config.listen.port}${config.ct.prefix}`, 'the CA submits to the tlog\'s CT log');
  assert.ok(isMounted(tlog, tlog.environment?.SIGNET_TLOG_CONFIG ?? ''), 'SIGNET_TLOG_CONFIG must name the mounted deploy/tlog.yaml');
});

test('deploy/ca.yaml with deploy/issuers.yaml is accepted by the CA config loader; keys documented; files mounted', () => {
  const file = parseYaml(read('deploy/ca.yaml')) as Record<string, unknown>;
  const issuers = read('deploy/issuers.yaml');
  const { issuersFile, ...rest } = file;
  // Inline, the issuers are validated by loadConfig itself (a file is only read at start).
  const config = loadCaConfig({}, JSON.stringify({ ...rest, issuers }));
  assert.equal(config.key.kind, 'file');
  assert.ok(config.ct !== null, 'the example CA embeds SCTs');
  const caKeys = new Set([...interfaceKeys(read('services/ca/src/config.ts'), 'Config'), 'issuersFile']);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(file)) {
    if (!caKeys.has(key)) problems.push(`unknown top-level key ${key}`);
    if (value !== null && typeof value === 'object') {
      for (const sub of Object.keys(value)) if (!CA_SECTION.includes(`\`${sub}\``)) problems.push(`${key}.${sub} is not documented`);
    }
  }
  const ca = COMPOSE.services.ca as ComposeService;
  const paths = [issuersFile, config.key.kind === 'file' ? config.key.keyPath : undefined, config.key.kind === 'file' ? config.key.chainPath : undefined];
  for (const p of paths) if (typeof p !== 'string' || !isMounted(ca, p)) problems.push(`${String(p)} is not mounted into the ca service`);
  assert.deepEqual(problems, []);
});

test('the Fulcio-format example issuers cover GitHub Actions and an email issuer', () => {
  const doc = parseYaml(read('deploy/issuers.yaml')) as { 'oidc-issuers': Record<string, { type: string }> };
  const types = Object.entries(doc['oidc-issuers']).map(([url, i]) => `${url} ${i.type}`);
  assert.ok(types.includes('https://token.actions.githubusercontent.com ci-provider'));
  assert.ok(types.some((t) => t.endsWith(' email')));
});

test('the helpers can fail: an undocumented name and a missing row are reported', () => {
  assert.equal(mentions('`SIGNET_TLOG_PORT_X`', 'SIGNET_TLOG_PORT'), false);
  assert.equal(mentions('| `SIGNET_TLOG_PORT` |', 'SIGNET_TLOG_PORT'), true);
  assert.deepEqual(rowsFor('| `listen.host` | x |\n| `other` |', 'listen'), ['| `listen.host` | x |']);
  assert.deepEqual(rowsFor('| `listenx` |', 'listen'), []);
  assert.deepEqual(envVarsIn('env.SIGNET_A_B ?? SIGNET_CA_* DATABASE_URL'), ['DATABASE_URL', 'SIGNET_A_B']);
  assert.equal(slug('1. Components and ports'), '1-components-and-ports');
  assert.equal(relative(ROOT, dirname(join(ROOT, 'docs/operating.md'))), 'docs');
});
