// startCa: config → key backend + chain → issuer pool → CT client → CA → app → listen.
// Used by main.ts (one process or each cluster worker) and by the stack launcher.
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { nativeEcdsaStatus, pemEncode } from '@signet/pki';
import { buildApp } from './app.js';
import { type Authority, type EphemeralCaMaterial, authorityFromEphemeral, openAuthority } from './authority.js';
import { createCa } from './ca.js';
import type { Config, CtLogConfig } from './config.js';
import { type CtClient, createHttpCtClient } from './ct/ct-client.js';
import { CaError } from './errors.js';
import { parseIssuerConfig } from './identity/config.js';
import { createIssuerPool } from './identity/issuer-pool.js';

/** A running CA. */
export interface RunningCa {
  /** Base URL, e.g. http://127.0.0.1:5555 (what clients use as fulcioURL). */
  url: string;
  /** The CA chain as PEM, issuing CA first, root last (for trusted_root.json). */
  chainPem: string[];
  /** Stops accepting requests, drains, and releases the key backend. Idempotent. */
  close(): Promise<void>;
}

/** Options of startCa beyond the Config. */
export interface StartCaOptions {
  /** Where JSON logs go (default stdout); `false` for no logs. */
  logStream?: { write(line: string): void } | false;
  /** An ephemeral CA made elsewhere (the cluster primary); only with `key.kind: 'ephemeral'`. */
  ephemeral?: EphemeralCaMaterial;
  now?: () => Date;
  /** fetch for OIDC discovery/JWKS and CT submissions (default global fetch). */
  fetch?: typeof fetch;
}

/**
 * Starts the CA described by `config` and listens on its host/port. Throws CaError('BAD_CONFIG')
 * for unusable configuration (unreadable files, invalid chain, bad issuer config).
 */
export async function startCa(config: Config, options: StartCaOptions = {}): Promise<RunningCa> {
  const now = options.now ?? (() => new Date());
  const issuerText = config.issuers.source === 'inline' ? config.issuers.text : await readText(config.issuers.path, 'issuer config');
  let log: ((msg: object) => void) | undefined;
  const issuers = createIssuerPool(parseIssuerConfig(issuerText), {
    now,
    allowHttpIssuers: config.dev.allowHttpIssuers,
    log: (msg) => log?.(msg),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
  });
  const ct = config.ct === null ? undefined : await openCtClient(config.ct, options.fetch);
  const authority: Authority =
    options.ephemeral !== undefined && config.key.kind === 'ephemeral'
      ? authorityFromEphemeral(options.ephemeral)
      : await openAuthority(config.key, now());
  let ready = true;
  try {
    const ca = createCa({
      issuer: authority.issuer,
      chainDer: authority.chainDer,
      validitySeconds: config.validitySeconds,
      now,
      ...(ct !== undefined ? { ct } : {}),
    });
    const chainPem = authority.chainDer.map((der) => pemEncode('CERTIFICATE', der));
    const app = await buildApp({
      ca,
      issuers,
      chainPem,
      logger: options.logStream === false ? false : { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
      isReady: () => ready,
    });
    log = (msg) => app.log.info(msg);
    const native = nativeEcdsaStatus();
    if (native.loaded) log({ msg: 'native ECDSA addon loaded (P-384 signing and prehashed verification)' });
    else app.log.warn({ msg: 'native ECDSA addon not loaded: P-384 signing falls back to node:crypto (several times slower)', reason: native.reason });
    await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      chainPem,
      close: () =>
        (closing ??= (async () => {
          ready = false;
          await app.close();
          await authority.close();
        })()),
    };
  } catch (err) {
    await authority.close();
    throw err;
  }
}

async function openCtClient(ct: CtLogConfig, fetchImpl?: typeof fetch): Promise<CtClient> {
  const pem = ct.publicKeyPem ?? (ct.publicKeyPath !== undefined ? await readText(ct.publicKeyPath, 'CT log public key') : undefined);
  let logKey;
  if (pem !== undefined) {
    try {
      logKey = createPublicKey(pem);
    } catch (err) {
      throw new CaError('BAD_CONFIG', 'ct: the CT log public key is not a readable PEM public key', { cause: err });
    }
  }
  return createHttpCtClient({
    url: ct.url,
    timeoutMs: ct.timeoutMs,
    ...(logKey !== undefined ? { logKey } : {}),
    ...(fetchImpl !== undefined ? { fetch: fetchImpl } : {}),
  });
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CaError('BAD_CONFIG', `cannot read the ${what} file ${path}`, { cause: err });
  }
}
