// An in-process tlog for tests: a real store (PGlite in memory, or a fresh pg schema), a real Log,
// the Rekor personality and the Fastify app (inject only; `listen` is the caller's choice).
import { createHash } from 'node:crypto';
import { EphemeralSigner, type Signer } from '@signet/pki';
import type { LogStore } from '@signet/storage';
import type { TestDriver } from '@signet/storage/testonly';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { Log } from '../../src/log/index.js';
import { defaultTreeId } from '../../src/rekor/entry-id.js';
import { RekorLog } from '../../src/rekor/rekor-log.js';
import { setAtSequencing } from '../../src/rekor/set.js';

/** A tlog assembled for one test. */
export interface TestTlog {
  app: FastifyInstance;
  rekor: RekorLog;
  engine: Log;
  signer: Signer;
  logId: Uint8Array;
  treeId: bigint;
  hostname: string;
}

/** Options of `startTestTlog`. */
export interface TestTlogOptions {
  hostname?: string;
  maxBodyBytes?: number;
  maxPending?: number;
  maxAgeMs?: number;
  /** Cap on the IDs one index search returns (RekorLog's default otherwise). */
  maxSearchResults?: number;
  signer?: Signer;
  /** Sign and store each entry's SET at sequencing, as the service does (default true). */
  storeSets?: boolean;
  /** Wraps the store (e.g. in a GatedStore) before the Log opens it. */
  wrapStore?: (store: LogStore) => LogStore;
}

/**
 * Builds a tlog on `driver`; `onCleanup` registers its teardown (pass node:test's `after`, or
 * `(fn) => t.after(fn)` for one test).
 */
export async function startTestTlog(
  onCleanup: (fn: () => Promise<void>) => void,
  driver: TestDriver,
  opts: TestTlogOptions = {},
): Promise<TestTlog> {
  const inner = await driver.open();
  const store = opts.wrapStore ? opts.wrapStore(inner) : inner;
  const signer = opts.signer ?? EphemeralSigner.generate('ecdsa-p256-sha256');
  const logId = new Uint8Array(createHash('sha256').update(signer.publicKeyDer).digest());
  const treeId = defaultTreeId(logId);
  const hostname = opts.hostname ?? 'localhost';
  const engine = await Log.open({
    name: 'rekor',
    store,
    signer,
    origin: `${hostname} - ${treeId}`,
    noteKeyName: hostname,
    noteKeyId: logId.slice(0, 4),
    now: Date.now,
    maxAgeMs: opts.maxAgeMs ?? 1,
    ...(opts.storeSets !== false && { extraAtSequencing: setAtSequencing(signer, logId) }),
    ...(opts.maxPending !== undefined && { maxPending: opts.maxPending }),
  });
  const rekor = new RekorLog({ engine, signer, treeId, ...(opts.maxSearchResults !== undefined && { maxSearchResults: opts.maxSearchResults }) });
  const app = buildApp({ rekor, engine, maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024 });
  onCleanup(async () => {
    await app.close();
    await engine.close();
    await inner.close();
  });
  return { app, rekor, engine, signer, logId, treeId, hostname };
}
