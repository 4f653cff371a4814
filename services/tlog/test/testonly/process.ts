// Spawns the real tlog entry point (src/main.ts through tsx) as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A running tlog child process. */
export interface TlogProcess {
  url: string;
  proc: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM, and wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `src/main.ts` with `env` (on top of PATH etc.) and resolves once it is listening. */
export function spawnTlog(env: Record<string, string>, timeoutMs = 120_000): Promise<TlogProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SIGNET_TLOG_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`tlog did not start in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        if (!line.includes('tlog listening')) continue;
        clearTimeout(timer);
        const url = (JSON.parse(line) as { url: string }).url;
        out = '';
        resolve({
          url,
          proc,
          stderr: () => err,
          async kill9() {
            proc.kill('SIGKILL');
            await exited;
          },
          async stop() {
            proc.kill('SIGTERM');
            return exited;
          },
        });
        return;
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tlog exited (${code}) before listening: ${err}`));
    });
  });
}
