// Runs the FLOOR worker (../floor.ts) in `processes` processes at once and sums their rates.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './service.js';

/** The floor of one benchmark on these cores. */
export interface FloorResult {
  kind: string;
  processes: number;
  perSecond: number;
  /** CPU µs per operation (all processes). */
  cpuMicrosPerOp: number;
  cores: number;
}

export async function runFloor(kind: string, processes: number, seconds: number): Promise<FloorResult> {
  const workers = Array.from({ length: processes }, () =>
    fork(join(ROOT, 'scripts/bench/floor.ts'), [kind, String(seconds)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const results: Promise<{ ops: number; seconds: number; cpuSeconds: number }>[] = [];
  const ready: Promise<void>[] = [];
  for (const w of workers) {
    ready.push(new Promise((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('exit', (code) => reject(new Error(`floor worker exited with ${code}`)));
    }));
  }
  await Promise.all(ready);
  for (const w of workers) {
    results.push(new Promise((resolve) => w.once('message', (m) => resolve(m as { ops: number; seconds: number; cpuSeconds: number }))));
    w.send('go');
  }
  const rs = await Promise.all(results);
  const perSecond = rs.reduce((s, r) => s + r.ops / r.seconds, 0);
  const ops = rs.reduce((s, r) => s + r.ops, 0);
  const cpu = rs.reduce((s, r) => s + r.cpuSeconds, 0);
  return { kind, processes, perSecond, cpuMicrosPerOp: (cpu / ops) * 1e6, cores: cpu / Math.max(...rs.map((r) => r.seconds)) };
}
