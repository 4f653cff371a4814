// Small helpers shared by the log engine's tests (and the service's crash test).
import assert from 'node:assert/strict';
import type { Signer } from '@signet/pki';
import { LogError, type LogErrorCode } from '../errors.js';
import type { CheckpointVerifierKey } from './check-log.js';

/**
 * Asserts that `promise` (or the promise `fn` returns) rejects with a `LogError` of `code`, and
 * returns the error for checks on its details.
 */
export async function assertLogError(
  promise: Promise<unknown> | (() => Promise<unknown>),
  code: LogErrorCode,
): Promise<LogError> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof LogError, `expected LogError(${code}), got ${caught === undefined ? 'no error' : String(caught)}`);
  assert.equal(caught.code, code, `expected LogError(${code}), got ${caught.code}: ${caught.message}`);
  return caught;
}

/** The checkpoint verifier key of a log opened with `signer` (`log` gives name, key ID, origin). */
export function verifierKeyOf(
  log: { noteKeyName: string; noteKeyId: Uint8Array; origin: string },
  signer: Signer,
): CheckpointVerifierKey {
  return { publicKeyDer: signer.publicKeyDer, name: log.noteKeyName, keyId: log.noteKeyId, origin: log.origin };
}

/** A distinct, deterministic entry body. */
export function testBody(label: string | number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ kind: 'test', label: String(label) }));
}
