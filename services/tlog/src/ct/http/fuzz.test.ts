// Seeded mutation fuzzing of the CT routes (app.inject): add-chain / add-pre-chain bodies mutated at
// every layer (JSON, base64, DER), chains of any composition, and hostile query strings on the read
// routes must get a 2xx or a 4xx whose CT body names the problem — never a 5xx, never a crash — and
// the log must keep serving afterwards. Deterministic: fixed seed, fixed keys and clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashLeaf } from '@signet/merkle';
import { createFuzzer, mutateSigned, mutateString, percentEncode, type FuzzRequest, type Rng } from '@signet/pki/testonly';
import { testDrivers } from '@signet/storage/testonly';
import { fixedCa, fixedP256Spki, fuzzQuery, fuzzTilePath, jsonPost, mutatedPost, QUERY_VALUES, type FixedCa } from '../../../test/testonly/fuzz.js';
import { startTestCtApp, type TestCtApp } from '../testonly/fixtures.js';

const SEED = 0xc7f022;
const drivers = testDrivers(process.env.DATABASE_URL);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/**
 * The message of a CT error body. Requests the router refuses before any route runs (a path segment
 * over the router's limit, an undecodable escape) are answered in Rekor's shape on every path, by
 * design (bad-url.test.ts pins it); everything under a CT route answers in the CT shape.
 */
const ctMessage = (body: Record<string, unknown>): unknown =>
  body.error_message ?? (typeof body.message === 'string' && body.message.startsWith('malformed request URL') ? body.message : undefined);

for (const driver of drivers) {
  describe(`CT routes under fuzzing (${driver.name})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    let t: TestCtApp;
    let c: FixedCa & { precertDer: Uint8Array; certDer: Uint8Array };
    let leafHashes: string[];
    before(async () => {
      const ca = await fixedCa();
      c = { ...ca, precertDer: await ca.issueLeaf(fixedP256Spki(), 12n, true), certDer: await ca.issueLeaf(fixedP256Spki(), 12n) };
      t = await startTestCtApp((fn) => cleanups.push(fn), driver, { rootsPem: c.rootsPem, now: () => c.now });
      for (const [path, leaf] of [['add-pre-chain', c.precertDer], ['add-chain', c.certDer]] as const) {
        const res = await t.app.inject(jsonPost(`/ct/ct/v1/${path}`, { chain: [b64(leaf), b64(c.intermediateDer), b64(c.rootDer)] }));
        assert.equal(res.statusCode, 200, `the seed chains are accepted: ${res.body}`);
      }
      const entries = (await t.app.inject({ method: 'GET', url: '/ct/ct/v1/get-entries?start=0&end=1' })).json().entries as { leaf_input: string }[];
      leafHashes = entries.map((e) => b64(hashLeaf(Buffer.from(e.leaf_input, 'base64'))));
    });
    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
      await driver.cleanup();
    });

    const fuzz = createFuzzer({ seed: SEED, send: (r) => t.app.inject(r), messageOf: ctMessage });

    /** A chain body: the valid one mutated, or a chain of any composition (root only, repeats, garbage, non-strings). */
    const chainBody = (rng: Rng, path: 'add-chain' | 'add-pre-chain'): FuzzRequest => {
      const url = `/ct/ct/v1/${path}`;
      const leaf = path === 'add-chain' ? c.certDer : c.precertDer;
      if (rng.chance(0.7)) return mutatedPost(url, { chain: [b64(leaf), b64(c.intermediateDer), b64(c.rootDer)] }, rng);
      const pool: (() => unknown)[] = [
        () => b64(c.precertDer),
        () => b64(c.certDer),
        () => b64(c.intermediateDer),
        () => b64(c.rootDer),
        () => mutateString(b64(rng.pick([c.precertDer, c.certDer, c.intermediateDer, c.rootDer])), rng),
        () => b64(rng.bytes(rng.int(300))),
        () => rng.pick([null, 1, {}, [], true, '', '====', 'x'.repeat(200_000)]),
      ];
      const length = rng.pick([0, 1, 1, 2, 3, 8, 9, 40]);
      return jsonPost(url, { chain: Array.from({ length }, () => rng.pick(pool)()) });
    };

    test('POST add-chain', () => fuzz('add-chain', 500, (rng) => chainBody(rng, 'add-chain')));
    test('POST add-pre-chain', () => fuzz('add-pre-chain', 500, (rng) => chainBody(rng, 'add-pre-chain')));
    test('POST add-chain / add-pre-chain with a mutated leaf signed again by the intermediate', () =>
      fuzz('resigned', 300, async (rng) => {
        const path = rng.pick(['add-chain', 'add-pre-chain'] as const);
        const leaf = await mutateSigned(rng.pick([c.certDer, c.precertDer]), rng, (tbs) => c.intermediateSigner.sign(tbs));
        return jsonPost(`/ct/ct/v1/${path}`, { chain: [b64(leaf), b64(c.intermediateDer), ...(rng.chance(0.5) ? [b64(c.rootDer)] : [])] });
      }));

    const values = [...QUERY_VALUES, '0', '1', '2', '3', '255', '256', '257', '1000000'];
    test('GET get-sth-consistency', () =>
      fuzz('consistency', 300, (rng) => ({ method: 'GET', url: `/ct/ct/v1/get-sth-consistency?${fuzzQuery(['first', 'second'], rng, values)}` })));
    test('GET get-entries', () =>
      fuzz('entries', 300, (rng) => ({ method: 'GET', url: `/ct/ct/v1/get-entries?${fuzzQuery(['start', 'end'], rng, values)}` })));
    test('GET get-entry-and-proof', () =>
      fuzz('entry-and-proof', 300, (rng) => ({ method: 'GET', url: `/ct/ct/v1/get-entry-and-proof?${fuzzQuery(['leaf_index', 'tree_size'], rng, values)}` })));
    test('GET get-proof-by-hash', () =>
      fuzz('proof-by-hash', 400, (rng) => {
        const hash = rng.pick(leafHashes);
        const hashes = [hash, percentEncode(hash), hash.replace(/=+$/, ''), hash.replaceAll('+', '-').replaceAll('/', '_'), percentEncode(mutateString(hash, rng)), b64(rng.bytes(rng.pick([0, 31, 32, 33, 48]))), ...QUERY_VALUES];
        const size = rng.pick(['1', '2', '3', ...values]);
        const parts = [`hash=${rng.pick(hashes)}`, `tree_size=${size}`].filter(() => rng.chance(0.9));
        return { method: 'GET', url: `/ct/ct/v1/get-proof-by-hash?${parts.join('&')}` };
      }));
    test('GET get-roots, get-sth, checkpoint, tiles and issuers', () =>
      fuzz('reads', 500, (rng) => {
        const fp = createHash('sha256').update(rng.pick([c.rootDer, c.intermediateDer])).digest('hex');
        const path = rng.pick([
          () => '/ct/v1/get-roots',
          () => '/ct/v1/get-sth',
          () => `/ct/v1/get-roots?${fuzzQuery(['x'], rng)}`,
          () => '/checkpoint',
          () => `/tile/${fuzzTilePath(rng, 'data')}`,
          () => `/issuer/${rng.pick([fp, fp.toUpperCase(), fp.slice(1), `${fp}0`, 'z'.repeat(64), '', '%00', percentEncode(mutateString(fp, rng))])}`,
        ])();
        return { method: rng.chance(0.95) ? 'GET' : 'POST', url: `/ct${path}` };
      }));

    test('the log still serves after the fuzzing: a new submission is logged', async () => {
      const before = (await t.app.inject({ method: 'GET', url: '/ct/ct/v1/get-sth' })).json().tree_size as number;
      const res = await t.app.inject(jsonPost('/ct/ct/v1/add-pre-chain', { chain: [b64(await c.issueLeaf(fixedP256Spki(), 99n, true)), b64(c.intermediateDer)] }));
      assert.equal(res.statusCode, 200, res.body);
      const sth = await t.app.inject({ method: 'GET', url: '/ct/ct/v1/get-sth' });
      assert.equal(sth.statusCode, 200, sth.body);
      assert.equal(sth.json().tree_size, before + 1);
    });
  });
}
