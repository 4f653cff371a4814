// Seeded mutation fuzzing of the Rekor routes (app.inject): valid bodies and URLs of every route,
// mutated at every layer (JSON, base64, PEM, DER, nested JSON), must get a 2xx or a 4xx whose Rekor
// body names the problem — never a 5xx, never a crash — and the log must keep serving afterwards.
// Deterministic: fixed seed, fixed keys (test/testonly/fuzz.ts), so a reported case replays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createFuzzer } from '@signet/pki/testonly';
import { testDrivers } from '@signet/storage/testonly';
import { startTestTlog, type TestTlog } from '../../test/testonly/tlog.js';
import { clientKey, hashedrekord } from '../../test/testonly/fixtures.js';
import {
  fuzzEntryId,
  fuzzQuery,
  fuzzTilePath,
  jsonPost,
  mutatedPost,
  rekorSeeds,
  type RekorSeeds,
} from '../../test/testonly/fuzz.js';

const SEED = 0x5167e7;
const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));

for (const driver of drivers) {
  describe(`Rekor routes under fuzzing (${driver.name})`, () => {
    let tl: TestTlog;
    let seeds: object[];
    let resigned: RekorSeeds['resigned'];
    const entryIds: string[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    before(async () => {
      tl = await startTestTlog((fn) => cleanups.push(fn), driver, { maxBodyBytes: 256 * 1024 });
      ({ entries: seeds, resigned } = await rekorSeeds());
      for (const seed of seeds) {
        const res = await tl.app.inject(jsonPost('/api/v1/log/entries', seed));
        assert.equal(res.statusCode, 201, `every seed is a valid entry: ${res.body}`);
        entryIds.push(res.headers.etag as string);
      }
    });
    after(async () => {
      for (const fn of cleanups) await fn();
    });

    const fuzz = createFuzzer({ seed: SEED, send: (r) => tl.app.inject(r), messageOf: 'message' });

    test('POST /api/v1/log/entries', () => fuzz('create', 1000, (rng) => mutatedPost('/api/v1/log/entries', rng.pick(seeds), rng)));

    test('POST /api/v1/log/entries with mutated content signed again', () =>
      fuzz('create-signed', 300, async (rng) => jsonPost('/api/v1/log/entries', await resigned(rng))));

    test('GET /api/v1/log/entries?logIndex=', () =>
      fuzz('by-index', 300, (rng) => ({ method: 'GET', url: `/api/v1/log/entries?${fuzzQuery(['logIndex'], rng)}` })));

    test('GET /api/v1/log/entries/{entryUUID}', () =>
      fuzz('by-uuid', 400, (rng) => ({ method: 'GET', url: `/api/v1/log/entries/${fuzzEntryId(rng.pick(entryIds), rng)}` })));

    test('POST /api/v1/log/entries/retrieve', () =>
      fuzz('retrieve', 400, (rng) => {
        const query = { entryUUIDs: [rng.pick(entryIds), rng.pick(entryIds).slice(16)], logIndexes: [0, 1], entries: [rng.pick(seeds)] };
        return mutatedPost('/api/v1/log/entries/retrieve', query, rng);
      }));

    test('POST /api/v1/index/retrieve', () =>
      fuzz('index', 400, (rng) => {
        const pem = rng.pick(seeds.map(verifierPemOf).filter((p): p is string => p !== undefined));
        const query = {
          hash: `sha256:${createHash('sha256').update('fuzz rsa').digest('hex')}`,
          email: 'fuzz@example.com',
          subject: 'fuzz@example.com',
          publicKey: { format: 'x509', content: rng.chance(0.5) ? Buffer.from(pem).toString('base64') : pem },
          operator: rng.pick(['and', 'or']),
        };
        return mutatedPost('/api/v1/index/retrieve', query, rng);
      }));

    test('GET /api/v1/log/proof and /api/v1/log/publicKey', () =>
      fuzz('proof', 400, (rng) =>
        rng.chance(0.8)
          ? { method: 'GET', url: `/api/v1/log/proof?${fuzzQuery(['firstSize', 'lastSize', 'treeID'], rng, [...QUERY_EXTRA, String(tl.treeId)])}` }
          : { method: 'GET', url: `/api/v1/log/publicKey?${fuzzQuery(['treeID'], rng, [...QUERY_EXTRA, String(tl.treeId)])}` },
      ));

    test('tile and checkpoint routes', () =>
      fuzz('tiles', 500, (rng) => ({ method: 'GET', url: `${rng.pick(['', '/api/v2'])}/${rng.chance(0.05) ? 'checkpoint' : `tile/${fuzzTilePath(rng)}`}` })));

    test('the log still serves after the fuzzing: append, read back, log info', async () => {
      const res = await tl.app.inject(jsonPost('/api/v1/log/entries', hashedrekord(clientKey(), Buffer.from('alive after fuzzing')).proposed));
      assert.equal(res.statusCode, 201, res.body);
      const entryId = res.headers.etag as string;
      const back = await tl.app.inject({ method: 'GET', url: `/api/v1/log/entries/${entryId}` });
      assert.equal(back.statusCode, 200, back.body);
      const info = await tl.app.inject({ method: 'GET', url: '/api/v1/log' });
      assert.equal(info.statusCode, 200, info.body);
      assert.ok(info.json().treeSize > seeds.length);
    });
  });
}

/** Query values beyond the shared list: sizes around a small log's head and tree IDs. */
const QUERY_EXTRA = ['0', '1', '2', '3', '7', '8', '100', '-1', 'x', '', '1.5', 'Infinity', '9223372036854775807', '9223372036854775808', '0x1'];

/** The verifier PEM of a seed entry (hashedrekord's key, dsse's first verifier), if any. */
function verifierPemOf(seed: object): string | undefined {
  const spec = (seed as { spec: Record<string, any> }).spec;
  const b64 = spec.signature?.publicKey?.content ?? spec.proposedContent?.verifiers?.[0];
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
}
