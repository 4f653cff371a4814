import { ClientError } from './errors.js';

/**
 * Where the client finds Signet. Resolved from, in order of precedence: command-line flags, the
 * environment (`SIGNET_*`), a config file (JSON, `SIGNET_CONFIG` or `~/.config/signet/config.json`),
 * and finally the development stack's `stack.json` (`$SIGNET_DATA_DIR/stack.json`, default
 * `.signet/stack.json`), so that `npm start` followed by `signet sign-blob` needs no flags.
 */
export interface ClientConfig {
  /** Fulcio-compatible CA base URL. */
  caUrl?: string;
  /** Rekor-compatible transparency log base URL. */
  tlogUrl?: string;
  /** OIDC issuer of a development stack (tokens minted with `POST /token`). */
  oidcIssuerUrl?: string;
  /** A `trusted_root.json` file to verify against (takes precedence over TUF). */
  trustedRootPath?: string;
  /** TUF mirror (URL, or a directory holding a repository) that serves `trusted_root.json`. */
  tufMirrorUrl?: string;
  /** The initial trusted TUF `root.json` for that mirror. */
  tufRootPath?: string;
  /** Where the client keeps its TUF cache and the checkpoints it has seen. */
  stateDir?: string;
}

/** The config keys, their environment variables and their config-file / stack.json names. */
export const CONFIG_KEYS = {
  caUrl: { env: 'SIGNET_CA_URL', file: 'caUrl' },
  tlogUrl: { env: 'SIGNET_TLOG_URL', file: 'tlogUrl' },
  oidcIssuerUrl: { env: 'SIGNET_OIDC_ISSUER_URL', file: 'oidcIssuerUrl' },
  trustedRootPath: { env: 'SIGNET_TRUSTED_ROOT', file: 'trustedRootPath' },
  tufMirrorUrl: { env: 'SIGNET_TUF_MIRROR', file: 'tufUrl' },
  tufRootPath: { env: 'SIGNET_TUF_ROOT', file: 'tufRootPath' },
  stateDir: { env: 'SIGNET_STATE_DIR', file: 'stateDir' },
} as const satisfies Record<keyof ClientConfig, { env: string; file: string }>;

type Source = Record<string, unknown> | undefined;

function parseJson(text: string | undefined, what: string): Source {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (cause) {
    throw new ClientError('USAGE', `${what} is not valid JSON`, { cause });
  }
  throw new ClientError('USAGE', `${what} must hold a JSON object`);
}

/**
 * Merges the sources, flags first. `configFile` and `stackJson` are the texts of those files when
 * they exist. Throws `ClientError('USAGE')` for a file that is not a JSON object or a value that is
 * not a string.
 */
export function resolveConfig(sources: {
  flags: Partial<ClientConfig>;
  env: Record<string, string | undefined>;
  configFile?: string;
  stackJson?: string;
}): ClientConfig {
  const file = parseJson(sources.configFile, 'the config file');
  const stack = parseJson(sources.stackJson, 'stack.json');
  const out: ClientConfig = {};
  for (const [key, names] of Object.entries(CONFIG_KEYS) as [keyof ClientConfig, { env: string; file: string }][]) {
    const candidates = [sources.flags[key], sources.env[names.env], file?.[names.file], stack?.[names.file]];
    const value = candidates.find((v) => v !== undefined && v !== '');
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ClientError('USAGE', `config key ${names.file} must be a string`);
    out[key] = value;
  }
  return out;
}

/** `url` without trailing slashes (sigstore-js appends API paths by concatenation). */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The configured value or a USAGE error naming the flag and variable that would set it. */
export function required<K extends keyof ClientConfig>(config: ClientConfig, key: K, flag: string): string {
  const value = config[key];
  if (!value) {
    throw new ClientError('USAGE', `no ${flag} given (flag --${flag}, environment ${CONFIG_KEYS[key].env}, or a running development stack)`);
  }
  return value;
}
