// Command-line flags of the bench scripts and the hand-off of their results to scripts/bench.mjs.
import { writeFileSync } from 'node:fs';

/** The value after `flag` on the command line. */
export function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function hasFlag(flag: string): boolean {
  return process.argv.includes(flag);
}

/**
 * Hands the Markdown section (and the raw data) to the caller: written to `--out <file>` as JSON,
 * or printed when run alone.
 */
export function writeSection(name: string, markdown: string, data: unknown): void {
  const out = argValue('--out');
  if (out !== undefined) writeFileSync(out, JSON.stringify({ name, markdown, data }, null, 1));
  else process.stdout.write(markdown);
}

/**
 * The warm-up before the measured window, in ms (`--warmup <seconds>`, default 20 s). The services
 * run under V8's tiering JIT: at a few hundred requests/s the hot paths are still being optimised
 * several seconds after start (a 5 s warm-up measured the CA with CT at 233 /s, a 20 s one at 326 /s
 * and a 45 s one at 307 /s), and a service runs for days, so the window measures the steady state.
 */
export function warmupMs(): number {
  return Number(argValue('--warmup') ?? '20') * 1000;
}
