// The built `signet` CLI, driven as a subprocess against the running stack (found through the
// stack's stack.json, as a developer would after `npm start`): keyless, key-pair and attestation
// flows with their failure cases, log inspection, trust setup, and interoperability with
// sigstore-js in both directions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sigstore from 'sigstore';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { databaseVariants, startTestStack, type TestStack } from '../helpers/stack.js';

const bin = fileURLToPath(new URL('../../packages/client/bin/signet.js', import.meta.url));
const devIdentity = 'carol@example.com';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function signet(stack: TestStack, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: stack.dataDir,
        env: { PATH: process.env.PATH ?? '', HOME: stack.dataDir, SIGNET_DATA_DIR: stack.dataDir, SIGNET_STATE_DIR: join(stack.dataDir, 'client-state'), ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr }),
    );
  });
}

const ok = (r: Run) => assert.equal(r.code, 0, `expected success, got ${r.code}: ${r.stderr}`);
const fails = (r: Run, code: number, message: RegExp) => {
  assert.equal(r.code, code, `expected exit ${code}, got ${r.code}: ${r.stderr}`);
  assert.match(r.stderr, message);
};

for (const db of databaseVariants()) {
  describe(`signet CLI against the stack on ${db.name}`, () => {
    let stack: TestStack;
    let identityFlags: string[];
    const teardown: (() => Promise<void>)[] = [];
    after(async () => {
      for (const fn of teardown) await fn();
    });
    before(async () => {
      stack = await startTestStack({ after: (fn) => teardown.push(fn) }, db.url);
      identityFlags = ['--certificate-identity', devIdentity, '--certificate-oidc-issuer', stack.info.oidcIssuerUrl];
      await writeFile(join(stack.dataDir, 'app.bin'), 'application bytes\n');
      await writeFile(join(stack.dataDir, 'other.bin'), 'something else\n');
      await writeFile(join(stack.dataDir, 'sbom.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [] }));
    });

    test('keyless sign-blob then verify-blob; tampered artifact and wrong identity fail', async () => {
      ok(await signet(stack, ['sign-blob', 'app.bin', '--bundle', 'app.sigstore.json', '--dev-identity', devIdentity]));
      const verified = await signet(stack, ['verify-blob', 'app.bin', '--bundle', 'app.sigstore.json', ...identityFlags, '--json']);
      ok(verified);
      assert.equal(JSON.parse(verified.stdout).identity.subjectAlternativeName, devIdentity);
      fails(await signet(stack, ['verify-blob', 'other.bin', '--bundle', 'app.sigstore.json', ...identityFlags]), 1, /signature/);
      fails(await signet(stack, ['verify-blob', 'app.bin', '--bundle', 'app.sigstore.json', '--certificate-identity', 'mallory@example.com', '--certificate-oidc-issuer', stack.info.oidcIssuerUrl]), 1, /identity/);
      fails(await signet(stack, ['verify-blob', 'app.bin', '--bundle', 'app.sigstore.json', '--certificate-identity-regexp', 'carol', '--certificate-oidc-issuer', stack.info.oidcIssuerUrl]), 1, /identity/);

      // The bundle verifies with @sigstore/verify directly, at default thresholds.
      const bundle = JSON.parse(await readFile(join(stack.dataDir, 'app.sigstore.json'), 'utf8'));
      const root = TrustedRoot.fromJSON(JSON.parse(await readFile(stack.info.trustedRootPath, 'utf8')));
      new Verifier(toTrustMaterial(root)).verify(toSignedEntity(bundleFromJSON(bundle), Buffer.from('application bytes\n')), {
        subjectAlternativeName: devIdentity,
        extensions: { issuer: stack.info.oidcIssuerUrl },
      });
    });

    test('generate-key-pair, sign-blob --key, verify-blob --key; wrong key and tampered artifact fail', async () => {
      const env = { SIGNET_PASSWORD: 'correct horse battery staple' };
      ok(await signet(stack, ['generate-key-pair', '--output-key-prefix', 'release'], env));
      ok(await signet(stack, ['generate-key-pair', '--output-key-prefix', 'stranger'], env));
      fails(await signet(stack, ['generate-key-pair', '--output-key-prefix', 'release'], env), 4, /already exists/);
      ok(await signet(stack, ['sign-blob', 'app.bin', '--key', 'release.key', '--bundle', 'app.key.json'], env));
      fails(await signet(stack, ['sign-blob', 'app.bin', '--key', 'release.key'], { SIGNET_PASSWORD: 'wrong' }), 4, /password/);
      ok(await signet(stack, ['verify-blob', 'app.bin', '--bundle', 'app.key.json', '--key', 'release.pub']));
      fails(await signet(stack, ['verify-blob', 'other.bin', '--bundle', 'app.key.json', '--key', 'release.pub']), 1, /signature/);
      fails(await signet(stack, ['verify-blob', 'app.bin', '--bundle', 'app.key.json', '--key', 'stranger.pub']), 1, /failed/);
    });

    test('attest then verify-attestation; wrong predicate type, identity and subject fail', async () => {
      ok(await signet(stack, ['attest', 'app.bin', '--predicate', 'sbom.json', '--type', 'cyclonedx', '--bundle', 'app.att.json', '--dev-identity', devIdentity]));
      const verified = await signet(stack, ['verify-attestation', 'app.bin', '--bundle', 'app.att.json', '--type', 'cyclonedx', ...identityFlags, '--json']);
      ok(verified);
      assert.equal(JSON.parse(verified.stdout).statement.predicateType, 'https://cyclonedx.org/bom');
      fails(await signet(stack, ['verify-attestation', 'app.bin', '--bundle', 'app.att.json', '--type', 'spdxjson', ...identityFlags]), 1, /predicate type/);
      fails(await signet(stack, ['verify-attestation', 'other.bin', '--bundle', 'app.att.json', '--type', 'cyclonedx', ...identityFlags]), 1, /subject/);
      fails(await signet(stack, ['verify-attestation', 'app.bin', '--bundle', 'app.att.json', '--type', 'cyclonedx', '--certificate-identity', 'eve@example.com', '--certificate-oidc-issuer', stack.info.oidcIssuerUrl]), 1, /identity/);
    });

    test('bundles sigstore-js writes verify with signet verify-blob', async () => {
      const data = Buffer.from('signed by sigstore-js\n');
      await writeFile(join(stack.dataDir, 'js.bin'), data);
      const bundle = await sigstore.sign(data, { fulcioURL: stack.info.caUrl, rekorURL: stack.info.tlogUrl, identityProvider: { getToken: () => stack.token(devIdentity) } });
      await writeFile(join(stack.dataDir, 'js.sigstore.json'), JSON.stringify(bundle));
      ok(await signet(stack, ['verify-blob', 'js.bin', '--bundle', 'js.sigstore.json', ...identityFlags]));
    });

    test('log info, get, search and verify (with remembered checkpoints)', async () => {
      const info = await signet(stack, ['log', 'info', '--json']);
      ok(info);
      assert.ok(JSON.parse(info.stdout).treeSize >= 1);
      const got = await signet(stack, ['log', 'get', '--index', '0', '--json']);
      ok(got);
      assert.match(JSON.parse(got.stdout).entryId, /^[0-9a-f]{80}$/);
      const found = await signet(stack, ['log', 'search', '--email', devIdentity, '--json']);
      ok(found);
      assert.ok(JSON.parse(found.stdout).length >= 1);
      const byArtifact = await signet(stack, ['log', 'search', '--artifact', 'app.bin', '--json']);
      ok(byArtifact);
      assert.ok(JSON.parse(byArtifact.stdout).length >= 1);
      ok(await signet(stack, ['log', 'verify', '--index', '0']));
      const range = await signet(stack, ['log', 'verify', '--from', '0', '--json']);
      ok(range);
      assert.ok(JSON.parse(range.stdout).verifiedEntries >= 1);
      fails(await signet(stack, ['log', 'get']), 2, /--index/);
    });

    test('a rolled-back log is caught by log verify', async () => {
      const stateDir = join(stack.dataDir, 'client-state');
      ok(await signet(stack, ['log', 'verify']));
      const seen = JSON.parse(await readFile(join(stateDir, 'checkpoints.json'), 'utf8'));
      for (const v of Object.values(seen) as { size: string }[]) v.size = String(Number(v.size) + 1000);
      await writeFile(join(stateDir, 'checkpoints.json'), JSON.stringify(seen));
      fails(await signet(stack, ['log', 'verify']), 1, /rollback/);
    });

    test('trust init through the TUF mirror, then trust show and verification from it', async () => {
      const env = { SIGNET_STATE_DIR: join(stack.dataDir, 'tuf-client') };
      ok(await signet(stack, ['trust', 'init', '--mirror', stack.info.tufUrl, '--root', stack.info.tufRootPath], env));
      const shown = await signet(stack, ['trust', 'show'], env);
      ok(shown);
      assert.match(shown.stdout, /ctlog/);
      // No stack.json trusted root in the way: a data dir without one, trust from the TUF mirror.
      ok(await signet(stack, ['verify-blob', 'app.bin', '--bundle', 'app.sigstore.json', ...identityFlags], { ...env, SIGNET_DATA_DIR: join(stack.dataDir, 'nowhere') }));
      fails(await signet(stack, ['trust', 'show'], { SIGNET_STATE_DIR: join(stack.dataDir, 'empty'), SIGNET_DATA_DIR: join(stack.dataDir, 'nowhere') }), 3, /no trusted root/);
    });

    test('every command has --help; usage errors exit 2', async () => {
      const commands = ['sign-blob', 'verify-blob', 'attest', 'verify-attestation', 'generate-key-pair', 'log', 'trust'];
      for (const help of await Promise.all(commands.map((command) => signet(stack, [command, '--help'])))) {
        ok(help);
        assert.match(help.stdout, /Usage: signet/);
      }
      fails(await signet(stack, ['verify-blob', 'app.bin', '--bundle', 'app.sigstore.json']), 2, /certificate-identity/);
      fails(await signet(stack, ['frobnicate']), 2, /unknown command/);
    });
  });
}
