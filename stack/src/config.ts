import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The stack launcher's configuration: where its data lives and which loopback ports its services
 * use. One YAML file (`SIGNET_CONFIG_FILE`) may also carry a section per service (`tlog:`, `ca:`)
 * in that service's own format; the launcher fills in what it manages (keys, data directory, the
 * development issuer, the CT wiring) underneath the operator's values, and every service validates
 * its section, so all problems of all sections are reported together at start.
 */
export interface StackConfig {
  /** Where keys, the embedded database, trust material and stack.json live. Env SIGNET_DATA_DIR; default `.signet`. */
  dataDir: string;
  /** Interface every service listens on. Env SIGNET_HOST; default 127.0.0.1. */
  host: string;
  /** Ports. Env SIGNET_TLOG_PORT (3000), SIGNET_CA_PORT (5555), SIGNET_OIDC_PORT (5556), SIGNET_TUF_PORT (5557). */
  ports: { tlog: number; ca: number; oidc: number; tuf: number };
  /** PostgreSQL instead of the embedded PGlite. Env DATABASE_URL. */
  databaseUrl?: string;
  /**
   * The URLs clients reach the services at, when not the bound loopback addresses (behind a proxy or
   * on another host): written into trusted_root.json, the signing config and stack.json. Env
   * SIGNET_TLOG_PUBLIC_URL, SIGNET_CA_PUBLIC_URL, SIGNET_TUF_PUBLIC_URL; YAML `stack.publicUrls`.
   * The tlog's checkpoints are signed under the host of its public URL.
   */
  publicUrls: { tlog?: string; ca?: string; tuf?: string };
  /** Run the loopback development OIDC issuer and trust it in the CA. Env SIGNET_DEV_OIDC (1/0); default on. */
  devOidc: boolean;
  /** The operator's per-service sections, passed to each service's own config loader. */
  sections: { tlog: Record<string, unknown>; ca: Record<string, unknown> };
}

export const DEFAULT_DATA_DIR = '.signet';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORTS = { tlog: 3000, ca: 5555, oidc: 5556, tuf: 5557 } as const;

/** Every problem found at once. */
export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

type Env = Record<string, string | undefined>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the stack configuration from the environment and the optional YAML text. Throws
 * `StackConfigError` listing every problem.
 */
export function loadStackConfig(env: Env, fileText: string | undefined, cwd: string): StackConfig {
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  if (fileText !== undefined && fileText.trim() !== '') {
    try {
      const parsed: unknown = parseYaml(fileText);
      if (isObject(parsed)) file = parsed;
      else problems.push('the configuration file must be a YAML mapping');
    } catch (e) {
      problems.push(`the configuration file is not valid YAML: ${(e as Error).message}`);
    }
  }
  const stack = isObject(file.stack) ? file.stack : {};
  const port = (name: keyof typeof DEFAULT_PORTS, envName: string): number => {
    const raw = env[envName] ?? (isObject(stack.ports) ? stack.ports[name] : undefined);
    if (raw === undefined || raw === '') return DEFAULT_PORTS[name];
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`ports.${name}: must be an integer 0..65535, got ${JSON.stringify(raw)}`);
    return n;
  };
  const ports = { tlog: port('tlog', 'SIGNET_TLOG_PORT'), ca: port('ca', 'SIGNET_CA_PORT'), oidc: port('oidc', 'SIGNET_OIDC_PORT'), tuf: port('tuf', 'SIGNET_TUF_PORT') };
  const devRaw = env.SIGNET_DEV_OIDC ?? stack.devOidc;
  if (devRaw !== undefined && !['1', '0', 'true', 'false', true, false].includes(devRaw as never)) problems.push('devOidc: must be true or false');
  for (const section of ['tlog', 'ca'] as const) {
    if (file[section] !== undefined && !isObject(file[section])) problems.push(`${section}: must be a mapping`);
  }
  const publicUrls: StackConfig['publicUrls'] = {};
  for (const [name, envName] of [['tlog', 'SIGNET_TLOG_PUBLIC_URL'], ['ca', 'SIGNET_CA_PUBLIC_URL'], ['tuf', 'SIGNET_TUF_PUBLIC_URL']] as const) {
    const raw = env[envName] ?? (isObject(stack.publicUrls) ? stack.publicUrls[name] : undefined);
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string' || !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(raw)) problems.push(`publicUrls.${name}: must be an http(s) URL, got ${JSON.stringify(raw)}`);
    else publicUrls[name] = raw.replace(/\/+$/, '');
  }
  const databaseUrl = env.DATABASE_URL ?? (typeof stack.databaseUrl === 'string' ? stack.databaseUrl : undefined);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('databaseUrl: must be a postgres:// URL');
  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    dataDir: resolve(cwd, env.SIGNET_DATA_DIR ?? (typeof stack.dataDir === 'string' ? stack.dataDir : DEFAULT_DATA_DIR)),
    host: env.SIGNET_HOST ?? (typeof stack.host === 'string' ? stack.host : DEFAULT_HOST),
    ports,
    publicUrls,
    ...(databaseUrl ? { databaseUrl } : {}),
    devOidc: !(devRaw === '0' || devRaw === 'false' || devRaw === false),
    sections: { tlog: isObject(file.tlog) ? file.tlog : {}, ca: isObject(file.ca) ? file.ca : {} },
  };
}

/** Deep-merges `over` onto `base` (mappings merge, everything else is replaced). */
export function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? overlay(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** The embedded database's directory inside the data directory. */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pgdata');
}
