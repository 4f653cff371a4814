import assert from 'node:assert/strict';
import { StorageError, type StorageErrorCode } from '../errors.js';

/**
 * Asserts that `promise` (or the promise `fn` returns) rejects with a `StorageError` of `code`;
 * returns that error for further checks.
 */
export async function assertRejectsCode(
  promise: Promise<unknown> | (() => Promise<unknown>),
  code: StorageErrorCode,
): Promise<StorageError> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof StorageError, `expected StorageError(${code}), got ${caught === undefined ? 'no error' : String(caught)}`);
  assert.equal(caught.code, code, `expected StorageError(${code}), got ${caught.code}: ${caught.message}`);
  return caught;
}
