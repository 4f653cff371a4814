import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './context.js';

/** Values parsed from the command line. */
export type Values = Record<string, string | boolean | undefined>;

/** One `signet` command: its options, help text and runner (returning the exit code). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CliContext, values: Values, positionals: string[]): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  'state-dir': { type: 'string' },
} as const;

/** Service location options (flags win over environment, config file and stack.json). */
export const SERVICE_OPTIONS = {
  'ca-url': { type: 'string' },
  'tlog-url': { type: 'string' },
  'oidc-issuer': { type: 'string' },
} as const;

/** Trust options for verification. */
export const TRUST_OPTIONS = {
  'trusted-root': { type: 'string' },
  'tuf-mirror': { type: 'string' },
  'tuf-root': { type: 'string' },
} as const;

/** Keyless identity policy options (cosign's names). */
export const IDENTITY_OPTIONS = {
  'certificate-identity': { type: 'string' },
  'certificate-identity-regexp': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  'certificate-oidc-issuer-regexp': { type: 'string' },
} as const;

/** The config flags as `ClientConfig` fields. */
export function configFlags(v: Values) {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  return {
    caUrl: s('ca-url'),
    tlogUrl: s('tlog-url'),
    oidcIssuerUrl: s('oidc-issuer'),
    trustedRootPath: s('trusted-root'),
    tufMirrorUrl: s('tuf-mirror'),
    tufRootPath: s('tuf-root'),
    stateDir: s('state-dir'),
  };
}

/** Prints `data` as JSON with --json, else the human lines. */
export function output(ctx: CliContext, v: Values, data: unknown, human: string[]): void {
  if (v.json) ctx.stdout(`${JSON.stringify(data, null, 2)}\n`);
  else for (const line of human) ctx.stdout(`${line}\n`);
}
