import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyConsistency, type Checkpoint } from '@signet/merkle';
import { ClientError } from '../errors.js';
import type { LogClient } from './log-client.js';
import { logKeyFor, verifyCheckpoint, type LogKey } from './verify-entry.js';

/**
 * The log's history as this client has seen it: the last verified checkpoint per log, kept in
 * `<stateDir>/checkpoints.json`, and a consistency check from it to the log's current checkpoint, so
 * that a fork or a rollback shows up the next time any `signet log` command talks to the log.
 */
export interface SeenCheckpoint {
  size: string;
  rootHash: string;
  checkpoint: string;
}

const FILE = 'checkpoints.json';

async function readSeen(stateDir: string): Promise<Record<string, SeenCheckpoint>> {
  try {
    return JSON.parse(await readFile(join(stateDir, FILE), 'utf8')) as Record<string, SeenCheckpoint>;
  } catch {
    return {};
  }
}

async function writeSeen(stateDir: string, seen: Record<string, SeenCheckpoint>): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const tmp = join(stateDir, `${FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(seen, null, 2)}\n`);
  await rename(tmp, join(stateDir, FILE));
}

export interface ConsistencyResult {
  logId: string;
  previous?: { size: bigint; rootHash: string };
  current: Checkpoint;
}

/**
 * Fetches and verifies the log's current checkpoint, proves it consistent with the one remembered
 * (if any), and remembers it. Throws `LOG_INCONSISTENT` on a rollback (smaller tree), a fork (same
 * size, other root) or a failed consistency proof; the remembered checkpoint is then kept unchanged.
 */
export async function checkLogConsistency(client: LogClient, keys: LogKey[], logIdHex: string, stateDir: string): Promise<ConsistencyResult> {
  const key = logKeyFor(keys, logIdHex);
  const info = await client.info();
  const current = verifyCheckpoint(info.signedTreeHead, key);
  const seen = await readSeen(stateDir);
  const previous = seen[logIdHex];
  const currentRoot = Buffer.from(current.rootHash).toString('hex');
  if (previous) {
    const prevSize = BigInt(previous.size);
    if (current.size < prevSize) {
      throw new ClientError('LOG_INCONSISTENT', `the log shrank from ${prevSize} to ${current.size} entries: rollback`);
    }
    if (current.size === prevSize && currentRoot !== previous.rootHash) {
      throw new ClientError('LOG_INCONSISTENT', `the log has two roots for size ${prevSize}: fork`);
    }
    if (current.size > prevSize && prevSize > 0n) {
      const proof = await client.proof(Number(prevSize), Number(current.size));
      try {
        verifyConsistency(prevSize, current.size, proof.hashes.map((h) => Buffer.from(h, 'hex')), Buffer.from(previous.rootHash, 'hex'), current.rootHash);
      } catch (cause) {
        throw new ClientError('LOG_INCONSISTENT', `the log at ${current.size} is not an extension of the one seen at ${prevSize}: fork`, { cause });
      }
    }
  }
  seen[logIdHex] = { size: current.size.toString(), rootHash: currentRoot, checkpoint: info.signedTreeHead };
  await writeSeen(stateDir, seen);
  return {
    logId: logIdHex,
    ...(previous ? { previous: { size: BigInt(previous.size), rootHash: previous.rootHash } } : {}),
    current,
  };
}
