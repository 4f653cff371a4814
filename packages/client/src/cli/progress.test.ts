import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressBar } from './progress.js';
import { EXIT, exitCodeOf } from './context.js';
import { ClientError } from '../index.js';

test('the progress bar redraws on whole percents and ends with a newline, on a terminal only', () => {
  const out: string[] = [];
  const bar = new ProgressBar(200, 'Verifying', (s) => out.push(s), true);
  for (let i = 1; i <= 200; i++) bar.update(i);
  bar.done();
  assert.equal(out.length, 101, 'one frame per percent plus the final newline');
  assert.match(out[0]!, /^\rVerifying \[\.{30}\] 1% \(2\/200\)$/);
  assert.match(out.at(-2)!, /\[#{30}\] 100% \(200\/200\)$/);
  assert.equal(out.at(-1), '\n');
  const quiet: string[] = [];
  const hidden = new ProgressBar(10, 'x', (s) => quiet.push(s), false);
  hidden.update(5);
  hidden.done();
  assert.deepEqual(quiet, []);
});

test('exit codes: 1 for failed checks, 2 for usage, 3 for missing trust, 4 otherwise', () => {
  assert.equal(exitCodeOf(new ClientError('VERIFICATION_FAILED', 'x')), EXIT.VERIFICATION_FAILED);
  assert.equal(exitCodeOf(new ClientError('IDENTITY_MISMATCH', 'x')), 1);
  assert.equal(exitCodeOf(new ClientError('LOG_INCONSISTENT', 'x')), 1);
  assert.equal(exitCodeOf(new ClientError('USAGE', 'x')), 2);
  assert.equal(exitCodeOf(new ClientError('NO_TRUST', 'x')), 3);
  assert.equal(exitCodeOf(new ClientError('SERVICE_ERROR', 'x')), 4);
  assert.equal(exitCodeOf(new Error('boom')), 4);
});
