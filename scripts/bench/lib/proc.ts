// CPU accounting from /proc: a process tree (a service and its cluster workers), PostgreSQL's
// processes, this process, and the whole machine, so every result says who used the 2 cores.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one pid in seconds, or 0 if it is gone. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(' ').map(Number));
    }
  } catch {
    // gone
  }
  return out;
}

/** Pids of `root` and all its descendants. */
export function treeOf(root: number): number[] {
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...childrenOf(pid));
  }
  return out;
}

/** CPU seconds used so far by `root` and its descendants (exited children are not counted). */
export function treeCpu(root: number): number {
  return treeOf(root).reduce((s, p) => s + cpuOf(p), 0);
}

/** CPU seconds used so far by every live process whose command name starts with `postgres`. */
export function postgresCpu(): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const comm = readFileSync(`/proc/${name}/comm`, 'utf8');
      if (comm.startsWith('postgres')) total += cpuOf(Number(name));
    } catch {
      // gone
    }
  }
  return total;
}

/** Busy CPU seconds of the whole machine so far (all cores, from /proc/stat). */
export function machineBusy(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = v[0]! + v[1]! + v[2]! + v[5]! + v[6]! + v[7]!;
  return busy / TICKS_PER_SECOND;
}

/** A snapshot of the counters above, for the service tree rooted at `servicePid`. */
export interface CpuSnapshot {
  at: number;
  service: number;
  postgres: number;
  self: number;
  machine: number;
}

export function snapshot(servicePid: number | undefined): CpuSnapshot {
  const u = process.cpuUsage();
  return {
    at: performance.now(),
    service: servicePid === undefined ? 0 : treeCpu(servicePid),
    postgres: postgresCpu(),
    self: (u.user + u.system) / 1e6,
    machine: machineBusy(),
  };
}

/** Cores used between two snapshots, by party; `other` is what nobody of ours used. */
export interface CoreUse {
  service: number;
  postgres: number;
  loadgen: number;
  other: number;
}

export function coresBetween(a: CpuSnapshot, b: CpuSnapshot): CoreUse {
  const secs = (b.at - a.at) / 1000;
  const service = (b.service - a.service) / secs;
  const postgres = (b.postgres - a.postgres) / secs;
  const loadgen = (b.self - a.self) / secs;
  const machine = (b.machine - a.machine) / secs;
  return { service, postgres, loadgen, other: Math.max(0, machine - service - postgres - loadgen) };
}
