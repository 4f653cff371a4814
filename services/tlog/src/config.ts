// The tlog service configuration: a documented `Config`, its defaults, and `loadConfig`, which reads
// an optional YAML file and then environment variables (which win) and reports EVERY problem at once.
import { parse as parseYaml } from 'yaml';
import type { KeyConfig, SignatureAlgorithm } from '@signet/pki';
import { LogError } from './errors.js';
import { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BATCH, DEFAULT_MAX_PENDING, DEFAULT_PIPELINE_DEPTH } from './log/options.js';

/** Everything the tlog process needs to start. */
export interface Config {
  /** Interface and TCP port to listen on. */
  listen: { host: string; port: number };
  /** `postgres://` URL of the database. Absent → embedded PGlite (single process only). */
  databaseUrl?: string;
  /** PostgreSQL schema holding the log tables (created if missing). */
  databaseSchema: string;
  /** PGlite data directory when `databaseUrl` is absent. Absent → an in-memory database. */
  dataDir?: string;
  /** Base URL clients reach this log at: the `baseUrl` to put in trusted roots. */
  publicUrl: string;
  /**
   * Checkpoint signer name and origin host (Rekor v1: origin `<hostname> - <treeID>`). Must be a
   * substring of `publicUrl` for sigstore-js. Default: the host name of `publicUrl`.
   */
  hostname: string;
  /** Trillian-style tree ID (1..2^63-1) in entryIDs and the origin. Absent → derived from the log ID. */
  treeId?: bigint;
  /** The log signing key (checkpoints and SETs). */
  logKey: KeyConfig;
  /** Storage name of the Rekor log (several logs may share one database). */
  logName: string;
  /** Entries per commit batch. */
  maxBatch: number;
  /** Longest wait for more entries before a batch is committed, in ms. */
  maxAgeMs: number;
  /** Batches in flight at once (2+: the next batch's commit is sent before the previous one's returns). */
  pipelineDepth: number;
  /** Appends in flight before new ones get 503 + Retry-After. */
  maxPending: number;
  /** Largest accepted HTTP request body in bytes (413 above). */
  maxBodyBytes: number;
  /** Cap on the entryIDs one /api/v1/index/retrieve returns. */
  maxSearchResults: number;
  /** HTTP worker processes (node:cluster); more than 1 requires `databaseUrl`. */
  workers: number;
  /** pino log level. */
  logLevel: LogLevel;
  /** Grace period for in-flight requests and queued appends on SIGTERM/SIGINT, in ms. */
  shutdownTimeoutMs: number;
  /** The RFC 6962 Certificate Transparency log served beside the Rekor log; absent → not served. */
  ct?: CtConfig;
}

/** The CT personality (its SCTs are embedded by the CA). */
export interface CtConfig {
  /** PEM file of the accepted roots (e.g. the CA's chain file). One of rootsFile / rootsPem is required. */
  rootsFile?: string;
  /** The accepted roots as PEM text (for launchers that start the CA in-process). */
  rootsPem?: string;
  /** The CT signing key (ECDSA P-256 or RSA); its SPKI hash is the RFC 6962 LogID. */
  key: KeyConfig;
  /** Checkpoint origin and note key name; default `<publicUrl without scheme><prefix>`. */
  origin: string;
  /** Storage name of the CT log; must differ from `logName`. */
  logName: string;
  /** URL prefix of the CT log: add-pre-chain is `<publicUrl><prefix>/ct/v1/add-pre-chain`. */
  prefix: string;
}

/** pino levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;
export const DEFAULT_DATABASE_SCHEMA = 'public';
export const DEFAULT_LOG_NAME = 'rekor';
export const DEFAULT_LOG_KEY: KeyConfig = { kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' };
// The batching defaults are the log engine's own.
export { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BATCH, DEFAULT_MAX_PENDING, DEFAULT_PIPELINE_DEPTH };
/** 4 MiB, as rekor-tiles; DSSE envelopes are hashed, not stored, so they may be large. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_SEARCH_RESULTS = 10_000;
export const DEFAULT_WORKERS = 1;
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
export const DEFAULT_CT_LOG_NAME = 'ct';
export const DEFAULT_CT_PREFIX = '/ct';
export const DEFAULT_CT_KEY: KeyConfig = { kind: 'ephemeral', algorithm: 'ecdsa-p256-sha256' };

/** Environment variables and the Config key each sets. */
export const ENV_VARS = {
  SIGNET_TLOG_HOST: 'listen.host',
  SIGNET_TLOG_PORT: 'listen.port',
  DATABASE_URL: 'databaseUrl',
  SIGNET_TLOG_DATABASE_SCHEMA: 'databaseSchema',
  SIGNET_TLOG_DATA_DIR: 'dataDir',
  SIGNET_TLOG_PUBLIC_URL: 'publicUrl',
  SIGNET_TLOG_HOSTNAME: 'hostname',
  SIGNET_TLOG_TREE_ID: 'treeId',
  SIGNET_TLOG_KEY_FILE: 'logKey (kind file, path)',
  SIGNET_TLOG_KEY_PASSWORD: 'logKey.password',
  SIGNET_TLOG_LOG_NAME: 'logName',
  SIGNET_TLOG_MAX_BATCH: 'maxBatch',
  SIGNET_TLOG_MAX_AGE_MS: 'maxAgeMs',
  SIGNET_TLOG_PIPELINE_DEPTH: 'pipelineDepth',
  SIGNET_TLOG_MAX_PENDING: 'maxPending',
  SIGNET_TLOG_MAX_BODY_BYTES: 'maxBodyBytes',
  SIGNET_TLOG_MAX_SEARCH_RESULTS: 'maxSearchResults',
  SIGNET_TLOG_WORKERS: 'workers',
  SIGNET_TLOG_LOG_LEVEL: 'logLevel',
  SIGNET_TLOG_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
  SIGNET_TLOG_CT_ROOTS_FILE: 'ct.rootsFile (enables the CT log)',
  SIGNET_TLOG_CT_KEY_FILE: 'ct.key (kind file, path)',
  SIGNET_TLOG_CT_ORIGIN: 'ct.origin',
  SIGNET_TLOG_CT_PREFIX: 'ct.prefix',
} as const;

const TOP_KEYS = new Set([
  'listen', 'databaseUrl', 'databaseSchema', 'dataDir', 'publicUrl', 'hostname', 'treeId', 'logKey', 'logName',
  'maxBatch', 'maxAgeMs', 'pipelineDepth', 'maxPending', 'maxBodyBytes', 'maxSearchResults', 'workers', 'logLevel', 'shutdownTimeoutMs', 'ct',
]);
const CT_KEYS = new Set(['rootsFile', 'rootsPem', 'key', 'origin', 'logName', 'prefix']);
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const ALGORITHMS: SignatureAlgorithm[] = ['ecdsa-p256-sha256', 'ecdsa-p384-sha384', 'ecdsa-p521-sha512', 'ed25519', 'rsa-pkcs1-sha256'];
const MAX_INT63 = (1n << 63n) - 1n;

/**
 * Builds the Config from an optional YAML document (`fileText`, keys as in `Config`) overlaid with
 * the environment variables of ENV_VARS. Throws `LogError('BAD_CONFIG')` listing every problem
 * (`details.problems`): unknown keys, wrong types, out-of-range numbers, bad URLs, a host name
 * unusable as a note key name, an invalid tree ID or key config, `workers > 1` without PostgreSQL.
 */
export function loadConfig(env: Record<string, string | undefined>, fileText?: string): Config {
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  if (fileText !== undefined && fileText.trim() !== '') {
    try {
      const parsed: unknown = parseYaml(fileText);
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== 'object' || Array.isArray(parsed)) problems.push('config file: must be a YAML mapping');
        else file = parsed as Record<string, unknown>;
      }
    } catch (e) {
      problems.push(`config file: not valid YAML (${(e as Error).message.split('\n')[0]})`);
    }
  }
  for (const k of Object.keys(file)) if (!TOP_KEYS.has(k)) problems.push(`config file: unknown key "${k}"`);
  const r = new Reader(file, env, problems);

  const listen = r.obj('listen');
  for (const k of Object.keys(listen)) if (k !== 'host' && k !== 'port') problems.push(`listen: unknown key "${k}"`);
  const host = r.str('listen.host', listen.host, 'SIGNET_TLOG_HOST') ?? DEFAULT_HOST;
  const port = r.int('listen.port', listen.port, 'SIGNET_TLOG_PORT', 0, 65535) ?? DEFAULT_PORT;
  const databaseUrl = r.str('databaseUrl', file.databaseUrl, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('databaseUrl: must start with postgres:// or postgresql://');
  const databaseSchema = r.str('databaseSchema', file.databaseSchema, 'SIGNET_TLOG_DATABASE_SCHEMA') ?? DEFAULT_DATABASE_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) problems.push('databaseSchema: lower-case letters, digits and _ only');
  const dataDir = r.str('dataDir', file.dataDir, 'SIGNET_TLOG_DATA_DIR');
  const publicUrl = (r.str('publicUrl', file.publicUrl, 'SIGNET_TLOG_PUBLIC_URL') ?? `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, '');
  let urlHost = '';
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push('publicUrl: must be an http(s) URL');
    urlHost = u.hostname;
  } catch {
    problems.push(`publicUrl: ${JSON.stringify(publicUrl)} is not a URL`);
  }
  const hostname = r.str('hostname', file.hostname, 'SIGNET_TLOG_HOSTNAME') ?? urlHost;
  if (!hostname || /[\s+]/.test(hostname)) problems.push('hostname: must be non-empty without spaces or "+" (it is the checkpoint key name)');
  else if (urlHost && !publicUrl.includes(hostname)) problems.push(`hostname: "${hostname}" must appear in publicUrl (sigstore-js matches the checkpoint signer name against the log URL)`);
  const treeId = r.bigint('treeId', file.treeId, 'SIGNET_TLOG_TREE_ID');
  if (treeId !== undefined && (treeId < 1n || treeId > MAX_INT63)) problems.push('treeId: must be 1..2^63-1');
  const logKey = readKey(file.logKey, env, problems);
  const logName = r.str('logName', file.logName, 'SIGNET_TLOG_LOG_NAME') ?? DEFAULT_LOG_NAME;
  const maxBatch = r.int('maxBatch', file.maxBatch, 'SIGNET_TLOG_MAX_BATCH', 1, 100_000) ?? DEFAULT_MAX_BATCH;
  const maxAgeMs = r.int('maxAgeMs', file.maxAgeMs, 'SIGNET_TLOG_MAX_AGE_MS', 0, 60_000) ?? DEFAULT_MAX_AGE_MS;
  const pipelineDepth = r.int('pipelineDepth', file.pipelineDepth, 'SIGNET_TLOG_PIPELINE_DEPTH', 1, 8) ?? DEFAULT_PIPELINE_DEPTH;
  const maxPending = r.int('maxPending', file.maxPending, 'SIGNET_TLOG_MAX_PENDING', 1, 10_000_000) ?? DEFAULT_MAX_PENDING;
  const maxBodyBytes = r.int('maxBodyBytes', file.maxBodyBytes, 'SIGNET_TLOG_MAX_BODY_BYTES', 1024, 1 << 30) ?? DEFAULT_MAX_BODY_BYTES;
  const maxSearchResults = r.int('maxSearchResults', file.maxSearchResults, 'SIGNET_TLOG_MAX_SEARCH_RESULTS', 1, 1_000_000) ?? DEFAULT_MAX_SEARCH_RESULTS;
  const workers = r.int('workers', file.workers, 'SIGNET_TLOG_WORKERS', 1, 64) ?? DEFAULT_WORKERS;
  if (workers > 1 && databaseUrl === undefined) problems.push('workers: more than 1 worker needs databaseUrl (PGlite is single-process)');
  const logLevel = (r.str('logLevel', file.logLevel, 'SIGNET_TLOG_LOG_LEVEL') ?? DEFAULT_LOG_LEVEL) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`logLevel: must be one of ${LOG_LEVELS.join(', ')}`);
  const shutdownTimeoutMs = r.int('shutdownTimeoutMs', file.shutdownTimeoutMs, 'SIGNET_TLOG_SHUTDOWN_TIMEOUT_MS', 0, 600_000) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;

  const ct = readCt(r, file, env, { publicUrl, logName }, problems);

  if (problems.length > 0) {
    throw new LogError('BAD_CONFIG', `invalid tlog configuration:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  return {
    listen: { host, port },
    ...(databaseUrl !== undefined && { databaseUrl }),
    databaseSchema,
    ...(dataDir !== undefined && { dataDir }),
    publicUrl,
    hostname,
    ...(treeId !== undefined && { treeId }),
    logKey,
    logName,
    maxBatch,
    maxAgeMs,
    pipelineDepth,
    maxPending,
    maxBodyBytes,
    maxSearchResults,
    workers,
    logLevel,
    shutdownTimeoutMs,
    ...(ct !== undefined && { ct }),
  };
}

function readCt(
  r: Reader,
  file: Record<string, unknown>,
  env: Record<string, string | undefined>,
  main: { publicUrl: string; logName: string },
  problems: string[],
): CtConfig | undefined {
  if ((file.ct === undefined || file.ct === null) && !env.SIGNET_TLOG_CT_ROOTS_FILE) return undefined;
  const raw = r.obj('ct');
  for (const k of Object.keys(raw)) if (!CT_KEYS.has(k)) problems.push(`ct: unknown key "${k}"`);
  const rootsFile = r.str('ct.rootsFile', raw.rootsFile, 'SIGNET_TLOG_CT_ROOTS_FILE');
  const rootsPem = r.str('ct.rootsPem', raw.rootsPem);
  if (rootsFile === undefined && rootsPem === undefined) problems.push('ct: needs rootsFile (or rootsPem): the roots whose chains it accepts');
  const prefix = r.str('ct.prefix', raw.prefix, 'SIGNET_TLOG_CT_PREFIX') ?? DEFAULT_CT_PREFIX;
  if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(prefix)) problems.push('ct.prefix: must be a path like /ct');
  const origin = r.str('ct.origin', raw.origin, 'SIGNET_TLOG_CT_ORIGIN') ?? main.publicUrl.replace(/^https?:\/\//, '') + prefix;
  if (/[\s+]/.test(origin)) problems.push('ct.origin: must not contain spaces or "+"');
  const logName = r.str('ct.logName', raw.logName) ?? DEFAULT_CT_LOG_NAME;
  if (logName === main.logName) problems.push('ct.logName: must differ from logName');
  const keyEnv = env.SIGNET_TLOG_CT_KEY_FILE ? { SIGNET_TLOG_KEY_FILE: env.SIGNET_TLOG_CT_KEY_FILE } : {};
  const keyProblems: string[] = [];
  const key = raw.key === undefined && !env.SIGNET_TLOG_CT_KEY_FILE ? DEFAULT_CT_KEY : readKey(raw.key, keyEnv, keyProblems);
  problems.push(...keyProblems.map((p) => `ct.${p}`));
  return {
    ...(rootsFile !== undefined && { rootsFile }),
    ...(rootsPem !== undefined && { rootsPem }),
    key,
    origin,
    logName,
    prefix,
  };
}

/** Typed reads of one key from the file or (winning) the environment, recording problems. */
class Reader {
  constructor(
    private readonly file: Record<string, unknown>,
    private readonly env: Record<string, string | undefined>,
    private readonly problems: string[],
  ) {}

  obj(key: string): Record<string, unknown> {
    const v = this.file[key];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.problems.push(`${key}: must be a mapping`);
      return {};
    }
    return v as Record<string, unknown>;
  }

  str(name: string, fileValue: unknown, envName?: string): string | undefined {
    const e = envName === undefined ? undefined : this.env[envName];
    if (e !== undefined && e !== '') return e;
    if (fileValue === undefined || fileValue === null) return undefined;
    if (typeof fileValue !== 'string' || fileValue === '') {
      this.problems.push(`${name}: must be a non-empty string`);
      return undefined;
    }
    return fileValue;
  }

  int(name: string, fileValue: unknown, envName: string, min: number, max: number): number | undefined {
    const e = this.env[envName];
    const fromEnv = e !== undefined && e !== '';
    const v: unknown = fromEnv ? (/^-?[0-9]+$/.test(e!) ? Number(e) : e) : fileValue;
    if (v === undefined || v === null) return undefined;
    const where = fromEnv ? `${name} (${envName})` : name;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.problems.push(`${where}: must be an integer`);
      return undefined;
    }
    if (v < min || v > max) {
      this.problems.push(`${where}: must be between ${min} and ${max}`);
      return undefined;
    }
    return v;
  }

  bigint(name: string, fileValue: unknown, envName: string): bigint | undefined {
    const e = this.env[envName];
    const v: unknown = e !== undefined && e !== '' ? e : fileValue;
    if (v === undefined || v === null) return undefined;
    if ((typeof v === 'string' && /^[0-9]+$/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v))) return BigInt(v);
    this.problems.push(`${name}: must be a positive decimal integer`);
    return undefined;
  }
}

function readKey(raw: unknown, env: Record<string, string | undefined>, problems: string[]): KeyConfig {
  const password = env.SIGNET_TLOG_KEY_PASSWORD;
  if (env.SIGNET_TLOG_KEY_FILE) {
    return { kind: 'file', path: env.SIGNET_TLOG_KEY_FILE, ...(password !== undefined && { password }) };
  }
  if (raw === undefined || raw === null) return DEFAULT_LOG_KEY;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('logKey: must be a mapping with a kind (ephemeral, file or pkcs11)');
    return DEFAULT_LOG_KEY;
  }
  const k = raw as Record<string, unknown>;
  const algorithm = k.algorithm as SignatureAlgorithm | undefined;
  if (algorithm !== undefined && !ALGORITHMS.includes(algorithm)) problems.push(`logKey.algorithm: must be one of ${ALGORITHMS.join(', ')}`);
  const need = (field: string) => {
    if (typeof k[field] !== 'string' || k[field] === '') problems.push(`logKey.${field}: required for kind ${String(k.kind)}`);
  };
  switch (k.kind) {
    case 'ephemeral':
      return { kind: 'ephemeral', algorithm: algorithm ?? 'ecdsa-p256-sha256' };
    case 'file':
      need('path');
      return { ...(k as object), ...(password !== undefined && { password }) } as KeyConfig;
    case 'pkcs11':
      need('module');
      need('pin');
      return k as unknown as KeyConfig;
    default:
      problems.push(`logKey.kind: must be ephemeral, file or pkcs11 (got ${JSON.stringify(k.kind)})`);
      return DEFAULT_LOG_KEY;
  }
}
