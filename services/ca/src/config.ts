// Config of the CA service: the documented shape, its defaults, and loadConfig (file + env overrides).
import { parse as parseYaml } from 'yaml';
import { CaError } from './errors.js';
import { parseIssuerConfig } from './identity/config.js';

/** Where the CA's signing key lives, and the certificate chain that goes with it. */
export type CaKeyBackend =
  /** A P-384 root and intermediate made in memory at start (like Fulcio's ephemeralca): dev and tests. */
  | { kind: 'ephemeral' }
  /**
   * A PKCS#8 PEM key (encrypted when `password` is set) and its chain PEM file: the issuing CA
   * certificate first, then any intermediates, the root last. Validated at start.
   */
  | { kind: 'file'; keyPath: string; password?: string; chainPath: string }
  /** A key inside an HSM reached through the PKCS#11 `module`, plus its chain PEM file (as for `file`). */
  | {
      kind: 'pkcs11';
      module: string;
      pin: string;
      tokenLabel?: string;
      slot?: number;
      keyLabel?: string;
      keyId?: string;
      chainPath: string;
    };

/** The Fulcio-format OIDC issuer configuration (YAML or JSON text), given inline or as a file. */
export type IssuerConfigSource = { source: 'inline'; text: string } | { source: 'file'; path: string };

/** The CT log the CA submits precertificates to; absent → detached mode with an empty SCT. */
export interface CtLogConfig {
  /** Base URL of an RFC 6962 log; the CA POSTs to `{url}/ct/v1/add-pre-chain`. */
  url: string;
  /** The log's public key (PEM SPKI): when set, every SCT's log ID and signature are checked. */
  publicKeyPem?: string;
  /** A file holding that key instead (read at start). */
  publicKeyPath?: string;
  /** Per-submission timeout in milliseconds. */
  timeoutMs: number;
}

/** Every setting of the CA service. Fields map 1:1 to the config file keys (camelCase). */
export interface Config {
  /** Interface to listen on. Env SIGNET_CA_HOST. */
  host: string;
  /** TCP port (0 = any free port). Env SIGNET_CA_PORT. */
  port: number;
  /**
   * HTTP worker processes (node:cluster); 1 = no cluster. The CA is stateless, so every worker
   * signs. With the ephemeral backend the primary makes the CA and hands its key to the workers
   * over the cluster IPC channel (never through disk or the environment). Env SIGNET_CA_WORKERS.
   */
  workers: number;
  /** pino level: fatal, error, warn, info, debug, trace, silent. Env SIGNET_CA_LOG_LEVEL. */
  logLevel: string;
  /** OIDC issuers (Fulcio `oidc-issuers`/`meta-issuers` format). Env SIGNET_CA_ISSUERS_FILE. */
  issuers: IssuerConfigSource;
  /** CA key backend. Env SIGNET_CA_KEY (kind) and the SIGNET_CA_KEY_* / SIGNET_CA_PKCS11_* variables. */
  key: CaKeyBackend;
  /** Lifetime of issued certificates in seconds (Fulcio: 600). Env SIGNET_CA_VALIDITY_SECONDS. */
  validitySeconds: number;
  /** CT log for embedded SCTs, or null for detached mode. Env SIGNET_CA_CT_URL ('' = none), SIGNET_CA_CT_PUBLIC_KEY_FILE. */
  ct: CtLogConfig | null;
  /** Development switches; all off in production. */
  dev: {
    /** Accept `http://` OIDC issuers (the loopback dev issuer). Env SIGNET_CA_DEV_ALLOW_HTTP_ISSUERS=1. */
    allowHttpIssuers: boolean;
  };
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5555;
export const DEFAULT_WORKERS = 1;
export const DEFAULT_LOG_LEVEL = 'info';
export const DEFAULT_VALIDITY_SECONDS = 600;
export const DEFAULT_CT_TIMEOUT_MS = 30_000;
/** The longest lifetime the CA accepts: a day (Sigstore certificates are meant to be short-lived). */
export const MAX_VALIDITY_SECONDS = 86_400;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;
type Obj = Record<string, unknown>;

/**
 * Builds the Config from an optional config file text (YAML or JSON) overlaid by environment
 * variables (`SIGNET_CA_*`, which win). Pure: paths named in the config are read at start, not here.
 * Throws `CaError('BAD_CONFIG')` listing EVERY problem found, one per line.
 */
export function loadConfig(env: Env, fileText?: string): Config {
  const problems: string[] = [];
  let file: Obj = {};
  if (fileText !== undefined && fileText.trim() !== '') {
    try {
      const parsed: unknown = parseYaml(fileText); // YAML is a superset of JSON
      if (isObj(parsed)) file = parsed;
      else problems.push('config file: the top level must be a mapping');
    } catch (err) {
      problems.push(`config file: not valid YAML/JSON (${(err as Error).message.split('\n')[0]})`);
    }
  }
  const r = new Reader(problems);
  const host = r.str(env.SIGNET_CA_HOST ?? file.host, 'host', DEFAULT_HOST);
  const port = r.int(env.SIGNET_CA_PORT ?? file.port, 'port', DEFAULT_PORT, 0, 65535);
  const workers = r.int(env.SIGNET_CA_WORKERS ?? file.workers, 'workers', DEFAULT_WORKERS, 1, 64);
  const logLevel = r.str(env.SIGNET_CA_LOG_LEVEL ?? file.logLevel, 'logLevel', DEFAULT_LOG_LEVEL);
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`logLevel: must be one of ${LOG_LEVELS.join(', ')}`);
  const validitySeconds = r.int(
    env.SIGNET_CA_VALIDITY_SECONDS ?? file.validitySeconds,
    'validitySeconds',
    DEFAULT_VALIDITY_SECONDS,
    1,
    MAX_VALIDITY_SECONDS,
  );
  const issuers = readIssuers(env, file, r);
  const key = readKey(env, isObj(file.key) ? file.key : file.key === undefined ? {} : undefined, r);
  const ct = readCt(env, file.ct, r);
  const dev = isObj(file.dev) ? file.dev : {};
  if (file.dev !== undefined && !isObj(file.dev)) problems.push('dev: must be a mapping');
  const allowHttpIssuers = r.bool(env.SIGNET_CA_DEV_ALLOW_HTTP_ISSUERS ?? dev.allowHttpIssuers, 'dev.allowHttpIssuers', false);
  if (problems.length > 0) {
    throw new CaError('BAD_CONFIG', `invalid CA configuration:\n- ${problems.join('\n- ')}`);
  }
  return { host, port, workers, logLevel, issuers: issuers!, key: key!, validitySeconds, ct, dev: { allowHttpIssuers } };
}

function readIssuers(env: Env, file: Obj, r: Reader): IssuerConfigSource | undefined {
  const path = env.SIGNET_CA_ISSUERS_FILE ?? file.issuersFile;
  if (path !== undefined) return { source: 'file', path: r.str(path, 'issuersFile', '') };
  const inline = file.issuers;
  const text = typeof inline === 'string' && inline.trim() !== '' ? inline : isObj(inline) ? JSON.stringify(inline) : undefined;
  if (text !== undefined) {
    try {
      parseIssuerConfig(text); // validated now so that its problems are reported with the others
    } catch (err) {
      r.problems.push(`issuers: ${(err as Error).message}`);
    }
    return { source: 'inline', text };
  }
  r.problems.push('issuers: no OIDC issuers configured (set "issuers" inline, "issuersFile", or SIGNET_CA_ISSUERS_FILE)');
  return undefined;
}

function readKey(env: Env, file: Obj | undefined, r: Reader): CaKeyBackend | undefined {
  if (file === undefined) {
    r.problems.push('key: must be a mapping with a "kind"');
    return undefined;
  }
  const kind = (env.SIGNET_CA_KEY ?? file.kind ?? 'ephemeral') as CaKeyBackend['kind'];
  const chainPath = () => r.str(env.SIGNET_CA_CHAIN_FILE ?? file.chainPath, 'key.chainPath', '', true);
  switch (kind) {
    case 'ephemeral':
      return { kind };
    case 'file': {
      const password = env.SIGNET_CA_KEY_PASSWORD ?? file.password;
      return {
        kind,
        keyPath: r.str(env.SIGNET_CA_KEY_FILE ?? file.keyPath, 'key.keyPath', '', true),
        chainPath: chainPath(),
        ...(password !== undefined ? { password: r.str(password, 'key.password', '') } : {}),
      };
    }
    case 'pkcs11': {
      const out: Extract<CaKeyBackend, { kind: 'pkcs11' }> = {
        kind,
        module: r.str(env.SIGNET_CA_PKCS11_MODULE ?? file.module, 'key.module', '', true),
        pin: r.str(env.SIGNET_CA_PKCS11_PIN ?? file.pin, 'key.pin', '', true),
        chainPath: chainPath(),
      };
      const tokenLabel = env.SIGNET_CA_PKCS11_TOKEN_LABEL ?? file.tokenLabel;
      const keyLabel = env.SIGNET_CA_PKCS11_KEY_LABEL ?? file.keyLabel;
      const keyId = env.SIGNET_CA_PKCS11_KEY_ID ?? file.keyId;
      const slot = env.SIGNET_CA_PKCS11_SLOT ?? file.slot;
      if (tokenLabel !== undefined) out.tokenLabel = r.str(tokenLabel, 'key.tokenLabel', '');
      if (keyLabel !== undefined) out.keyLabel = r.str(keyLabel, 'key.keyLabel', '');
      if (keyId !== undefined) out.keyId = r.str(keyId, 'key.keyId', '');
      if (slot !== undefined) out.slot = r.int(slot, 'key.slot', 0, 0, 2 ** 32 - 1);
      if (keyLabel === undefined && keyId === undefined) r.problems.push('key: pkcs11 needs "keyLabel" or "keyId"');
      return out;
    }
    default:
      r.problems.push(`key.kind: must be "ephemeral", "file" or "pkcs11", got ${JSON.stringify(kind)}`);
      return undefined;
  }
}

function readCt(env: Env, file: unknown, r: Reader): CtLogConfig | null {
  const f: Obj = isObj(file) ? file : {};
  if (file !== undefined && file !== null && !isObj(file)) r.problems.push('ct: must be a mapping or null');
  const url = env.SIGNET_CA_CT_URL ?? f.url;
  if (url === undefined || url === '' || url === 'none') return null;
  const u = r.str(url, 'ct.url', '');
  if (!/^https?:\/\/[^/]/.test(u)) r.problems.push(`ct.url: must be an http(s) URL, got ${JSON.stringify(u)}`);
  const keyPath = env.SIGNET_CA_CT_PUBLIC_KEY_FILE ?? f.publicKeyPath;
  const keyPem = f.publicKey;
  if (keyPem !== undefined && keyPath !== undefined) r.problems.push('ct: set "publicKey" or "publicKeyPath", not both');
  if (keyPem !== undefined && !/-----BEGIN PUBLIC KEY-----/.test(String(keyPem))) {
    r.problems.push('ct.publicKey: must be a PEM "PUBLIC KEY" block');
  }
  return {
    url: u.replace(/\/+$/, ''),
    timeoutMs: r.int(f.timeoutMs, 'ct.timeoutMs', DEFAULT_CT_TIMEOUT_MS, 1, 600_000),
    ...(keyPem !== undefined ? { publicKeyPem: String(keyPem) } : {}),
    ...(keyPath !== undefined ? { publicKeyPath: r.str(keyPath, 'ct.publicKeyPath', '') } : {}),
  };
}

/** Typed field readers that record a problem instead of throwing, so every problem is reported. */
class Reader {
  constructor(readonly problems: string[]) {}

  str(v: unknown, name: string, dflt: string, required = false): string {
    if (v === undefined || v === null) {
      if (required) this.problems.push(`${name}: required`);
      return dflt;
    }
    if (typeof v !== 'string' || (required && v === '')) {
      this.problems.push(`${name}: must be a non-empty string`);
      return dflt;
    }
    return v;
  }

  int(v: unknown, name: string, dflt: number, min: number, max: number): number {
    if (v === undefined || v === null || v === '') return dflt;
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}: must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
      return dflt;
    }
    return n;
  }

  bool(v: unknown, name: string, dflt: boolean): boolean {
    if (v === undefined || v === null || v === '') return dflt;
    if (v === true || v === 'true' || v === '1') return true;
    if (v === false || v === 'false' || v === '0') return false;
    this.problems.push(`${name}: must be true or false, got ${JSON.stringify(v)}`);
    return dflt;
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
