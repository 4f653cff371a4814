import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdir, readFile, stat, writeFile, copyFile } from 'node:fs/promises';
import { join, normalize, resolve } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import type { ClientConfig } from './config.js';
import { ClientError } from './errors.js';

/**
 * Trust material for verification: a `trusted_root.json` file, or one fetched and verified through
 * TUF from a mirror — an HTTP(S) URL or, for air-gapped machines, a directory holding a TUF
 * repository (served to the TUF client over loopback for the duration of the update).
 * `signet trust init` remembers the choice in `<stateDir>/trust.json`.
 */

/** What `trust init` records. */
export type TrustSource = { kind: 'file'; path: string } | { kind: 'tuf'; mirror: string; rootPath: string };

const TRUST_FILE = 'trust.json';

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The normalized path a request names; undefined when its percent-encoding is malformed. */
function mirrorPath(url: string | undefined): string | undefined {
  try {
    return normalize(decodeURIComponent(new URL(url ?? '/', 'http://mirror').pathname));
  } catch {
    return undefined; // URIError: thrown from the request listener it would end the process
  }
}

/**
 * Serves `dir` read-only on 127.0.0.1 while `fn` runs (the air-gap mirror). Paths outside `dir`
 * and malformed paths get 404.
 */
export async function withLoopbackMirror<T>(dir: string, fn: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((req, res) => {
    const path = mirrorPath(req.url);
    if (path === undefined || path.includes('..')) return void res.writeHead(404).end();
    readFile(join(dir, path)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  try {
    return await fn(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  } finally {
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}

function cacheDir(stateDir: string, mirror: string): string {
  return join(stateDir, 'tuf', createHash('sha256').update(mirror).digest('hex').slice(0, 16));
}

/**
 * Fetches `trusted_root.json` through TUF (root rotation, expiry, hashes and signatures all checked
 * by @sigstore/tuf). Throws `ClientError('NO_TRUST')` naming the mirror on any failure.
 */
export async function fetchTrustedRootViaTuf(mirror: string, rootPath: string, stateDir: string): Promise<unknown> {
  const fetchFrom = async (url: string) =>
    getTrustedRoot({ mirrorURL: url, rootPath, cachePath: cacheDir(stateDir, mirror), retry: false, timeout: 10_000 });
  try {
    const root = (await isDirectory(mirror)) ? await withLoopbackMirror(resolve(mirror), fetchFrom) : await fetchFrom(mirror.replace(/\/+$/, ''));
    return TrustedRoot.toJSON(root);
  } catch (cause) {
    const detail = (cause as { cause?: Error }).cause?.message ?? (cause as Error).message;
    throw new ClientError('NO_TRUST', `could not update trust from the TUF mirror ${mirror}: ${detail}`, { cause });
  }
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ClientError('NO_TRUST', `cannot read ${what} ${path}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ClientError('NO_TRUST', `${what} ${path} is not JSON`, { cause });
  }
}

/** The remembered trust source, if `trust init` ran. */
export async function readTrustSource(stateDir: string): Promise<TrustSource | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, TRUST_FILE), 'utf8')) as TrustSource;
  } catch {
    return undefined;
  }
}

/**
 * The trusted root to verify with: `trustedRootPath`, else TUF from `tufMirrorUrl` + `tufRootPath`,
 * else what `trust init` recorded. Throws `ClientError('NO_TRUST')` naming how to configure one.
 */
export async function loadTrustedRoot(config: ClientConfig, stateDir: string): Promise<unknown> {
  if (config.trustedRootPath) return readJsonFile(config.trustedRootPath, 'trusted root');
  if (config.tufMirrorUrl && config.tufRootPath) return fetchTrustedRootViaTuf(config.tufMirrorUrl, config.tufRootPath, stateDir);
  const source = await readTrustSource(stateDir);
  if (source?.kind === 'file') return readJsonFile(source.path, 'trusted root');
  if (source?.kind === 'tuf') return fetchTrustedRootViaTuf(source.mirror, source.rootPath, stateDir);
  throw new ClientError(
    'NO_TRUST',
    'no trusted root: pass --trusted-root FILE, set SIGNET_TUF_MIRROR and SIGNET_TUF_ROOT, or run `signet trust init`',
  );
}

/**
 * `signet trust init`: checks the source works (a TUF update, or a parseable trusted root), keeps a
 * copy of the initial root / trusted root in the state directory and records the choice.
 */
export async function trustInit(source: TrustSource, stateDir: string): Promise<unknown> {
  await mkdir(stateDir, { recursive: true });
  let recorded: TrustSource;
  let root: unknown;
  if (source.kind === 'file') {
    root = await readJsonFile(source.path, 'trusted root');
    trustedRootOrThrow(root);
    recorded = { kind: 'file', path: join(stateDir, 'trusted_root.json') };
    await writeFile(recorded.path, `${JSON.stringify(root, null, 2)}\n`);
  } else {
    const seed = join(stateDir, 'tuf-root.json');
    await copyFile(source.rootPath, seed).catch((cause: unknown) => {
      throw new ClientError('NO_TRUST', `cannot read the TUF root ${source.rootPath}`, { cause });
    });
    const mirror = (await isDirectory(source.mirror)) ? resolve(source.mirror) : source.mirror;
    root = await fetchTrustedRootViaTuf(mirror, seed, stateDir);
    recorded = { kind: 'tuf', mirror, rootPath: seed };
  }
  await writeFile(join(stateDir, TRUST_FILE), `${JSON.stringify(recorded, null, 2)}\n`);
  return root;
}

function trustedRootOrThrow(json: unknown): TrustedRoot {
  try {
    return TrustedRoot.fromJSON(json);
  } catch (cause) {
    throw new ClientError('NO_TRUST', 'not a protobuf-JSON TrustedRoot', { cause });
  }
}

/** A human summary of a trusted root: one line per CA, log and CT log, with IDs and validity. */
export function describeTrustedRoot(json: unknown): string[] {
  const root = trustedRootOrThrow(json);
  const window = (v?: { start?: Date; end?: Date }) => `valid ${v?.start?.toISOString() ?? '-∞'} → ${v?.end?.toISOString() ?? '∞'}`;
  const hex = (b?: Uint8Array) => Buffer.from(b ?? []).toString('hex');
  return [
    ...root.certificateAuthorities.map((ca) => `CA      ${ca.uri} (${ca.certChain?.certificates.length ?? 0} certificates, ${window(ca.validFor)})`),
    ...root.tlogs.map((l) => `tlog    ${l.baseUrl} logID ${hex(l.logId?.keyId)} (${window(l.publicKey?.validFor)})`),
    ...root.ctlogs.map((l) => `ctlog   ${l.baseUrl} logID ${hex(l.logId?.keyId)} (${window(l.publicKey?.validFor)})`),
    ...root.timestampAuthorities.map((t) => `tsa     ${t.uri} (${window(t.validFor)})`),
  ];
}
