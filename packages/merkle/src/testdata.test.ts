// Walks testdata/ so that no vector file is forgotten: each file must be claimed by a test file
// that names it ("Vector file(s): ..."), and every file a test claims must exist.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TESTDATA_DIR, vectorFiles } from './testonly/index.js';

const srcDir = fileURLToPath(new URL('.', import.meta.url));

test('every vector file in testdata/ is used by a test, and every claimed file exists', () => {
  const claims = new Map<string, string[]>();
  for (const f of readdirSync(srcDir).filter((n) => n.endsWith('.test.ts') && n !== 'testdata.test.ts')) {
    const text = readFileSync(srcDir + f, 'utf8');
    for (const m of text.matchAll(/^\/\/ Vector files?: (.*)$/gm)) {
      for (const name of m[1]!.matchAll(/([a-z0-9-]+\.json)/g)) {
        assert.ok(text.includes(`loadVector('${name[1]}')`), `${f} claims ${name[1]} but never loads it`);
        claims.set(name[1]!, [...(claims.get(name[1]!) ?? []), f]);
      }
    }
  }
  const files = vectorFiles();
  assert.ok(files.length >= 9, `vector files in ${TESTDATA_DIR}`);
  for (const f of files) assert.ok(claims.has(f), `${f} is not used by any test`);
  for (const f of claims.keys()) assert.ok(files.includes(f), `a test claims missing ${f}`);
});
