// The `signet` command line: node:util parseArgs over a table of commands. The composition root of
// the CLI — the only file that reads process.env, argv and the terminal.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { ClientError } from '../index.js';
import type { Command } from './command.js';
import { exitCodeOf, EXIT, type CliContext } from './context.js';
import { generateKeyPairCommand } from './keys.js';
import { logCommand } from './log.js';
import { attestCommand, signBlobCommand } from './sign.js';
import { trustCommand } from './trust.js';
import { verifyAttestationCommand, verifyBlobCommand } from './verify.js';

const COMMANDS: Command[] = [
  signBlobCommand,
  verifyBlobCommand,
  attestCommand,
  verifyAttestationCommand,
  generateKeyPairCommand,
  logCommand,
  trustCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: signet <command> [options]   (signet <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options: --json (machine-readable output), --state-dir DIR, --help',
    'Configuration: flags, then SIGNET_* environment, then $SIGNET_CONFIG (~/.config/signet/config.json),',
    'then a development stack\'s .signet/stack.json (or $SIGNET_DATA_DIR/stack.json).',
    'Exit codes: 0 ok, 1 verification failed, 2 usage, 3 no trust material, 4 other error.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  const flags = Object.entries(c.options)
    .map(([name, o]) => `  --${name}${o.type === 'string' ? ' VALUE' : ''}${o.default !== undefined && o.type === 'string' ? ` (default ${String(o.default)})` : ''}`)
    .join('\n');
  return `${c.summary}\n\nUsage: ${c.usage}\n\nOptions:\n${flags}`;
}

/** Reads a password: SIGNET_PASSWORD, else a prompt with echo off on a terminal. */
function passwordReader(env: Record<string, string | undefined>) {
  return async (prompt: string): Promise<string> => {
    if (env.SIGNET_PASSWORD !== undefined) return env.SIGNET_PASSWORD;
    if (!process.stdin.isTTY) throw new ClientError('USAGE', 'no password: set SIGNET_PASSWORD (no terminal to prompt on)');
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(prompt);
    out._writeToOutput = () => undefined;
    try {
      return await new Promise<string>((resolve) => rl.question('', resolve));
    } finally {
      rl.close();
      process.stderr.write('\n');
    }
  };
}

export async function main(argv: string[]): Promise<number> {
  const ctx: CliContext = {
    env: process.env,
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: Boolean(process.stderr.isTTY),
    password: passwordReader(process.env),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout(`${usage()}\n`);
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.stderr(`signet: unknown command ${JSON.stringify(name)}\n\n${usage()}\n`);
    return EXIT.USAGE;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    if (values.help) {
      ctx.stdout(`${commandHelp(command)}\n`);
      return EXIT.OK;
    }
    return await command.run(ctx, values as Record<string, string | boolean | undefined>, positionals);
  } catch (e) {
    const code = e instanceof ClientError ? exitCodeOf(e) : (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? EXIT.USAGE : EXIT.ERROR;
    const message = e instanceof Error ? e.message : String(e);
    if (argv.includes('--json')) ctx.stdout(`${JSON.stringify({ error: { code: (e as { code?: string }).code ?? 'ERROR', message } })}\n`);
    ctx.stderr(`signet ${name}: ${message}\n`);
    return code;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
