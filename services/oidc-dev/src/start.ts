// Starts the development issuer on a loopback address. Refuses any other host: the issuer mints tokens for
// anyone who asks, so it must never be reachable from another machine.
import { OidcDevError } from './errors.js';
import { buildOidcApp } from './app.js';
import { generateDevKey, loadOrCreateKeys, type DevAlgorithm } from './keys.js';

/** Hosts startDevOidc accepts. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;

/** Options of startDevOidc. */
export interface StartDevOidcOptions {
  /** Must be a loopback address. Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Persist the signing key here so tokens survive restarts; absent = a fresh key per start. */
  dataDir?: string;
  alg?: DevAlgorithm;
  now?: () => Date;
}

/** A running development issuer. */
export interface RunningDevOidc {
  /** The issuer URL, e.g. http://127.0.0.1:43121 (what `iss` carries and what the CA's config must list). */
  url: string;
  close(): Promise<void>;
}

/**
 * Listens and serves the development issuer.
 * @throws OidcDevError NOT_LOOPBACK for a non-loopback host; BAD_KEY_FILE for an unusable persisted key.
 */
export async function startDevOidc(opts: StartDevOidcOptions): Promise<RunningDevOidc> {
  const host = opts.host ?? '127.0.0.1';
  if (!(LOOPBACK_HOSTS as readonly string[]).includes(host)) {
    throw new OidcDevError('NOT_LOOPBACK', `the development OIDC issuer listens on loopback only (${LOOPBACK_HOSTS.join(', ')}), not ${host}`);
  }
  const alg = opts.alg ?? 'ES256';
  const keys = opts.dataDir === undefined ? [generateDevKey(alg)] : await loadOrCreateKeys(opts.dataDir, alg);
  let url = '';
  const app = buildOidcApp({ issuerUrl: () => url, now: opts.now ?? (() => new Date()), keys });
  await app.listen({ host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
  url = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  return { url, close: () => app.close() };
}
