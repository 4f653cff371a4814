import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pemEncode } from '../pem.js';
import { assertThrowsCode } from '../testonly/assert-code.js';
import { parseCsr } from './csr.js';
import { describeName } from './name.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** Runs `openssl req` for a key of `keyArgs` and returns the CSR PEM, its DER and the key's SPKI. */
function opensslCsr(keyArgs: string[]): { pem: string; der: Uint8Array; spki: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'signet-csr-'));
  try {
    const run = (args: string[]): void => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    run(['req', '-new', ...keyArgs, '-nodes', '-keyout', 'key.pem', '-subj', '/O=signet/CN=requester', '-out', 'csr.pem']);
    run(['req', '-in', 'csr.pem', '-outform', 'DER', '-out', 'csr.der']);
    const spki = createPublicKey(readFileSync(join(dir, 'key.pem'))).export({ format: 'der', type: 'spki' });
    return { pem: readFileSync(join(dir, 'csr.pem'), 'utf8'), der: new Uint8Array(readFileSync(join(dir, 'csr.der'))), spki: new Uint8Array(spki) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skip = hasOpenssl ? false : 'openssl binary not installed';

test('accepts CSRs made by openssl req (P-256, P-384, Ed25519), as PEM and DER', { skip }, () => {
  for (const keyArgs of [
    ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    ['-newkey', 'ed25519'],
  ]) {
    const { pem, der, spki } = opensslCsr(keyArgs);
    const fromPem = parseCsr(pem);
    assert.deepEqual(fromPem.spki, spki, keyArgs.join(' '));
    assert.equal(describeName(fromPem.subject), 'O=signet, CN=requester');
    assert.deepEqual(parseCsr(der).spki, spki);
  }
});

test('rejects a tampered CSR with BAD_SIGNATURE', { skip }, () => {
  const { der } = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  const at = Buffer.from(der).indexOf(Buffer.from('requester'));
  assert.ok(at > 0);
  const tampered = der.slice();
  tampered[at] = 'R'.charCodeAt(0);
  assertThrowsCode(() => parseCsr(tampered), 'BAD_SIGNATURE');
  assertThrowsCode(() => parseCsr(pemEncode('CERTIFICATE REQUEST', tampered)), 'BAD_SIGNATURE');
});

test('rejects malformed CSRs with BAD_CSR', { skip }, () => {
  const { der } = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  assertThrowsCode(() => parseCsr(der.subarray(0, der.length - 2)), 'BAD_CSR');
  assertThrowsCode(() => parseCsr(Uint8Array.of(0x30, 0x00)), 'BAD_CSR');
  assertThrowsCode(() => parseCsr('not a pem'), 'BAD_CSR');
  assertThrowsCode(() => parseCsr(pemEncode('CERTIFICATE', der)), 'BAD_CSR');
  // unknown signature algorithm: rewrite ecdsa-with-SHA256 (…04 03 02) to an unassigned …04 03 09
  const oid = Buffer.from('2a8648ce3d040302', 'hex');
  const at = Buffer.from(der).lastIndexOf(oid);
  const odd = der.slice();
  odd[at + oid.length - 1] = 9;
  assertThrowsCode(() => parseCsr(odd), 'BAD_CSR');
});
