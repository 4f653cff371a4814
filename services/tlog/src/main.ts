// The tlog composition root: config → store → signer → Log → Rekor personality → app → listen, and
// graceful shutdown on SIGTERM/SIGINT. `startTlog` is also what the stack launcher calls. With
// `workers > 1` the primary forks node:cluster workers that share the port and the database; the
// primary runs the host's one sequencer of the Rekor log and the workers forward their appends to it
// over the cluster channel (docs/design/sequencer.md, "One sequencer per host").
import cluster, { type Worker } from 'node:cluster';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { openSigner, type Signer } from '@signet/pki';
import { openStore, type LogStore } from '@signet/storage';
import { buildApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { LogError } from './errors.js';
import { Log } from './log/index.js';
import { AppendClient, serveAppends, type AppendForwarder, type Channel } from './log/forward.js';
import { defaultTreeId } from './rekor/entry-id.js';
import { RekorLog } from './rekor/rekor-log.js';
import { setAtSequencing } from './rekor/set.js';
import { openCtPersonality, type CtPersonality } from './ct/index.js';

/** A started tlog. */
export interface RunningTlog {
  /** The listening app (its address is `url`). */
  app: ReturnType<typeof buildApp>;
  /** The bound base URL (e.g. `http://127.0.0.1:41234`); `config.publicUrl` is what clients are told. */
  url: string;
  rekor: RekorLog;
  engine: Log;
  /** DER SPKI of the log key (for trusted roots). */
  publicKeyDer: Uint8Array;
  treeId: bigint;
  /** The CT log when configured: its base URL (`url` + prefix) and key. */
  ct?: { url: string; publicKeyDer: Uint8Array; logId: Uint8Array; personality: CtPersonality };
  /** Stops listening, lets in-flight requests and queued appends finish, releases everything. Idempotent. */
  close(): Promise<void>;
}

/** Options of `startTlog` that are not configuration. */
export interface StartOptions {
  /** Unix milliseconds; default Date.now. */
  now?: () => number;
  /** Pino options or false; default JSON lines at `config.logLevel`. */
  logger?: boolean | { level: string };
  /** Forward the Rekor log's appends to the host's sequencing process (a cluster worker: the primary). */
  forwardTo?: AppendForwarder;
}

/** The store, the log key and the Rekor log engine over them, as both kinds of process open them. */
async function openRekorEngine(
  config: Config,
  now: () => number,
  cleanup: (() => Promise<unknown>)[],
  forwardTo?: AppendForwarder,
): Promise<{ store: LogStore; signer: Signer; engine: Log; treeId: bigint }> {
  const store = await openStore({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
  cleanup.unshift(() => store.close());
  const signer = await openSigner(config.logKey);
  cleanup.unshift(() => signer.close());
  const logId = new Uint8Array(createHash('sha256').update(signer.publicKeyDer).digest());
  const treeId = config.treeId ?? defaultTreeId(logId);
  const engine = await Log.open({
    name: config.logName,
    store,
    signer,
    origin: `${config.hostname} - ${treeId}`,
    noteKeyName: config.hostname,
    noteKeyId: logId.slice(0, 4), // Rekor v1: SHA-256(SPKI)[:4] for every key type
    extraAtSequencing: setAtSequencing(signer, logId), // each entry's SET, signed once and stored
    now,
    maxBatch: config.maxBatch,
    maxAgeMs: config.maxAgeMs,
    pipelineDepth: config.pipelineDepth,
    maxPending: config.maxPending,
    closeTimeoutMs: config.shutdownTimeoutMs,
    ...(forwardTo !== undefined && { forwardTo }),
  });
  cleanup.unshift(() => engine.close());
  return { store, signer, engine, treeId };
}

/**
 * Starts one tlog process from `config`. Throws `LogError('BAD_CONFIG')`, `StorageError`
 * (`LOG_ID_MISMATCH` when the database belongs to another key, `DB_ERROR`…) or `PkiError` (key).
 */
export async function startTlog(config: Config, opts: StartOptions = {}): Promise<RunningTlog> {
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const { store, signer, engine, treeId } = await openRekorEngine(config, opts.now ?? Date.now, cleanup, opts.forwardTo);
    // Proofs from memory soon after start instead of one tile read per cold proof (sequencer.md,
    // "Warm-up"); in the background, and best effort: a tile it could not read is read on demand.
    void engine.warmTileCache().catch(() => {});
    const rekor = new RekorLog({ engine, signer, treeId, maxSearchResults: config.maxSearchResults });
    let ct: CtPersonality | undefined;
    if (config.ct) {
      const rootsPem = config.ct.rootsPem ?? readRoots(config.ct.rootsFile!);
      const ctSigner = await openSigner(config.ct.key);
      cleanup.unshift(() => ctSigner.close());
      ct = await openCtPersonality({
        store,
        signer: ctSigner,
        rootsPem,
        origin: config.ct.origin,
        name: config.ct.logName,
        now: opts.now ?? Date.now,
        maxBatch: config.maxBatch,
        maxAgeMs: config.maxAgeMs,
        pipelineDepth: config.pipelineDepth,
        maxPending: config.maxPending,
        closeTimeoutMs: config.shutdownTimeoutMs,
      });
      cleanup.unshift(() => ct!.close());
    }
    let closing = false;
    const app = buildApp({
      rekor,
      engine,
      maxBodyBytes: config.maxBodyBytes,
      logger: opts.logger ?? { level: config.logLevel },
      isClosing: () => closing,
      processMetrics: true,
      ...(ct && config.ct && { ct: { log: ct.log, prefix: config.ct.prefix } }),
    });
    cleanup.unshift(() => app.close());
    await app.listen({ host: config.listen.host, port: config.listen.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : config.listen.port;
    const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
    let closed: Promise<void> | undefined;
    return {
      app,
      url: `http://${host}:${port}`,
      rekor,
      engine,
      publicKeyDer: signer.publicKeyDer,
      treeId,
      ...(ct && config.ct && { ct: { url: `http://${host}:${port}${config.ct.prefix}`, publicKeyDer: ct.publicKeyDer, logId: ct.logId, personality: ct } }),
      close() {
        closing = true;
        closed ??= runAll(cleanup);
        return closed;
      },
    };
  } catch (e) {
    await runAll(cleanup);
    throw e;
  }
}

/** Reads the CT roots file; BAD_CONFIG naming the file when it cannot be read. */
function readRoots(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new LogError('BAD_CONFIG', `cannot read ct.rootsFile ${path}: ${(e as Error).message}`, { problems: [`ct.rootsFile: cannot read ${path}`] });
  }
}

/** Runs every step in order, even when one fails; rethrows the first failure. */
async function runAll(steps: (() => Promise<unknown>)[]): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** Reads the config from the environment (and the YAML file named by SIGNET_TLOG_CONFIG). */
function configFromEnvironment(): Config {
  const path = process.env.SIGNET_TLOG_CONFIG;
  let text: string | undefined;
  if (path) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new LogError('BAD_CONFIG', `cannot read config file ${path}: ${(e as Error).message}`, { problems: [`SIGNET_TLOG_CONFIG: cannot read ${path}`] });
    }
  }
  return loadConfig(process.env, text);
}

/** The cluster primary's part: the host's one sequencer of the Rekor log, fed by the workers. */
export interface SequencerHost {
  engine: Log;
  /** Serves the appends `channel` forwards (one channel per worker). */
  serve(channel: Channel): void;
  /** Commits what is queued (appends still forwarded meanwhile are served), releases everything. */
  close(): Promise<void>;
}

/** Opens the store, the key and the Rekor log engine for a cluster primary. Throws as `startTlog` does. */
export async function startSequencerHost(config: Config, opts: { now?: () => number } = {}): Promise<SequencerHost> {
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const { engine } = await openRekorEngine(config, opts.now ?? Date.now, cleanup);
    let closed: Promise<void> | undefined;
    return {
      engine,
      serve: (channel) => serveAppends(engine, channel),
      close: () => (closed ??= runAll(cleanup)),
    };
  } catch (e) {
    await runAll(cleanup);
    throw e;
  }
}

/** The cluster channel of a worker, as seen from the primary. */
function workerChannel(w: Worker): Channel {
  return {
    send: (m, onError) => void w.send(m as object, (err: Error | null) => err && onError(err)),
    onMessage: (fn) => void w.on('message', fn),
  };
}

/** The cluster channel to the primary, as seen from a worker. */
function primaryChannel(): Channel {
  return {
    send: (m, onError) => void process.send!(m, undefined, {}, (err: Error | null) => err && onError(err)),
    onMessage: (fn) => void process.on('message', fn),
  };
}

/**
 * The cluster primary: opens the sequencer, forks `workers` that forward their appends to it, and on
 * SIGTERM/SIGINT stops the workers first (they finish their requests, whose appends it still
 * serves), then commits what is left and exits. A worker that exits unexpectedly stops the others.
 */
async function runPrimary(config: Config): Promise<void> {
  let host: SequencerHost;
  try {
    host = await startSequencerHost(config);
  } catch (e) {
    process.stderr.write(`tlog failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  // Structured clone on the channel: entry bodies and proofs cross as bytes, indices as bigints.
  cluster.setupPrimary({ serialization: 'advanced' });
  for (let i = 0; i < config.workers; i++) host.serve(workerChannel(cluster.fork()));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 10_000);
    force.unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  cluster.on('exit', (w, code) => {
    if (!stopping) {
      process.stderr.write(`tlog worker ${w.process.pid} exited (${code}); stopping\n`);
      process.exitCode = 1;
      stop();
    } else if (code !== 0) process.exitCode = 1;
    if (Object.keys(cluster.workers ?? {}).length > 0) return;
    host.close().then(
      () => process.exit(),
      (e: unknown) => {
        process.stderr.write(`tlog shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  });
}

/** The process entry point: one server, a cluster primary forking `workers`, or one of those workers. */
async function runMain(): Promise<void> {
  let config: Config;
  try {
    config = configFromEnvironment();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const forwardTo = cluster.isWorker ? new AppendClient(primaryChannel()) : undefined;
  let running: RunningTlog;
  try {
    running = await startTlog(config, { ...(forwardTo && { forwardTo }) });
  } catch (e) {
    process.stderr.write(`tlog failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  running.app.log.info({ url: running.url, publicUrl: config.publicUrl, treeId: String(running.treeId) }, 'tlog listening');
  const shutdown = (signal: string) => {
    running.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`tlog shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // A worker whose primary (and with it the sequencer) is gone answers nothing more: it stops.
  if (forwardTo) {
    process.once('disconnect', () => {
      forwardTo.disconnected();
      shutdown('primary exited');
    });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void runMain();
