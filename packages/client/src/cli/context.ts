import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClientError, resolveConfig, type ClientConfig } from '../index.js';

/** What every command receives from main.ts: the environment, output streams and resolved config. */
export interface CliContext {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars, prompts). */
  interactive: boolean;
  /** Reads a secret: `SIGNET_PASSWORD`, else a prompt on the terminal. */
  password: (prompt: string) => Promise<string>;
}

/** Exit codes scripts can rely on. */
export const EXIT = {
  OK: 0,
  /** A verification, identity, predicate or log-consistency check failed. */
  VERIFICATION_FAILED: 1,
  /** Bad command line. */
  USAGE: 2,
  /** No trust material, or not the material a check needs. */
  NO_TRUST: 3,
  /** A service, file or key problem. */
  ERROR: 4,
} as const;

/** Maps a failure to its exit code. */
export function exitCodeOf(e: unknown): number {
  if (!(e instanceof ClientError)) return EXIT.ERROR;
  switch (e.code) {
    case 'VERIFICATION_FAILED':
    case 'IDENTITY_MISMATCH':
    case 'PREDICATE_MISMATCH':
    case 'LOG_INCONSISTENT':
    case 'BAD_BUNDLE':
      return EXIT.VERIFICATION_FAILED;
    case 'USAGE':
      return EXIT.USAGE;
    case 'NO_TRUST':
      return EXIT.NO_TRUST;
    default:
      return EXIT.ERROR;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The development stack's data directory: `SIGNET_DATA_DIR`, else `.signet` in the working directory. */
export function dataDirOf(ctx: CliContext): string {
  return ctx.env.SIGNET_DATA_DIR ?? join(ctx.cwd, '.signet');
}

/** The client's state directory (trust cache, checkpoints seen). */
export function stateDirOf(ctx: CliContext, config: ClientConfig): string {
  return config.stateDir ?? join(ctx.env.XDG_STATE_HOME ?? join(ctx.env.HOME ?? ctx.cwd, '.local', 'state'), 'signet');
}

/** Resolves the config: flags, environment, config file, then the development stack's stack.json. */
export async function loadConfig(ctx: CliContext, flags: Partial<ClientConfig>): Promise<ClientConfig> {
  const configPath = ctx.env.SIGNET_CONFIG ?? join(ctx.env.XDG_CONFIG_HOME ?? join(ctx.env.HOME ?? ctx.cwd, '.config'), 'signet', 'config.json');
  const configFile = await readOptional(configPath);
  const stackJson = await readOptional(join(dataDirOf(ctx), 'stack.json'));
  return resolveConfig({
    flags,
    env: ctx.env,
    ...(configFile !== undefined ? { configFile } : {}),
    ...(stackJson !== undefined ? { stackJson } : {}),
  });
}

/** Reads a file the user named, or a USAGE/IO error naming it. */
export async function readInput(path: string | undefined, what: string): Promise<Buffer> {
  if (!path) throw new ClientError('USAGE', `missing ${what}`);
  try {
    return await readFile(path);
  } catch (cause) {
    throw new ClientError('IO', `cannot read ${what} ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
}

/** Reads and parses a JSON file the user named. */
export async function readJsonInput(path: string | undefined, what: string): Promise<unknown> {
  const bytes = await readInput(path, what);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new ClientError('BAD_BUNDLE', `${what} ${path} is not JSON`, { cause });
  }
}
