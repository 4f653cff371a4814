// Result records of the benchmarks and their Markdown rendering.
import type { CoreUse } from './proc.js';
import type { LoadResult } from './load.js';
import type { Quiet } from './quiet.js';

/** One measured HTTP scenario. */
export interface Scenario {
  name: string;
  /** What the target is, e.g. "≥ 4,000 /s, p99 ≤ 200 ms". */
  target: string;
  met: boolean;
  load: LoadResult;
  cores: CoreUse;
  /** Other processes' cores just before the run. */
  otherBefore: number;
  /** `hostSpeed()` (P-256 signatures/s on one core) before the run and after its services stopped. */
  speed: { before: number; after: number };
  /** Server-side CPU µs per request (service + PostgreSQL). */
  serverMicrosPerRequest: number;
  /** 2 cores ÷ server CPU per request: the rate these cores would give the server alone. */
  projectedPerSecond: number;
  notes: string[];
}

/** Builds a Scenario from a load result and the CPU use of the window. */
export function scenario(
  name: string,
  target: { perSecond: number; p99Ms: number; text: string },
  load: LoadResult,
  cores: CoreUse,
  before: Quiet,
  speedAfter: number,
  notes: string[] = [],
): Scenario {
  const perReq = load.requests > 0 ? ((cores.service + cores.postgres) * load.seconds * 1e6) / load.requests : NaN;
  return {
    name,
    target: target.text,
    met: load.perSecond >= target.perSecond && load.p99 <= target.p99Ms && load.errors === 0,
    load,
    cores,
    otherBefore: before.otherCores,
    speed: { before: before.speed, after: speedAfter },
    serverMicrosPerRequest: perReq,
    projectedPerSecond: 2e6 / perReq,
    notes,
  };
}

export const n0 = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
export const n1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
export const n2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '–');

/** The Markdown table of scenarios. */
export function scenarioTable(rows: Scenario[]): string {
  const head =
    '| Scenario | Target | Result /s | p50 ms | p99 ms | max ms | errors | met | server+pg µs/req | cores: server / pg / loadgen / other | other before | host speed before / after | 2-core projection /s |\n' +
    '|---|---|---:|---:|---:|---:|---:|:-:|---:|---|---:|---|---:|\n';
  return (
    head +
    rows
      .map(
        (r) =>
          `| ${r.name} | ${r.target} | ${n0(r.load.perSecond)} | ${n1(r.load.p50)} | ${n1(r.load.p99)} | ${n1(r.load.max)} | ${r.load.errors} | ${r.met ? 'yes' : '**no**'} | ${n0(r.serverMicrosPerRequest)} | ${n2(r.cores.service)} / ${n2(r.cores.postgres)} / ${n2(r.cores.loadgen)} / ${n2(r.cores.other)} | ${n2(r.otherBefore)} | ${n0(r.speed.before)} / ${n0(r.speed.after)} | ${n0(r.projectedPerSecond)} |`,
      )
      .join('\n') +
    '\n'
  );
}

/** Error samples and notes of the scenarios, as a list (empty string when there are none). */
export function scenarioNotes(rows: Scenario[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    for (const note of r.notes) lines.push(`- ${r.name}: ${note}`);
    for (const e of r.load.errorSamples) lines.push(`- ${r.name}: error sample: \`${e.slice(0, 300).replace(/`/g, "'")}\``);
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
