// Test helpers: loading the JSON vectors of this package's testdata/ folder and hex conversion.
import assert from 'node:assert/strict';
import { MerkleError, type MerkleErrorCode } from '../errors.js';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of packages/merkle/testdata. */
export const TESTDATA_DIR = fileURLToPath(new URL('../../testdata/', import.meta.url));

/** Names of every vector file in testdata/ (sorted). */
export function vectorFiles(): string[] {
  return readdirSync(TESTDATA_DIR).filter((f) => f.endsWith('.json')).sort();
}

/** Parses testdata/<name> as JSON. */
export function loadVector<T = any>(name: string): T {
  return JSON.parse(readFileSync(TESTDATA_DIR + name, 'utf8')) as T;
}

/** Hex → bytes (an empty string gives an empty array). */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** Bytes → lowercase hex. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Asserts that `fn` throws a MerkleError with `code` (tests assert codes, never messages). */
export function assertThrowsCode(fn: () => unknown, code: MerkleErrorCode, what?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof MerkleError, `${what ?? ''}: expected MerkleError, got ${String(e)}`);
    assert.equal(e.code, code, what);
    return true;
  });
}
