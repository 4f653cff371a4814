import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTrustedRoot } from '@sigstore/tuf';
import { openSigner } from '@signet/pki';
import { TufRepository } from './repository.js';
import { TrustError } from '../errors.js';
import { buildTrustedRoot } from '../trusted-root.js';
import { writeAirGapBundle } from '../export.js';
import { serveDirectory } from '../testonly/static-server.js';

const p256 = () => openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' });
const ed25519 = () => openSigner({ kind: 'ephemeral', algorithm: 'ed25519' });

async function trustedRootBytes(baseUrl: string): Promise<Uint8Array> {
  const key = await p256();
  const root = buildTrustedRoot({
    certificateAuthorities: [],
    tlogs: [{ baseUrl, publicKeyDer: key.publicKeyDer, keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: new Date('2026-01-01T00:00:00Z') } }],
    ctlogs: [],
  });
  return Buffer.from(JSON.stringify(root));
}

async function scratch(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'signet-tuf-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Fetches trusted_root.json through @sigstore/tuf, the client sigstore-js uses. */
async function fetchThroughTuf(mirrorURL: string, rootPath: string, cachePath: string) {
  return getTrustedRoot({ mirrorURL, rootPath, cachePath, retry: false, timeout: 5000 });
}

test('@sigstore/tuf fetches trusted_root.json from a new repository and follows updates', async (t) => {
  const dir = await scratch(t);
  const [rootKey, online] = [await p256(), await p256()];
  const repo = await TufRepository.create({
    dir: join(dir, 'repo'),
    onlineSigner: online,
    rootSigners: [rootKey],
    rootThreshold: 1,
    now: () => new Date(),
    targets: { 'trusted_root.json': await trustedRootBytes('https://log-one.example') },
  });
  const server = await serveDirectory(join(dir, 'repo'));
  t.after(server.close);

  const cache = join(dir, 'cache');
  const first = await fetchThroughTuf(server.url, join(dir, 'repo', '1.root.json'), cache);
  assert.equal(first.tlogs[0]?.baseUrl, 'https://log-one.example');
  assert.ok(server.requests.includes('/timestamp.json'));
  assert.ok(server.requests.some((r) => /^\/targets\/[0-9a-f]{64}\.trusted_root\.json$/.test(r)), 'consistent-snapshot target path');

  await repo.publishTargets({ 'trusted_root.json': await trustedRootBytes('https://log-two.example') });
  const second = await fetchThroughTuf(server.url, join(dir, 'repo', '1.root.json'), cache);
  assert.equal(second.tlogs[0]?.baseUrl, 'https://log-two.example');
});

test('root rotation: clients seeded with root v1 follow to v2 signed by old and new keys', async (t) => {
  const dir = await scratch(t);
  const [oldRoot, newRoot, online, newOnline] = [await p256(), await ed25519(), await p256(), await ed25519()];
  const repo = await TufRepository.create({
    dir,
    onlineSigner: online,
    rootSigners: [oldRoot],
    rootThreshold: 1,
    now: () => new Date(),
    targets: { 'trusted_root.json': await trustedRootBytes('https://rotated.example') },
  });
  const server = await serveDirectory(dir);
  t.after(server.close);
  const seed = join(dir, '..', `${Date.now()}-seed.json`);
  await writeFile(seed, await readFile(join(dir, '1.root.json')));
  t.after(() => rm(seed, { force: true }));

  assert.equal(await repo.rotateRoot({ currentRootSigners: [oldRoot], newRootSigners: [newRoot], newThreshold: 1, newOnlineSigner: newOnline }), 2);
  const cache = await scratch(t);
  const root = await fetchThroughTuf(server.url, seed, cache);
  assert.equal(root.tlogs[0]?.baseUrl, 'https://rotated.example');
  assert.ok(server.requests.includes('/2.root.json') && server.requests.includes('/3.root.json'), 'client probed for root v3 and stopped on 404');

  const reopened = await TufRepository.open({ dir, onlineSigner: newOnline, now: () => new Date() });
  assert.equal(reopened.rootVersion, 2);
});

test('rotation without the current root threshold is refused', async (t) => {
  const dir = await scratch(t);
  const [a, b, online, stranger] = [await p256(), await p256(), await p256(), await p256()];
  const repo = await TufRepository.create({ dir, onlineSigner: online, rootSigners: [a, b], rootThreshold: 2, now: () => new Date(), targets: {} });
  await assert.rejects(
    repo.rotateRoot({ currentRootSigners: [a, stranger], newRootSigners: [stranger], newThreshold: 1 }),
    (e: unknown) => e instanceof TrustError && e.code === 'THRESHOLD_NOT_MET',
  );
  await assert.rejects(
    TufRepository.create({ dir, onlineSigner: online, rootSigners: [a], rootThreshold: 2, now: () => new Date(), targets: {} }),
    (e: unknown) => e instanceof TrustError && e.code === 'BAD_INPUT',
  );
});

test('open refuses an online key the root does not name', async (t) => {
  const dir = await scratch(t);
  await TufRepository.create({ dir, onlineSigner: await p256(), rootSigners: [await p256()], rootThreshold: 1, now: () => new Date(), targets: {} });
  await assert.rejects(TufRepository.open({ dir, onlineSigner: await p256(), now: () => new Date() }), (e: unknown) => e instanceof TrustError && e.code === 'BAD_INPUT');
});

test('refresh re-signs online roles before they expire, and expired metadata is refused by clients', async (t) => {
  const dir = await scratch(t);
  const day = 86_400_000;
  let now = Date.now() - 3 * day; // built three days ago: the 2-day timestamp has expired
  const online = await p256();
  const repo = await TufRepository.create({
    dir,
    onlineSigner: online,
    rootSigners: [await p256()],
    rootThreshold: 1,
    now: () => new Date(now),
    targets: { 'trusted_root.json': await trustedRootBytes('https://refresh.example') },
  });
  const server = await serveDirectory(dir);
  t.after(server.close);
  await assert.rejects(fetchThroughTuf(server.url, join(dir, '1.root.json'), await scratch(t)), (e: Error) =>
    /timestamp\.json is expired/.test(String((e.cause as Error | undefined)?.message)),
  );

  now = Date.now();
  assert.deepEqual(await repo.refresh(), ['timestamp']);
  assert.deepEqual(await repo.refresh(), [], 'nothing is stale right after a refresh');
  const root = await fetchThroughTuf(server.url, join(dir, '1.root.json'), await scratch(t));
  assert.equal(root.tlogs[0]?.baseUrl, 'https://refresh.example');

  now = Date.now() + 50 * day; // targets (90 d) past half-life: everything is re-signed
  assert.deepEqual(await repo.refresh(), ['targets', 'snapshot', 'timestamp']);
});

test('a tampered target is refused by the client', async (t) => {
  const dir = await scratch(t);
  await TufRepository.create({
    dir,
    onlineSigner: await p256(),
    rootSigners: [await p256()],
    rootThreshold: 1,
    now: () => new Date(),
    targets: { 'trusted_root.json': await trustedRootBytes('https://honest.example') },
  });
  const targets = JSON.parse(await readFile(join(dir, 'targets.json'), 'utf8'));
  const hash = targets.signed.targets['trusted_root.json'].hashes.sha256 as string;
  const path = join(dir, 'targets', `${hash}.trusted_root.json`);
  await writeFile(path, (await readFile(path, 'utf8')).replace('honest', 'forged'));
  const server = await serveDirectory(dir);
  t.after(server.close);
  await assert.rejects(fetchThroughTuf(server.url, join(dir, '1.root.json'), await scratch(t)));
});

test('the air-gap bundle unpacks into a working mirror', async (t) => {
  const dir = await scratch(t);
  const trustedRoot = await trustedRootBytes('https://airgap.example');
  await TufRepository.create({ dir: join(dir, 'repo'), onlineSigner: await p256(), rootSigners: [await p256()], rootThreshold: 1, now: () => new Date(), targets: { 'trusted_root.json': trustedRoot } });
  const out = join(dir, 'bundle.tar.gz');
  await writeAirGapBundle({ tufDir: join(dir, 'repo'), trustedRoot, signingConfig: Buffer.from('{}'), out });
  const unpacked = join(dir, 'unpacked');
  await mkdir(unpacked);
  execFileSync('tar', ['-xzf', out, '-C', unpacked]);
  assert.deepEqual(await readFile(join(unpacked, 'trusted_root.json')), Buffer.from(trustedRoot));
  const server = await serveDirectory(join(unpacked, 'tuf'));
  t.after(server.close);
  const root = await fetchThroughTuf(server.url, join(unpacked, 'tuf', '1.root.json'), await scratch(t));
  assert.equal(root.tlogs[0]?.baseUrl, 'https://airgap.example');
});
