// Assertions on CaError codes for the identity tests (tests assert codes, never messages).
import assert from 'node:assert/strict';
import { CaError, type CaErrorCode } from '../../errors.js';

/** Asserts that `fn` throws a CaError with `code`; returns it for further checks. */
export function assertThrowsCa(fn: () => unknown, code: CaErrorCode): CaError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CaError, `expected CaError(${code}), got ${String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  return caught;
}

/** Asserts that `promise` rejects with a CaError with `code`; returns it for further checks. */
export async function assertRejectsCa(promise: Promise<unknown>, code: CaErrorCode): Promise<CaError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CaError, `expected CaError(${code}), got ${String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  return caught;
}
