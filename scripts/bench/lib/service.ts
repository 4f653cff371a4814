// Starting and stopping a service as its own process tree (`node --import tsx <main.ts>`), the way
// operators run it, so that the load generator's CPU is never mixed with the server's.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from './cleanup.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** A running service process. */
export interface Service {
  pid: number;
  url: string;
  /** The last lines the process wrote (for error reports). */
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Options of `startService`. */
export interface ServiceOptions {
  /** Repository-relative path of the main.ts to run. */
  main: string;
  env: Record<string, string>;
  port: number;
  /** GET path that answers 200 once the service is up. */
  readyPath: string;
  /** Extra node flags (e.g. --cpu-prof). Cluster workers inherit them. */
  nodeFlags?: string[];
  /** Extra wait after the first 200, so that every cluster worker is listening. */
  settleMs?: number;
}

/** Spawns the service and waits (up to 60 s) until `readyPath` answers 200. */
export async function startService(o: ServiceOptions): Promise<Service> {
  const child: ChildProcess = spawn(process.execPath, [...(o.nodeFlags ?? []), '--import', 'tsx', join(ROOT, o.main)], {
    cwd: ROOT,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (b: Buffer) => {
    tail = (tail + b.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const forget = onCleanup(stop);
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      forget();
      throw new Error(`${o.main} exited during start:\n${tail}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      forget();
      throw new Error(`${o.main} did not become ready in 60 s:\n${tail}`);
    }
    try {
      const res = await fetch(url + o.readyPath);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await sleep(o.settleMs ?? 0);
  return {
    pid: child.pid!,
    url,
    output: () => tail,
    async stop() {
      await stop();
      forget();
    },
  };
}

/**
 * Starts `services/tlog/src/main.ts` for a benchmark on a free port with `workers` processes, log
 * level warn and the given extra environment; with `profileRoot`, every process writes a V8 CPU
 * profile into a fresh directory under it (returned as `profDir`).
 */
export async function startBenchTlog(o: { workers: number; env: Record<string, string>; profileRoot?: string }): Promise<{ svc: Service; profDir?: string }> {
  const port = await freePort();
  const profDir = o.profileRoot !== undefined ? mkdtempSync(join(o.profileRoot, 'prof-')) : undefined;
  const svc = await startService({
    main: 'services/tlog/src/main.ts',
    port,
    readyPath: '/api/v1/log',
    settleMs: o.workers > 1 ? 2000 : 200,
    ...(profDir !== undefined && { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profDir] }),
    env: { ...o.env, SIGNET_TLOG_PORT: String(port), SIGNET_TLOG_WORKERS: String(o.workers), SIGNET_TLOG_LOG_LEVEL: 'warn' },
  });
  return { svc, ...(profDir !== undefined && { profDir }) };
}
