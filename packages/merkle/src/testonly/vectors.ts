// Test helpers: loading the JSON vectors of this package's testdata/ folder and hex conversion.
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
