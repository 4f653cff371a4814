import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Signer } from '@signet/pki';
import { TrustError } from '../errors.js';
import {
  expiresAt,
  keyIdOf,
  signMetadata,
  SPEC_VERSION,
  tufKeyOf,
  verifyThreshold,
  type Envelope,
  type RoleName,
  type RootSigned,
  type Signed,
} from './metadata.js';

/**
 * A TUF repository on disk, laid out for consistent snapshots so that any static file server (or
 * Signet's own HTTP services) can serve it to `@sigstore/tuf`, cosign and sigstore-python:
 * `N.root.json`, `timestamp.json`, `V.snapshot.json`, `V.targets.json`,
 * `targets/<sha256>.<name>` (plus unversioned copies of the latest root, snapshot and targets).
 *
 * The root role is signed by `rootSigners` (offline keys in production); targets, snapshot and
 * timestamp by one online key, so the repository can re-sign them before they expire.
 */

/** Metadata lifetimes in days. */
export interface TufLifetimes {
  root: number;
  targets: number;
  snapshot: number;
  timestamp: number;
}

export const DEFAULT_TUF_LIFETIMES: TufLifetimes = { root: 365, targets: 90, snapshot: 14, timestamp: 2 };

export interface TufRepositoryOptions {
  dir: string;
  /** Signs targets, snapshot and timestamp. */
  onlineSigner: Signer;
  now: () => Date;
  lifetimes?: Partial<TufLifetimes>;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (cause) {
    throw new TrustError('NOT_FOUND', `cannot read TUF metadata ${path}`, { cause });
  }
}

export class TufRepository {
  private readonly lifetimes: TufLifetimes;

  private constructor(
    private readonly opts: TufRepositoryOptions,
    private root: Envelope<RootSigned>,
  ) {
    this.lifetimes = { ...DEFAULT_TUF_LIFETIMES, ...opts.lifetimes };
  }

  /**
   * Creates a repository with version 1 of every role and the given targets. Throws
   * `TrustError('BAD_INPUT')` if the threshold exceeds the number of root keys.
   */
  static async create(
    opts: TufRepositoryOptions & { rootSigners: Signer[]; rootThreshold: number; targets: Record<string, Uint8Array> },
  ): Promise<TufRepository> {
    if (opts.rootThreshold < 1 || opts.rootThreshold > opts.rootSigners.length) {
      throw new TrustError('BAD_INPUT', `root threshold ${opts.rootThreshold} needs 1..${opts.rootSigners.length} keys`);
    }
    await mkdir(join(opts.dir, 'targets'), { recursive: true });
    const lifetimes = { ...DEFAULT_TUF_LIFETIMES, ...opts.lifetimes };
    const signed = rootSigned(1, expiresAt(opts.now(), lifetimes.root), opts.rootSigners, opts.rootThreshold, opts.onlineSigner);
    const repo = new TufRepository(opts, await signMetadata(signed, opts.rootSigners));
    await repo.writeRoot();
    await repo.publishTargets(opts.targets);
    return repo;
  }

  /** Opens an existing repository; the online signer must be the one the current root names. */
  static async open(opts: TufRepositoryOptions): Promise<TufRepository> {
    const root = await readJson<Envelope<RootSigned>>(join(opts.dir, 'root.json'));
    verifyThreshold(root, root.signed, 'root');
    const online = keyIdOf(tufKeyOf(opts.onlineSigner));
    for (const role of ['targets', 'snapshot', 'timestamp'] as const) {
      if (!root.signed.roles[role].keyids.includes(online)) {
        throw new TrustError('BAD_INPUT', `the online key ${online} is not a ${role} key of root v${root.signed.version}`);
      }
    }
    return new TufRepository(opts, root);
  }

  /** The current root version. */
  get rootVersion(): number {
    return this.root.signed.version;
  }

  /** Replaces the targets with `files` and publishes new targets, snapshot and timestamp. */
  async publishTargets(files: Record<string, Uint8Array>): Promise<void> {
    const targets: Record<string, { length: number; hashes: { sha256: string } }> = {};
    for (const [name, bytes] of Object.entries(files)) {
      if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new TrustError('BAD_INPUT', `target name ${JSON.stringify(name)} is not a plain file name`);
      const hash = sha256(bytes);
      targets[name] = { length: bytes.length, hashes: { sha256: hash } };
      await writeAtomic(join(this.opts.dir, 'targets', `${hash}.${name}`), bytes);
    }
    const version = (await this.currentVersion('targets')) + 1;
    await this.writeOnline('targets', version, { targets });
    await this.writeSnapshotAndTimestamp();
  }

  /**
   * Re-signs the online roles that have less than half of their lifetime left (timestamp at least
   * once a day with the defaults). Returns the roles it re-signed.
   */
  async refresh(): Promise<RoleName[]> {
    const now = this.opts.now().getTime();
    const stale = async (role: 'targets' | 'snapshot' | 'timestamp') => {
      const meta = await readJson<Envelope>(join(this.opts.dir, `${role}.json`));
      return Date.parse(meta.signed.expires) - now < (this.lifetimes[role] * 86_400_000) / 2;
    };
    const done: RoleName[] = [];
    if (await stale('targets')) {
      const current = await readJson<Envelope>(join(this.opts.dir, 'targets.json'));
      await this.writeOnline('targets', current.signed.version + 1, { targets: current.signed.targets });
      done.push('targets');
    }
    if (done.length > 0 || (await stale('snapshot'))) {
      await this.writeSnapshotAndTimestamp();
      done.push('snapshot', 'timestamp');
    } else if (await stale('timestamp')) {
      await this.writeTimestamp();
      done.push('timestamp');
    }
    return done;
  }

  /**
   * Rotates the root: writes root N+1 naming `newRootSigners` (threshold `newThreshold`) and, if given,
   * a new online key, signed by the current root's threshold (`currentRootSigners`) AND the new keys, as
   * the TUF client workflow (§5.3.4) requires. Online roles are re-signed after a key change.
   * Throws `TrustError('THRESHOLD_NOT_MET')` if the old keys given cannot meet the old threshold.
   */
  async rotateRoot(args: {
    currentRootSigners: Signer[];
    newRootSigners: Signer[];
    newThreshold: number;
    newOnlineSigner?: Signer;
  }): Promise<number> {
    const online = args.newOnlineSigner ?? this.opts.onlineSigner;
    const version = this.root.signed.version + 1;
    const signed = rootSigned(version, expiresAt(this.opts.now(), this.lifetimes.root), args.newRootSigners, args.newThreshold, online);
    const signers = [...new Map([...args.currentRootSigners, ...args.newRootSigners].map((s) => [keyIdOf(tufKeyOf(s)), s])).values()];
    const next = await signMetadata(signed, signers);
    verifyThreshold(next, this.root.signed, 'root');
    verifyThreshold(next, next.signed, 'root');
    this.root = next;
    await this.writeRoot();
    if (args.newOnlineSigner) {
      (this.opts as { onlineSigner: Signer }).onlineSigner = args.newOnlineSigner;
      const current = await readJson<Envelope>(join(this.opts.dir, 'targets.json'));
      await this.writeOnline('targets', current.signed.version + 1, { targets: current.signed.targets });
      await this.writeSnapshotAndTimestamp();
    }
    return version;
  }

  private async writeRoot(): Promise<void> {
    const bytes = json(this.root);
    await writeAtomic(join(this.opts.dir, `${this.root.signed.version}.root.json`), bytes);
    await writeAtomic(join(this.opts.dir, 'root.json'), bytes);
  }

  private async currentVersion(role: RoleName): Promise<number> {
    try {
      return (await readJson<Envelope>(join(this.opts.dir, `${role}.json`))).signed.version;
    } catch {
      return 0;
    }
  }

  private async writeOnline(role: 'targets' | 'snapshot', version: number, body: Record<string, unknown>): Promise<Buffer> {
    const signed: Signed = { _type: role, spec_version: SPEC_VERSION, version, expires: expiresAt(this.opts.now(), this.lifetimes[role]), ...body };
    const bytes = json(await signMetadata(signed, [this.opts.onlineSigner]));
    await writeAtomic(join(this.opts.dir, `${version}.${role}.json`), bytes);
    await writeAtomic(join(this.opts.dir, `${role}.json`), bytes);
    return bytes;
  }

  private async writeSnapshotAndTimestamp(): Promise<void> {
    const targetsVersion = await this.currentVersion('targets');
    await this.writeOnline('snapshot', (await this.currentVersion('snapshot')) + 1, {
      meta: { 'targets.json': { version: targetsVersion } },
    });
    await this.writeTimestamp();
  }

  private async writeTimestamp(): Promise<void> {
    const snapshot = await readFile(join(this.opts.dir, 'snapshot.json'));
    const snapshotVersion = (JSON.parse(snapshot.toString()) as Envelope).signed.version;
    const signed: Signed = {
      _type: 'timestamp',
      spec_version: SPEC_VERSION,
      version: (await this.currentVersion('timestamp')) + 1,
      expires: expiresAt(this.opts.now(), this.lifetimes.timestamp),
      meta: { 'snapshot.json': { version: snapshotVersion, length: snapshot.length, hashes: { sha256: sha256(snapshot) } } },
    };
    await writeAtomic(join(this.opts.dir, 'timestamp.json'), json(await signMetadata(signed, [this.opts.onlineSigner])));
  }
}

function rootSigned(version: number, expires: string, rootSigners: Signer[], threshold: number, online: Signer): RootSigned {
  const keys: RootSigned['keys'] = {};
  const ids = (signers: Signer[]) =>
    signers.map((s) => {
      const key = tufKeyOf(s);
      const id = keyIdOf(key);
      keys[id] = key;
      return id;
    });
  const rootIds = ids(rootSigners);
  const [onlineId] = ids([online]) as [string];
  return {
    _type: 'root',
    spec_version: SPEC_VERSION,
    version,
    expires,
    keys,
    roles: {
      root: { keyids: rootIds, threshold },
      targets: { keyids: [onlineId], threshold: 1 },
      snapshot: { keyids: [onlineId], threshold: 1 },
      timestamp: { keyids: [onlineId], threshold: 1 },
    },
    consistent_snapshot: true,
  };
}
