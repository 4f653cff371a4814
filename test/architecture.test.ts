// Guards the import rules of docs/architecture.md (house style practice 1): who may import whom,
// where heavy libraries may appear, where process.env may be read, and that test-only code stays in
// tests. Size budgets (practice 19) are printed as warnings, not failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Workspace folder → the @signet names it may import. */
const ALLOWED_INTERNAL: Record<string, string[]> = {
  'packages/merkle': [],
  'packages/storage': [],
  'packages/pki': [],
  'packages/trust': ['@signet/pki'],
  'packages/client': ['@signet/merkle', '@signet/pki'],
  'services/tlog': ['@signet/merkle', '@signet/pki', '@signet/storage'],
  'services/ca': ['@signet/pki'],
  'services/oidc-dev': [],
  stack: ['@signet/tlog', '@signet/ca', '@signet/oidc-dev', '@signet/pki', '@signet/storage', '@signet/merkle', '@signet/trust'],
};

/** Third-party modules confined to some files: module → predicate over the repo-relative path. */
const CONFINED: Record<string, (file: string) => boolean> = {
  fastify: (f) => /^services\/[^/]+\/src\/(.+\/)?(app\.ts|http\/)/.test(f),
  '@fastify/': (f) => /^services\/[^/]+\/src\/(.+\/)?(app\.ts|http\/)/.test(f),
  pg: (f) => f.startsWith('packages/storage/src/drivers/'),
  '@electric-sql/pglite': (f) => f.startsWith('packages/storage/src/drivers/'),
  jose: (f) =>
    f === 'services/ca/src/identity/verify-token.ts' ||
    f.startsWith('services/oidc-dev/') ||
    f.startsWith('packages/client/'),
  pkcs11js: (f) => f === 'packages/pki/src/keys/pkcs11.ts',
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts')) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

const files = ['packages', 'services', 'stack'].flatMap((d) => walk(join(root, d)));
/** File text with comments removed, so that prose never trips a rule. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
const sources = new Map(files.map((f) => [f, code(readFileSync(join(root, f), 'utf8'))]));

/** Import specifiers of a file: static imports/exports and dynamic import() with a literal. */
function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

function workspaceOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'stack' ? 'stack' : `${parts[0]}/${parts[1]}`;
}

const isTest = (f: string) => f.endsWith('.test.ts') || f.includes('/testonly/');

test('every workspace has a row in the import matrix', () => {
  for (const f of files) assert.ok(workspaceOf(f) in ALLOWED_INTERNAL, `${f}: workspace not in the matrix`);
});

test('internal imports follow the one-way matrix, by package name only', () => {
  const problems: string[] = [];
  for (const [file, text] of sources) {
    const allowed = ALLOWED_INTERNAL[workspaceOf(file)] ?? [];
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('@signet/')) continue;
      const [scope, name, ...rest] = spec.split('/');
      const pkg = `${scope}/${name}`;
      if (rest.length > 0 && !(rest.length === 1 && rest[0] === 'testonly')) problems.push(`${file}: deep import ${spec}`);
      if (rest[0] === 'testonly' && !isTest(file)) problems.push(`${file}: production code imports ${spec}`);
      if (!allowed.includes(pkg) && !(isTest(file) && spec.endsWith('/testonly'))) {
        problems.push(`${file}: ${workspaceOf(file)} may not import ${pkg}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('relative imports stay inside their workspace and use .js suffixes', () => {
  const problems: string[] = [];
  for (const [file, text] of sources) {
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = join(file, '..', spec).split(sep).join('/');
      if (workspaceOf(target) !== workspaceOf(file)) problems.push(`${file}: ${spec} leaves its workspace`);
      if (!/\.(js|json)$/.test(spec)) problems.push(`${file}: ${spec} needs a .js suffix`);
    }
  }
  assert.deepEqual(problems, []);
});

test('heavy third-party modules stay in their corner', () => {
  const problems: string[] = [];
  for (const [file, text] of sources) {
    if (isTest(file)) continue;
    for (const spec of importsOf(text)) {
      for (const [mod, ok] of Object.entries(CONFINED)) {
        const hit = mod.endsWith('/') ? spec.startsWith(mod) : spec === mod || spec.startsWith(`${mod}/`);
        if (hit && !ok(file)) problems.push(`${file}: imports ${spec}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('process.env is read only in main.ts files', () => {
  const problems = [...sources]
    .filter(([f, t]) => !isTest(f) && !f.endsWith('/main.ts') && /process\.env\b/.test(t))
    .map(([f]) => f);
  assert.deepEqual(problems, []);
});

test('services build their apps without listening; only main.ts and start functions listen', () => {
  const problems = [...sources]
    .filter(([f, t]) => !isTest(f) && f.startsWith('services/') && !/\/(main|start)[a-z-]*\.ts$/.test(f) && /\.listen\(/.test(t))
    .map(([f]) => f);
  assert.deepEqual(problems, []);
});

test('HTTP statuses and headers are set only in the HTTP layer', () => {
  const problems = [...sources]
    .filter(([f]) => !isTest(f) && f.startsWith('services/') && !/\/src\/(.+\/)?(http\/|app\.ts)/.test(f))
    .filter(([, t]) => /Retry-After|\.statusCode\s*=|reply\.(code|status|header)\(/.test(t))
    .map(([f]) => f);
  assert.deepEqual(problems, []);
});

test('the Merkle package stays pure and synchronous', () => {
  const problems = [...sources]
    .filter(([f]) => f.startsWith('packages/merkle/src/') && !isTest(f))
    .filter(([, t]) => /\basync\b|\bawait\b|from ['"]node:(fs|net|http|child_process)/.test(t))
    .map(([f]) => f);
  assert.deepEqual(problems, []);
});

// Size budgets (practice 19) are reported, not enforced: a file over 400 non-blank lines needs a
// stated reason in review.
for (const [f, t] of sources) {
  const n = t.split('\n').filter((l) => l.trim() !== '').length;
  if (!isTest(f) && n > 400) console.log(`# size warning: ${f} has ${n} non-blank lines (budget 400)`);
}
