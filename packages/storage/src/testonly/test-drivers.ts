import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgDb } from '../drivers/pg.js';
import { openStore } from '../index.js';
import type { OpenStoreOptions } from '../open-db.js';
import type { LogStore } from '../store.js';

/** One database driver to run tests against, handing out fresh, isolated locations. */
export interface TestDriver {
  readonly name: 'pglite' | 'pg';
  /**
   * Whether two stores may be open on one location at the same time (pg: yes; PGlite: no, it is
   * one in-process database per data directory).
   */
  readonly concurrentOpen: boolean;
  /**
   * Options naming a fresh, empty location: pg → a new uniquely named schema; PGlite → in memory, or
   * a new temp data directory when `persistent` (needed to close and reopen). Removed by `cleanup()`.
   */
  location(opts?: { persistent?: boolean }): Promise<OpenStoreOptions>;
  /** `openStore(await location())`: a migrated, empty store. */
  open(): Promise<LogStore>;
  /** Drops every schema and deletes every directory handed out. Close their stores first. */
  cleanup(): Promise<void>;
}

let counter = 0;
const uniqueName = (): string => `t_${process.pid}_${++counter}_${randomBytes(4).toString('hex')}`;

/**
 * The drivers to test: PGlite always, plus pg when `databaseUrl` is given (tests pass
 * `process.env.DATABASE_URL`). Call `cleanup()` of each in an `after` hook.
 */
export function testDrivers(databaseUrl: string | undefined): TestDriver[] {
  const drivers = [pgliteDriver()];
  if (databaseUrl !== undefined && databaseUrl !== '') drivers.push(pgDriver(databaseUrl));
  return drivers;
}

function pgliteDriver(): TestDriver {
  const dirs: string[] = [];
  const driver: TestDriver = {
    name: 'pglite',
    concurrentOpen: false,
    async location(opts) {
      if (!opts?.persistent) return {};
      const dir = await mkdtemp(join(tmpdir(), 'signet-storage-'));
      dirs.push(dir);
      return { dataDir: dir };
    },
    async open() {
      return openStore(await driver.location());
    },
    async cleanup() {
      await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
  return driver;
}

function pgDriver(url: string): TestDriver {
  const schemas: string[] = [];
  const driver: TestDriver = {
    name: 'pg',
    concurrentOpen: true,
    async location() {
      const schema = uniqueName();
      schemas.push(schema);
      return { url, schema, poolSize: 4 };
    },
    async open() {
      return openStore(await driver.location());
    },
    async cleanup() {
      if (schemas.length === 0) return;
      const db = openPgDb(url, 'public', 1);
      try {
        for (const s of schemas.splice(0)) await db.exec(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      } finally {
        await db.close();
      }
    },
  };
  return driver;
}
