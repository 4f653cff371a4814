// The machine is shared: before a measured run, wait (bounded) until other processes leave the
// cores mostly idle, and report how busy they were either way.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineBusy } from './proc.js';

/** Cores used by everything else over `ms` (this process is idle meanwhile). */
export async function otherCores(ms = 1000): Promise<number> {
  const a = machineBusy();
  const t = performance.now();
  await sleep(ms);
  return (machineBusy() - a) / ((performance.now() - t) / 1000);
}

let probeKey: KeyObject | undefined;

/**
 * How fast the host is right now: ECDSA P-256 signatures per second on one core (node:crypto)
 * over `ms`. The VM shares its host, whose speed per core has been seen to swing by ~40 % within
 * minutes and 2-2.5x between days; a result is only comparable to another at a similar speed.
 */
export function hostSpeed(ms = 300): number {
  probeKey ??= generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const data = Buffer.alloc(64, 1);
  for (let i = 0; i < 50; i++) sign('sha256', data, probeKey); // warm
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 50; i++) sign('sha256', data, probeKey);
    n += 50;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** The machine before a run: other processes' cores, and `hostSpeed`. */
export interface Quiet {
  otherCores: number;
  waitedMs: number;
  /** `hostSpeed()` right after the wait. */
  speed: number;
}

/**
 * Waits until other processes use less than `threshold` cores (checked every second), at most
 * `maxWaitMs`. Returns the last reading, how long it waited, and the host's speed then.
 */
export async function waitQuiet(threshold = 0.3, maxWaitMs = 10_000): Promise<Quiet> {
  const t0 = performance.now();
  let other = await otherCores();
  while (other >= threshold && performance.now() - t0 < maxWaitMs) other = await otherCores();
  const waitedMs = Math.round(performance.now() - t0);
  return { otherCores: other, waitedMs, speed: hostSpeed() };
}
