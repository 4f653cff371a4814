import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig as loadCaConfig, startCa, type RunningCa } from '@signet/ca';
import { startDevOidc, type RunningDevOidc } from '@signet/oidc-dev';
import { pemEncode } from '@signet/pki';
import { loadConfig as loadTlogConfig, startTlog, type RunningTlog } from '@signet/tlog';
import { overlay, pgliteDir, StackConfigError, type StackConfig } from './config.js';
import { ensureStackKeys, openStackSigner, readChainDer } from './keys.js';
import { writeTrustMaterial } from './trust-material.js';
import { serveTuf } from './tuf-server.js';

/** What `stack.json` holds: everything a client needs to find and trust this stack. */
export interface StackInfo {
  caUrl: string;
  tlogUrl: string;
  ctlogUrl: string;
  oidcIssuerUrl: string;
  tufUrl: string;
  trustedRootPath: string;
  signingConfigPath: string;
  tufRootPath: string;
}

export interface RunningStack {
  info: StackInfo;
  tlog: RunningTlog;
  ca: RunningCa;
  close(): Promise<void>;
}

/** Every problem of every service section, reported together. */
function collect<T>(problems: string[], section: string, load: () => T): T | undefined {
  try {
    return load();
  } catch (e) {
    problems.push(...String((e as Error).message).split('\n').filter((l) => l.trim() !== '').map((l) => `${section}: ${l.replace(/^- /, '')}`));
    return undefined;
  }
}

/** The Fulcio-format issuer configuration trusting the development issuer (email identities). */
function devIssuerConfig(url: string): Record<string, unknown> {
  return { OIDCIssuers: { [url]: { IssuerURL: url, ClientID: 'sigstore', Type: 'email' } } };
}

/**
 * Starts the whole stack: the development OIDC issuer, the tlog (Rekor-compatible log and CT log),
 * the CA wired to both, the trust material and the TUF mirror; writes `<dataDir>/stack.json`.
 * Keys are made on first start under the data directory and reused after. Throws
 * `StackConfigError` listing every configuration problem of every service.
 */
export async function startStack(config: StackConfig, env: Record<string, string | undefined>, now: () => Date = () => new Date()): Promise<RunningStack> {
  const keys = await ensureStackKeys(config.dataDir, now());
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
  };
  try {
    let oidc: RunningDevOidc | undefined;
    if (config.devOidc) {
      oidc = await startDevOidc({ host: config.host, port: config.ports.oidc, dataDir: join(config.dataDir, 'oidc'), now });
      started.push(oidc);
    }
    const problems: string[] = [];
    const tlogConfig = collect(problems, 'tlog', () =>
      loadTlogConfig(
        env,
        JSON.stringify(
          overlay(
            {
              listen: { host: config.host, port: config.ports.tlog },
              ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: pgliteDir(config.dataDir) }),
              logKey: { kind: 'file', path: keys.tlogKeyPath },
              ct: { key: { kind: 'file', path: keys.ctKeyPath }, rootsFile: keys.caChainPath },
              ...(config.publicUrls.tlog ? { publicUrl: config.publicUrls.tlog } : {}),
            },
            config.sections.tlog,
          ),
        ),
      ),
    );
    if (problems.length > 0 || !tlogConfig) throw new StackConfigError(problems);
    const tlog = await startTlog(tlogConfig, { logger: { level: 'warn' } });
    started.push(tlog);
    const ct = tlog.ct;
    const caConfig = collect(problems, 'ca', () =>
      loadCaConfig(
        env,
        JSON.stringify(
          overlay(
            {
              host: config.host,
              port: config.ports.ca,
              logLevel: 'warn',
              key: { kind: 'file', keyPath: keys.caKeyPath, chainPath: keys.caChainPath },
              ...(oidc ? { issuers: devIssuerConfig(oidc.url), dev: { allowHttpIssuers: true } } : {}),
              ...(ct ? { ct: { url: ct.url, publicKey: pemEncode('PUBLIC KEY', ct.publicKeyDer) } } : {}),
            },
            config.sections.ca,
          ),
        ),
      ),
    );
    if (problems.length > 0 || !caConfig) throw new StackConfigError(problems);
    const ca = await startCa(caConfig);
    started.push(ca);

    // What clients are told: the public URLs when configured, else the bound loopback addresses.
    const publicTlog = config.publicUrls.tlog ?? tlog.url;
    const publicCt = ct ? publicTlog + ct.url.slice(tlog.url.length) : '';
    const publicCa = config.publicUrls.ca ?? ca.url;
    const [tufRootSigner, tufOnlineSigner] = [await openStackSigner(keys.tufRootKeyPath), await openStackSigner(keys.tufOnlineKeyPath)];
    const trust = await writeTrustMaterial({
      dataDir: config.dataDir,
      urls: { ca: publicCa, tlog: publicTlog, ...(oidc ? { oidc: oidc.url } : {}) },
      tlogPublicKeyDer: tlog.publicKeyDer,
      ...(ct ? { ctlog: { url: publicCt, publicKeyDer: ct.publicKeyDer } } : {}),
      caChainDer: await readChainDer(keys.caChainPath),
      tufRootSigner,
      tufOnlineSigner,
      now,
    });
    await tufRootSigner.close();
    const refresh = setInterval(() => void trust.repository.refresh().catch(() => undefined), 3_600_000);
    refresh.unref();
    started.push({ close: async () => clearInterval(refresh) }, { close: () => tufOnlineSigner.close() });
    const tuf = await serveTuf(trust.tufDir, config.host, config.ports.tuf, {
      '/trusted_root.json': trust.trustedRootPath,
      '/signing_config.v0.2.json': trust.signingConfigPath,
    });
    started.push(tuf);

    const info: StackInfo = {
      caUrl: publicCa,
      tlogUrl: publicTlog,
      ctlogUrl: publicCt,
      oidcIssuerUrl: oidc?.url ?? '',
      tufUrl: config.publicUrls.tuf ?? tuf.url,
      trustedRootPath: trust.trustedRootPath,
      signingConfigPath: trust.signingConfigPath,
      tufRootPath: trust.tufRootPath,
    };
    await writeFile(join(config.dataDir, 'stack.json'), `${JSON.stringify(info, null, 2)}\n`);
    return { info, tlog, ca, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
