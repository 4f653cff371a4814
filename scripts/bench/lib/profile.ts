// Summaries of V8 CPU profiles (`node --cpu-prof`): self time by function, and by coarse category.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './service.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One row of a profile summary. */
export interface ProfileRow {
  name: string;
  selfMs: number;
  share: number;
}

function label(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  if (url === '') return functionName || '(anonymous)';
  let where = url.replace(/^file:\/\//, '');
  if (where.startsWith(ROOT)) where = relative(ROOT, where);
  where = where.replace(/^node_modules\//, '~/');
  return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
}

/** Coarse owner of a frame: a package, a node_modules library, node itself. */
function category(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  if (url === '') return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : 'native/builtin';
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return `~/${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return relative(ROOT, url).split('/').slice(0, 3).join('/');
}

/**
 * Top `top` functions by self time over the main-thread `.cpuprofile`s in `dir` (all processes
 * summed; tsx's loader thread is left out), plus self time by owner.
 */
export function summarizeProfiles(dir: string, top = 25): { rows: ProfileRow[]; byOwner: ProfileRow[]; totalMs: number; files: number } {
  const self = new Map<string, number>();
  const owners = new Map<string, number>();
  let total = 0;
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0');
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const dt = (p.timeDeltas[i] ?? 0) / 1000;
      const n = byId.get(id);
      if (n === undefined) return;
      const name = label(n);
      if (name === '(idle)' || name === '(program)') return;
      self.set(name, (self.get(name) ?? 0) + dt);
      const owner = category(n);
      owners.set(owner, (owners.get(owner) ?? 0) + dt);
      total += dt;
    });
  }
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, selfMs: ms, share: ms / total }));
  const byOwner = [...owners.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, ms]) => ({ name, selfMs: ms, share: ms / total }));
  return { rows, byOwner, totalMs: total, files: files.length };
}

/** A Markdown table of a profile summary. */
export function profileTable(s: { rows: ProfileRow[]; byOwner: ProfileRow[]; totalMs: number; files: number }): string {
  const table = (title: string, rows: ProfileRow[]) =>
    `| self % | self ms | ${title} |\n|---:|---:|---|\n` +
    rows.map((r) => `| ${(r.share * 100).toFixed(1)} | ${Math.round(r.selfMs)} | \`${r.name}\` |`).join('\n') +
    '\n';
  return (
    `${s.files} main-thread profile(s) (whole process life, start-up included), ${Math.round(s.totalMs)} ms of non-idle samples.\n\n` +
    table('owner', s.byOwner) +
    '\n' +
    table('function (TypeScript lines are those of the transpiled module)', s.rows)
  );
}
