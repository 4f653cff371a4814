// The LogStore contract suite, run against every driver: PGlite always, pg when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openStore, type CommitBatch, type LogStore, type NewEntry, type OpenStoreOptions, type Tile } from './index.js';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { openDb } from './open-db.js';
import { SqlLogStore } from './sql-store.js';
import { assertRejectsCode, testDrivers } from './testonly/index.js';

const drivers = testDrivers(process.env.DATABASE_URL);
after(() => Promise.all(drivers.map((d) => d.cleanup())));

const enc = new TextEncoder();
const sha256 = (...parts: (Uint8Array | string)[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const leafHash = (body: Uint8Array): Uint8Array => sha256(new Uint8Array([0]), body);
const EMPTY_ROOT = sha256();
const LOG_ID = sha256('log key A');
const OTHER_ID = sha256('log key B');

/** `n` entries from `from`, bodies unique per `tag`; keys: `tag:<tag>`, `idx:<i>`, `even`/`odd`. */
function makeEntries(tag: string, from: bigint, n: number): NewEntry[] {
  return Array.from({ length: n }, (_, k) => {
    const index = from + BigInt(k);
    const body = enc.encode(`${tag} entry ${index}`);
    return {
      index,
      leafHash: leafHash(body),
      body,
      integratedTime: 1_700_000_000_000 + k,
      extra: k % 2 === 0 ? enc.encode(`set ${index}`) : null,
      searchKeys: [`tag:${tag}`, `idx:${index}`, index % 2n === 0n ? 'even' : 'odd', `tag:${tag}`],
    };
  });
}

function makeBatch(tag: string, from: bigint, entries: NewEntry[], tiles: Tile[] = []): CommitBatch {
  const size = from + BigInt(entries.length);
  return { entries, tiles, head: { size, rootHash: sha256(tag, String(size)), checkpoint: `${tag}\n${size}\n` } };
}

/** Level-0 tile 0 made of the given entries' leaf hashes (what a log of < 256 entries stores). */
function tile0(entries: NewEntry[]): Tile {
  return { level: 0, index: 0n, hashes: new Uint8Array(Buffer.concat(entries.map((e) => e.leafHash))) };
}

const strip = (e: NewEntry) => ({ index: e.index, leafHash: e.leafHash, body: e.body, integratedTime: e.integratedTime, extra: e.extra });
const tile = (t: Tile): Tile => ({ level: t.level, index: t.index, hashes: new Uint8Array(t.hashes) });

let logCounter = 0;
const freshLog = (): string => `log${++logCounter}`;

for (const driver of drivers) {
  describe(`LogStore contract (${driver.name})`, () => {
    let store: LogStore;
    let location: OpenStoreOptions;
    before(async () => {
      location = await driver.location();
      store = await openStore(location);
    });
    after(() => store.close());

    /** Runs `fn` on a fresh location opened without `openStore` (so it can also run raw SQL), with log `name` opened. */
    async function withRawLog(fn: (db: Db, raw: SqlLogStore, name: string) => Promise<void>): Promise<void> {
      const { db, schema } = await openDb(await driver.location());
      const raw = new SqlLogStore(db);
      try {
        await migrate(db, schema);
        const name = freshLog();
        await raw.openLog(name, LOG_ID);
        await fn(db, raw, name);
      } finally {
        await raw.close();
      }
    }

    test('a fresh log has size 0, the empty-tree root and no checkpoint', async () => {
      const head = await store.openLog(freshLog(), LOG_ID);
      assert.deepEqual(head, { size: 0n, rootHash: EMPTY_ROOT, checkpoint: '' });
    });

    test('head of a log never opened is NOT_FOUND; so is a commit to it', async () => {
      await assertRejectsCode(store.head('never-opened'), 'NOT_FOUND');
      await assertRejectsCode(store.commit('never-opened', 0n, makeBatch('x', 0n, makeEntries('nf', 0n, 1))), 'NOT_FOUND');
    });

    test('reopening with the same log ID returns the current head; another log ID is refused', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const batch = makeBatch(name, 0n, makeEntries(name, 0n, 3));
      await store.commit(name, 0n, batch);
      assert.deepEqual(await store.openLog(name, LOG_ID), batch.head);
      await assertRejectsCode(store.openLog(name, OTHER_ID), 'LOG_ID_MISMATCH');
      assert.deepEqual(await store.head(name), batch.head);
    });

    test('openLog rejects a malformed log ID or name', async () => {
      await assertRejectsCode(store.openLog(freshLog(), new Uint8Array(31)), 'INVALID_ARGUMENT');
      await assertRejectsCode(store.openLog('', LOG_ID), 'INVALID_ARGUMENT');
    });

    test('commit, then read back head, entries, tiles and search keys', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const first = makeEntries(name, 0n, 5);
      await store.commit(name, 0n, makeBatch(name, 0n, first, [tile0(first)]));
      const second = makeEntries(name, 5n, 4);
      const all = [...first, ...second];
      const last = makeBatch(name, 5n, second, [tile0(all), { level: 1, index: 0n, hashes: sha256('level 1') }]);
      await store.commit(name, 5n, last);

      assert.deepEqual(await store.head(name), last.head);
      assert.deepEqual(await store.readEntries(name, { from: 0n, count: 100 }), all.map(strip));
      assert.deepEqual(
        (await store.readTiles(name, [{ level: 0, index: 0n }, { level: 1, index: 0n }])).map(tile),
        [tile0(all), { level: 1, index: 0n, hashes: sha256('level 1') }],
      );
      assert.deepEqual(await store.search(name, [`tag:${name}`], 'or', 100), all.map((e) => e.index));
      assert.deepEqual(await store.search(name, ['idx:7'], 'or', 100), [7n]);
    });

    test('empty bodies, empty and absent extras, large and non-ASCII values survive a round trip', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const entry = (b: Uint8Array, extra: Uint8Array | null, i: number): NewEntry => ({
        index: BigInt(i), leafHash: leafHash(b), body: b, integratedTime: 0, extra, searchKeys: [`ünï:${i}`, 'ü@example.com'],
      });
      const entries = [
        entry(new Uint8Array(0), new Uint8Array(0), 0),
        entry(new Uint8Array(300_000).fill(9), null, 1),
        entry(new Uint8Array([0, 0, 0]), new Uint8Array(5000).fill(1), 2),
        entry(enc.encode('last, with an empty extra'), new Uint8Array(0), 3),
      ];
      await store.commit(name, 0n, makeBatch(name, 0n, entries));
      assert.deepEqual(await store.readEntries(name, { from: 0n, count: 10 }), entries.map(strip));
      assert.deepEqual(await store.search(name, ['ü@example.com', 'ünï:2'], 'and', 10), [2n]);
    });

    test('an empty batch can move the checkpoint without entries', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const batch: CommitBatch = { entries: [], tiles: [], head: { size: 0n, rootHash: EMPTY_ROOT, checkpoint: 'signed empty\n' } };
      await store.commit(name, 0n, batch);
      assert.deepEqual(await store.head(name), batch.head);
    });

    test('two logs in one schema never mix, even with identical entries', async () => {
      const [a, b] = [freshLog(), freshLog()];
      await store.openLog(a, LOG_ID);
      await store.openLog(b, OTHER_ID);
      const same = makeEntries('shared', 0n, 3);
      await store.commit(a, 0n, makeBatch(a, 0n, same, [tile0(same)]));
      const onlyB = makeEntries('b-only', 0n, 2);
      await store.commit(b, 0n, makeBatch(b, 0n, onlyB, [tile0(onlyB)]));
      await store.commit(b, 2n, makeBatch(b, 2n, makeEntries('shared', 2n, 1)));

      assert.equal((await store.head(a)).size, 3n);
      assert.equal((await store.head(b)).size, 3n);
      assert.deepEqual(await store.readEntries(a, { from: 0n, count: 10 }), same.map(strip));
      assert.deepEqual((await store.readEntries(b, { from: 0n, count: 10 })).map((e) => e.index), [0n, 1n, 2n]);
      assert.deepEqual((await store.readTiles(a, [{ level: 0, index: 0n }])).map(tile), [tile0(same)]);
      assert.deepEqual((await store.readTiles(b, [{ level: 0, index: 0n }])).map(tile), [tile0(onlyB)]);
      assert.deepEqual(await store.search(a, ['tag:b-only'], 'or', 10), []);
      assert.deepEqual(await store.search(b, ['tag:shared'], 'or', 10), [2n]);
      assert.deepEqual((await store.readEntries(b, { leafHashes: [same[0]!.leafHash] })), []);
    });

    test('two commits racing at the same size: exactly one wins, the other gets HEAD_CONFLICT and writes nothing', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      // pg: the rival is another store (another pool) on the same schema, as a second process would be
      const second = driver.concurrentOpen ? await openStore(location) : store;
      try {
        let size = 0n;
        for (let round = 0; round < 5; round++) {
          const ea = makeEntries(`race-a${round}`, size, 3);
          const eb = makeEntries(`race-b${round}`, size, 2);
          // the right-edge tile grows every round, with different contents for the two writers
          const grown = (fill: number) => ({ level: 0, index: 0n, hashes: new Uint8Array(32 * (round + 1)).fill(fill) });
          const ba = makeBatch(`a${round}`, size, ea, [grown(0xaa)]);
          const bb = makeBatch(`b${round}`, size, eb, [grown(0xbb)]);
          const results = await Promise.allSettled([store.commit(name, size, ba), second.commit(name, size, bb)]);
          const won = results.map((r) => r.status === 'fulfilled');
          assert.equal(won.filter(Boolean).length, 1, `round ${round}: exactly one commit must win`);
          const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
          await assertRejectsCode(Promise.reject(loser.reason), 'HEAD_CONFLICT');
          const [win, lose, winTag, loseTag] = won[0] ? [ba, bb, 'a', 'b'] : [bb, ba, 'b', 'a'];
          assert.deepEqual(await store.head(name), win.head);
          assert.deepEqual(await store.readEntries(name, { leafHashes: lose.entries.map((e) => e.leafHash) }), []);
          assert.deepEqual(await store.search(name, [`tag:race-${loseTag}${round}`], 'or', 10), []);
          assert.deepEqual(await store.search(name, [`tag:race-${winTag}${round}`], 'or', 10), win.entries.map((e) => e.index));
          assert.deepEqual((await store.readTiles(name, [{ level: 0, index: 0n }])).map(tile), win.tiles.map(tile));
          size = win.head.size;
        }
      } finally {
        if (second !== store) await second.close();
      }
    });

    test('a commit at a stale size is HEAD_CONFLICT and writes nothing', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const first = makeBatch(name, 0n, makeEntries(name, 0n, 2));
      await store.commit(name, 0n, first);
      const stale = makeBatch('stale', 0n, makeEntries('stale', 0n, 4), [{ level: 0, index: 0n, hashes: sha256('stale') }]);
      await assertRejectsCode(store.commit(name, 0n, stale), 'HEAD_CONFLICT');
      const ahead = makeBatch('ahead', 5n, makeEntries('ahead', 5n, 1));
      await assertRejectsCode(store.commit(name, 5n, ahead), 'HEAD_CONFLICT');
      assert.deepEqual(await store.head(name), first.head);
      assert.equal((await store.readEntries(name, { from: 0n, count: 10 })).length, 2);
      assert.deepEqual(await store.readTiles(name, [{ level: 0, index: 0n }]), []);
      assert.deepEqual(await store.search(name, ['tag:stale', 'tag:ahead'], 'or', 10), []);
    });

    test('with expectedRoot, a commit at the right size but another root is HEAD_CONFLICT and writes nothing', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const first = makeBatch(name, 0n, makeEntries(name, 0n, 2));
      await store.commit(name, 0n, { ...first, expectedRoot: EMPTY_ROOT });
      // built on a state of size 2 that is not the log's (another writer's batch of the same size)
      const other = { ...makeBatch('other-root', 2n, makeEntries('other-root', 2n, 3)), expectedRoot: sha256('not the root') };
      const err = await assertRejectsCode(store.commit(name, 2n, other), 'HEAD_CONFLICT');
      assert.match(err.message, /no longer at size 2 with root [0-9a-f]{64}/);
      assert.deepEqual(await store.head(name), first.head);
      assert.deepEqual(await store.search(name, ['tag:other-root'], 'or', 10), []);
      // the same batch naming the right root lands
      await store.commit(name, 2n, { ...other, expectedRoot: first.head.rootHash });
      assert.equal((await store.head(name)).size, 5n);
      await assertRejectsCode(store.commit(name, 5n, { ...makeBatch('short', 5n, []), expectedRoot: new Uint8Array(31) }), 'INVALID_ARGUMENT');
    });

    test('a commit sent before the one it builds on has landed waits for it, then lands on top (pipelining)', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const n = { ...makeBatch('pipe-n', 0n, makeEntries('pipe-n', 0n, 3)), expectedRoot: EMPTY_ROOT };
      const next = { ...makeBatch('pipe-next', 3n, makeEntries('pipe-next', 3n, 2)), expectedRoot: n.head.rootHash };
      if (!driver.concurrentOpen) {
        // PGlite runs one statement at a time, in the order sent
        await Promise.all([store.commit(name, 0n, n), store.commit(name, 3n, next)]);
        assert.deepEqual(await store.head(name), next.head);
        return;
      }
      // pg: a third session holds the head row, so `n` queues on it, then `next` queues behind `n`;
      // once released, `n` lands and `next` (re-checked against n's head) lands on top of it.
      const { db: holder } = await openDb(location);
      try {
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let holderPid!: number;
        const locked = new Promise<void>((resolve) => {
          void holder.tx(async (q) => {
            await q.query('SELECT 1 FROM logs WHERE name = $1 FOR UPDATE', [name]);
            holderPid = (await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
            resolve();
            await released;
          });
        });
        await locked;
        const blockedBy = async (pids: number[]): Promise<number> => {
          for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
            const { rows } = await holder.query<{ pid: number }>(
              'SELECT pid FROM pg_stat_activity WHERE pg_blocking_pids(pid) && $1::int4[] AND NOT (pid = ANY($1::int4[]))',
              [pids],
            );
            if (rows[0] !== undefined) return rows[0].pid;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          throw new Error(`no session blocked by ${pids.join(', ')} within 10 s`);
        };
        const second = await openStore(location);
        try {
          const first = store.commit(name, 0n, n);
          const firstPid = await blockedBy([holderPid]);
          const then = second.commit(name, 3n, next);
          await blockedBy([holderPid, firstPid]);
          release();
          await Promise.all([first, then]);
          assert.deepEqual(await store.head(name), next.head);
          assert.equal((await store.readEntries(name, { from: 0n, count: 10 })).length, 5);
        } finally {
          await second.close();
        }
      } finally {
        await holder.close();
      }
    });

    test('a leaf hash already in the log is DUPLICATE_ENTRY naming it, and nothing is written', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const first = makeEntries(name, 0n, 3);
      const firstBatch = makeBatch(name, 0n, first, [tile0(first)]);
      await store.commit(name, 0n, firstBatch);
      const fresh = makeEntries('dup-new', 3n, 2);
      const again = { ...first[1]!, index: 5n, searchKeys: ['tag:dup-again'] };
      // the tile is wider than the stored one, so a partial write would show
      const batch = makeBatch('dup', 3n, [...fresh, again], [{ level: 0, index: 0n, hashes: new Uint8Array(32 * 6).fill(7) }]);
      const err = await assertRejectsCode(store.commit(name, 3n, batch), 'DUPLICATE_ENTRY');
      assert.deepEqual(err.leafHashes, [first[1]!.leafHash]);
      assert.deepEqual(await store.head(name), firstBatch.head);
      assert.deepEqual(await store.readEntries(name, { leafHashes: fresh.map((e) => e.leafHash) }), []);
      assert.deepEqual(await store.search(name, ['tag:dup-new', 'tag:dup-again'], 'or', 10), []);
      assert.deepEqual((await store.readTiles(name, [{ level: 0, index: 0n }])).map(tile), [tile0(first)]);
      // the log is still writable at the same size
      await store.commit(name, 3n, makeBatch(name, 3n, fresh));
      assert.equal((await store.head(name)).size, 5n);
    });

    test('a leaf hash twice in one batch is DUPLICATE_ENTRY naming it, and nothing is written', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const [e0, e1] = makeEntries(name, 0n, 2);
      const twin = { ...e0!, index: 2n };
      const err = await assertRejectsCode(store.commit(name, 0n, makeBatch(name, 0n, [e0!, e1!, twin])), 'DUPLICATE_ENTRY');
      assert.deepEqual(err.leafHashes, [e0!.leafHash]);
      assert.deepEqual(await store.head(name), { size: 0n, rootHash: EMPTY_ROOT, checkpoint: '' });
      assert.deepEqual(await store.readEntries(name, { from: 0n, count: 10 }), []);
      assert.deepEqual(await store.search(name, [`tag:${name}`], 'or', 10), []);
    });

    test('tiles widen and never shrink; within a batch the widest version wins', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const hashes = (w: number) => new Uint8Array(32 * w).map((_, i) => i % 251);
      const id = { level: 2, index: 7n };
      let size = 0n;
      for (const [widths, want] of [[[2], 2], [[5], 5], [[3], 5], [[4, 6, 1], 6], [[256], 256], [[255], 256]] as const) {
        const e = makeEntries(`${name}-${size}`, size, 1);
        await store.commit(name, size, makeBatch(name, size, e, widths.map((w) => ({ ...id, hashes: hashes(w) }))));
        size++;
        assert.deepEqual((await store.readTiles(name, [id])).map(tile), [{ ...id, hashes: hashes(want) }]);
      }
    });

    test('readTiles leaves out tiles never written and answers each tile once, ordered', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const t = (level: number, index: bigint): Tile => ({ level, index, hashes: sha256(`${level}/${index}`) });
      await store.commit(name, 0n, makeBatch(name, 0n, makeEntries(name, 0n, 1), [t(0, 3n), t(0, 1n), t(1, 0n)]));
      const got = await store.readTiles(name, [{ level: 1, index: 0n }, { level: 0, index: 3n }, { level: 0, index: 2n }, { level: 0, index: 3n }, { level: 5, index: 0n }]);
      assert.deepEqual(got.map(tile), [t(0, 3n), t(1, 0n)]);
      assert.deepEqual(await store.readTiles(name, []), []);
    });

    test('readEntries by indices, leaf hashes and range: ordered, missing ones left out', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const all = makeEntries(name, 0n, 10);
      await store.commit(name, 0n, makeBatch(name, 0n, all));
      const pick = (...i: number[]) => i.map((k) => strip(all[k]!));
      assert.deepEqual(await store.readEntries(name, { indices: [7n, 2n, 99n, 2n, 0n] }), pick(0, 2, 7));
      assert.deepEqual(await store.readEntries(name, { indices: [] }), []);
      assert.deepEqual(await store.readEntries(name, { leafHashes: [all[9]!.leafHash, sha256('absent'), all[3]!.leafHash] }), pick(3, 9));
      assert.deepEqual(await store.readEntries(name, { leafHashes: [] }), []);
      assert.deepEqual(await store.readEntries(name, { from: 4n, count: 3 }), pick(4, 5, 6));
      assert.deepEqual(await store.readEntries(name, { from: 8n, count: 50 }), pick(8, 9));
      assert.deepEqual(await store.readEntries(name, { from: 10n, count: 5 }), []);
      assert.deepEqual(await store.readEntries(name, { from: 0n, count: 0 }), []);
      await assertRejectsCode(store.readEntries(name, { from: -1n, count: 1 }), 'INVALID_ARGUMENT');
      await assertRejectsCode(store.readEntries(name, { from: 0n, count: 1.5 }), 'INVALID_ARGUMENT');
      await assertRejectsCode(store.readEntries(name, { from: 0n, count: -1 }), 'INVALID_ARGUMENT');
    });

    test('readEntryTexts: the entries readEntries gives, leaf hash in hex and body in unbroken base64', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      // Bodies around PostgreSQL's 76-character base64 lines (57 bytes each), with every byte value.
      const bodies = [1, 2, 3, 56, 57, 58, 114, 1254, 256].map((n, k) => new Uint8Array(Array.from({ length: n }, (_, i) => (i * 37 + k) % 256)));
      const all: NewEntry[] = bodies.map((body, k) => ({
        index: BigInt(k),
        leafHash: leafHash(body),
        body,
        integratedTime: 1_700_000_000_000 + k,
        extra: k % 2 === 0 ? new Uint8Array([1, 255, k]) : null,
        searchKeys: [],
      }));
      await store.commit(name, 0n, makeBatch(name, 0n, all));
      const text = (e: NewEntry) => ({
        index: e.index,
        leafHashHex: Buffer.from(e.leafHash).toString('hex'),
        bodyBase64: Buffer.from(e.body).toString('base64'),
        integratedTime: e.integratedTime,
        extra: e.extra,
      });
      const pick = (...i: number[]) => i.map((k) => text(all[k]!));
      assert.deepEqual(await store.readEntryTexts(name, { from: 0n, count: 100 }), pick(0, 1, 2, 3, 4, 5, 6, 7, 8));
      assert.deepEqual(await store.readEntryTexts(name, { indices: [7n, 2n, 99n, 2n, 0n] }), pick(0, 2, 7));
      assert.deepEqual(await store.readEntryTexts(name, { leafHashes: [all[8]!.leafHash, sha256('absent'), all[3]!.leafHash] }), pick(3, 8));
      assert.deepEqual(await store.readEntryTexts(name, { indices: [] }), []);
      assert.deepEqual(await store.readEntryTexts(name, { from: 9n, count: 5 }), []);
      await assertRejectsCode(store.readEntryTexts(name, { from: -1n, count: 1 }), 'INVALID_ARGUMENT');
    });

    test('search: or = union, and = intersection, ascending, limited', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      await store.commit(name, 0n, makeBatch(name, 0n, makeEntries('s1', 0n, 6)));
      await store.commit(name, 6n, makeBatch(name, 6n, makeEntries('s2', 6n, 6)));
      assert.deepEqual(await store.search(name, ['tag:s2'], 'or', 100), [6n, 7n, 8n, 9n, 10n, 11n]);
      assert.deepEqual(await store.search(name, ['idx:9', 'idx:2', 'nope'], 'or', 100), [2n, 9n]);
      assert.deepEqual(await store.search(name, ['tag:s1', 'odd'], 'and', 100), [1n, 3n, 5n]);
      assert.deepEqual(await store.search(name, ['tag:s1', 'odd', 'odd'], 'and', 100), [1n, 3n, 5n]);
      assert.deepEqual(await store.search(name, ['tag:s1', 'nope'], 'and', 100), []);
      assert.deepEqual(await store.search(name, ['tag:s1', 'tag:s2'], 'and', 100), []);
      assert.deepEqual(await store.search(name, ['even', 'tag:s2'], 'or', 4), [0n, 2n, 4n, 6n]);
      assert.deepEqual(await store.search(name, ['even'], 'or', 0), []);
      assert.deepEqual(await store.search(name, [], 'or', 10), []);
      assert.deepEqual(await store.search(name, [], 'and', 10), []);
      await assertRejectsCode(store.search(name, ['even'], 'xor' as 'or', 10), 'INVALID_ARGUMENT');
      await assertRejectsCode(store.search(name, [[]], 'and', 10), 'INVALID_ARGUMENT');
    });

    test('search: a criterion may list alternative keys; the limit applies to the final answer', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      await store.commit(name, 0n, makeBatch(name, 0n, makeEntries('s1', 0n, 6)));
      await store.commit(name, 6n, makeBatch(name, 6n, makeEntries('s2', 6n, 6)));
      // (idx:1 or idx:8 or idx:9) and odd
      assert.deepEqual(await store.search(name, [['idx:1', 'idx:8', 'idx:9'], 'odd'], 'and', 100), [1n, 9n]);
      // an entry matching two alternatives of one criterion still needs the other criterion
      assert.deepEqual(await store.search(name, [['odd', 'tag:s2'], 'idx:7'], 'and', 100), [7n]);
      assert.deepEqual(await store.search(name, [['odd', 'tag:s2'], ['even', 'nope']], 'and', 100), [6n, 8n, 10n]);
      assert.deepEqual(await store.search(name, [['nope', 'also-nope'], 'odd'], 'and', 100), []);
      // a common criterion with a rare one: the cap does not hide the late match
      assert.deepEqual(await store.search(name, ['odd', 'idx:11'], 'and', 1), [11n]);
      assert.deepEqual(await store.search(name, ['odd', ['idx:11', 'idx:9']], 'and', 1), [9n]);
      assert.deepEqual(await store.search(name, [['idx:3', 'idx:4'], 'idx:10'], 'or', 100), [3n, 4n, 10n]);
      await assertRejectsCode(store.search(name, ['even'], 'or', -1), 'INVALID_ARGUMENT');
    });

    test('commit rejects an inconsistent batch before touching the database', async () => {
      const name = freshLog();
      await store.openLog(name, LOG_ID);
      const entries = makeEntries(name, 0n, 3);
      const bad: CommitBatch[] = [
        { ...makeBatch(name, 0n, entries), head: { ...makeBatch(name, 0n, entries).head, size: 4n } },
        makeBatch(name, 0n, [entries[0]!, entries[2]!]),
        makeBatch(name, 0n, entries, [{ level: 0, index: 0n, hashes: new Uint8Array(33) }]),
        makeBatch(name, 0n, entries, [{ level: 0, index: 0n, hashes: new Uint8Array(0) }]),
        makeBatch(name, 0n, entries, [{ level: 0, index: 0n, hashes: new Uint8Array(257 * 32) }]),
        makeBatch(name, 0n, entries, [{ level: -1, index: 0n, hashes: new Uint8Array(32) }]),
        makeBatch(name, 0n, [{ ...entries[0]!, leafHash: new Uint8Array(20) }]),
        { ...makeBatch(name, 0n, entries), head: { ...makeBatch(name, 0n, entries).head, rootHash: new Uint8Array(8) } },
      ];
      for (const b of bad) await assertRejectsCode(store.commit(name, 0n, b), 'INVALID_ARGUMENT');
      await assertRejectsCode(store.commit(name, -1n, makeBatch(name, -1n, [])), 'INVALID_ARGUMENT');
      assert.deepEqual(await store.head(name), { size: 0n, rootHash: EMPTY_ROOT, checkpoint: '' });
    });

    test('indices and sizes beyond 2^32 (and 2^53) round-trip exactly', async () => {
      const big = 2n ** 53n + 5n;
      await withRawLog(async (db, raw, name) => {
        // Fast-forward the head: committing 2^53 entries is not an option in a test.
        await db.query('UPDATE logs SET size = $2 WHERE name = $1', [name, big]);
        const entries = makeEntries(name, big, 3);
        const tileIndex = big / 256n;
        await raw.commit(name, big, makeBatch(name, big, entries, [{ level: 0, index: tileIndex, hashes: sha256('t') }]));
        assert.equal((await raw.head(name)).size, big + 3n);
        assert.deepEqual(await raw.readEntries(name, { from: big + 1n, count: 5 }), entries.slice(1).map(strip));
        assert.deepEqual(await raw.readEntries(name, { indices: [big + 2n, 2n ** 32n] }), [strip(entries[2]!)]);
        assert.deepEqual(await raw.search(name, [`idx:${big + 1n}`], 'or', 5), [big + 1n]);
        assert.deepEqual((await raw.readTiles(name, [{ level: 0, index: tileIndex }])).map(tile), [{ level: 0, index: tileIndex, hashes: sha256('t') }]);
      });
    });

    test('a certificate-sized body stays inline and uncompressed; a large one still moves to TOAST', async () => {
      await withRawLog(async (db, raw, name) => {
        const toastRows = async (): Promise<number> => {
          const { rows } = await db.query<{ t: string }>(`SELECT reltoastrelid::regclass::text AS t FROM pg_class WHERE oid = 'entries'::regclass`);
          const { rows: n } = await db.query<{ n: number }>(`SELECT count(*)::int4 AS n FROM ${rows[0]!.t}`);
          return n[0]!.n;
        };
        // Incompressible bytes, like the base64 of a certificate: 2.3 kB is above PostgreSQL's default
        // 2 kB TOAST target, which would have sent it through pglz and out of line.
        const cert = new Uint8Array(randomBytes(2300));
        const entry = (body: Uint8Array, i: bigint): NewEntry => ({
          index: i, leafHash: leafHash(body), body, integratedTime: 0, extra: null, searchKeys: [],
        });
        const small = entry(cert, 0n);
        await raw.commit(name, 0n, makeBatch(name, 0n, [small]));
        const { rows } = await db.query<{ stored: number }>('SELECT pg_column_size(body)::int4 AS stored FROM entries WHERE log = $1 AND idx = 0', [name]);
        assert.ok(rows[0]!.stored >= cert.length, `stored ${rows[0]!.stored} bytes: not compressed`);
        assert.equal(await toastRows(), 0, 'nothing moved out of line');
        const large = entry(new Uint8Array(randomBytes(40_000)), 1n);
        await raw.commit(name, 1n, makeBatch(name, 1n, [large]));
        assert.ok((await toastRows()) > 0, 'the 40 kB body is stored out of line');
        assert.deepEqual(await raw.readEntries(name, { from: 0n, count: 2 }), [small, large].map(strip));
      });
    });

    test('any other failure inside commit rolls everything back', async () => {
      await withRawLog(async (db, raw, name) => {
        // Corrupt the table on purpose: an entry at index 2 while the log is empty makes the batch
        // insert fail on the primary key, after the head row was already updated in the transaction.
        await db.query(`INSERT INTO entries (log, idx, leaf_hash, body, integrated_time) VALUES ($1, 2, $2, '\\x00', 0)`, [name, sha256('squatter')]);
        const entries = makeEntries(name, 0n, 4);
        await assertRejectsCode(raw.commit(name, 0n, makeBatch(name, 0n, entries, [tile0(entries)])), 'DB_ERROR');
        assert.deepEqual(await raw.head(name), { size: 0n, rootHash: EMPTY_ROOT, checkpoint: '' });
        assert.deepEqual((await raw.readEntries(name, { from: 0n, count: 10 })).map((e) => e.index), [2n]);
        assert.deepEqual(await raw.readTiles(name, [{ level: 0, index: 0n }]), []);
        assert.deepEqual(await raw.search(name, [`tag:${name}`], 'or', 10), []);
      });
    });

    test('data persists across close and reopen; reopening applies no migration again', async () => {
      const persisted = await driver.location({ persistent: true });
      const name = 'persisted';
      const entries = makeEntries(name, 0n, 4);
      const batch = makeBatch(name, 0n, entries, [tile0(entries)]);
      const s1 = await openStore(persisted);
      await s1.openLog(name, LOG_ID);
      await s1.commit(name, 0n, batch);
      await s1.close();

      const { db, schema } = await openDb(persisted);
      assert.deepEqual(await migrate(db, schema), [], 'second migration run applies nothing');
      const s2 = new SqlLogStore(db);
      try {
        assert.deepEqual(await s2.openLog(name, LOG_ID), batch.head);
        assert.deepEqual(await s2.readEntries(name, { from: 0n, count: 10 }), entries.map(strip));
        assert.deepEqual((await s2.readTiles(name, [{ level: 0, index: 0n }])).map(tile), [tile0(entries)]);
        assert.deepEqual(await s2.search(name, ['odd'], 'or', 10), [1n, 3n]);
        await assertRejectsCode(s2.openLog(name, OTHER_ID), 'LOG_ID_MISMATCH');
      } finally {
        await s2.close();
      }
    });

    test('migrations run once even when started twice at the same time', async () => {
      const fresh = await driver.location();
      const { db, schema } = await openDb(fresh);
      try {
        if (driver.concurrentOpen) {
          // two processes' worth: two stores opening the same fresh schema at once, plus this pool
          const [a, b] = await Promise.all([openStore(fresh), openStore(fresh), migrate(db, schema)]);
          await Promise.all([(a as LogStore).close(), (b as LogStore).close()]);
        } else {
          const runs = await Promise.all([migrate(db, schema), migrate(db, schema)]);
          assert.equal(runs.flat().length, runs[0]!.length + runs[1]!.length);
          assert.ok(runs.some((r) => r.length === 0), 'one of the two runs finds nothing to do');
        }
        const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
        assert.ok(rows.length >= 1);
        assert.equal(rows[0]!.name, '001_log.sql');
        assert.equal(new Set(rows.map((r) => r.name)).size, rows.length);
        assert.deepEqual(await migrate(db, schema), []);
      } finally {
        await db.close();
      }
    });

    test('a closed store rejects calls with DB_ERROR', async () => {
      const s = await driver.open();
      await s.close();
      await assertRejectsCode(s.head('x'), 'DB_ERROR');
    });
  });
}

describe('openStore options', () => {
  test('rejects URLs that are not postgres:// URLs', async () => {
    await assertRejectsCode(openStore({ url: 'mysql://root@127.0.0.1/test' }), 'BAD_URL');
    await assertRejectsCode(openStore({ url: 'not a url' }), 'BAD_URL');
  });

  test('rejects schema names that are not plain identifiers', async () => {
    for (const schema of ['Bad', 'a-b', '1abc', 'x"; drop', '', 'a'.repeat(64)]) {
      await assertRejectsCode(openStore({ schema }), 'BAD_SCHEMA');
    }
  });

  test('rejects a dataDir combined with a url, and a bad pool size', async () => {
    await assertRejectsCode(openStore({ url: 'postgres://127.0.0.1/x', dataDir: '/tmp/x' }), 'INVALID_ARGUMENT');
    await assertRejectsCode(openStore({ url: 'postgres://127.0.0.1/x', poolSize: 0 }), 'INVALID_ARGUMENT');
  });

  test('an unreachable server is DB_ERROR', async () => {
    await assertRejectsCode(openStore({ url: 'postgres://root@127.0.0.1:1/test' }), 'DB_ERROR');
  });
});
