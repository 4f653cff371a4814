// Assertions on PkiError codes (tests assert codes, never messages).
import assert from 'node:assert/strict';
import { PkiError, type PkiErrorCode } from '../errors.js';

/** Asserts that `fn` throws a PkiError with `code`. */
export function assertThrowsCode(fn: () => unknown, code: PkiErrorCode): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof PkiError, `expected PkiError(${code}), got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
}

/** Asserts that `promise` rejects with a PkiError with `code`. */
export async function assertRejectsCode(promise: Promise<unknown> | (() => Promise<unknown>), code: PkiErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof PkiError, `expected PkiError(${code}), got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
}
