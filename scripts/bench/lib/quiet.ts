// The machine is shared: before a measured run, wait (bounded) until other processes leave the
// cores mostly idle, and report how busy they were either way.
import { setTimeout as sleep } from 'node:timers/promises';
import { machineBusy } from './proc.js';

/** Cores used by everything else over `ms` (this process is idle meanwhile). */
export async function otherCores(ms = 1000): Promise<number> {
  const a = machineBusy();
  const t = performance.now();
  await sleep(ms);
  return (machineBusy() - a) / ((performance.now() - t) / 1000);
}

/**
 * Waits until other processes use less than `threshold` cores (checked every second), at most
 * `maxWaitMs`. Returns the last reading and how long it waited.
 */
export async function waitQuiet(threshold = 0.3, maxWaitMs = 10_000): Promise<{ otherCores: number; waitedMs: number }> {
  const t0 = performance.now();
  let other = await otherCores();
  while (other >= threshold && performance.now() - t0 < maxWaitMs) other = await otherCores();
  return { otherCores: other, waitedMs: Math.round(performance.now() - t0) };
}
