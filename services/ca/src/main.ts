// Composition root of the CA process: config (file + SIGNET_CA_* env) → startCa → graceful shutdown.
// With `workers: N > 1` the primary forks N node:cluster workers that share the listening socket.
// The CA is stateless, so each worker signs on its own. The file and pkcs11 backends are opened by
// every worker; an ephemeral CA is made ONCE by the primary and its key handed to each worker over
// the cluster IPC channel (never through disk or the environment), so all workers share one chain.
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { type EphemeralCaMaterial, createEphemeralCa } from './authority.js';
import { type Config, loadConfig } from './config.js';
import { type RunningCa, startCa } from './start.js';

const MATERIAL_REQUEST = 'signet-ca:ephemeral-request';
const MATERIAL_REPLY = 'signet-ca:ephemeral-material';

/** Reads the config file named by `--config <path>` or SIGNET_CA_CONFIG, if any. */
function configText(): string | undefined {
  const i = process.argv.indexOf('--config');
  const path = i >= 0 ? process.argv[i + 1] : process.env.SIGNET_CA_CONFIG;
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the config file ${path}: ${(err as Error).message}`);
  }
}

function fail(err: unknown): never {
  process.stderr.write(`signet-ca: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
}

/** One serving process: starts the CA and closes it on SIGTERM/SIGINT. */
async function serve(config: Config, ephemeral?: EphemeralCaMaterial): Promise<void> {
  const running: RunningCa = await startCa(config, ephemeral !== undefined ? { ephemeral } : {});
  const who = cluster.isWorker ? `worker ${process.pid}` : 'signet-ca';
  process.stdout.write(`${who} listening on ${running.url}\n`);
  const stop = () => void running.close().then(() => process.exit(0), fail);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The cluster primary: makes the shared ephemeral CA if needed, forks, re-forks crashed workers. */
async function primary(config: Config): Promise<void> {
  const material = config.key.kind === 'ephemeral' ? await createEphemeralCa(new Date()) : undefined;
  let stopping = false;
  let alive = 0;
  const fork = () => {
    alive++;
    cluster.fork();
  };
  cluster.on('message', (worker, msg: unknown) => {
    if (msg === MATERIAL_REQUEST && material !== undefined) worker.send({ type: MATERIAL_REPLY, material });
  });
  cluster.on('exit', (worker, code, signal) => {
    alive--;
    if (stopping) {
      if (alive === 0) process.exit(0);
      return;
    }
    process.stderr.write(`signet-ca: worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    fork();
  });
  for (let i = 0; i < config.workers; i++) fork();
  process.stdout.write(`signet-ca primary: ${config.workers} workers on ${config.host}:${config.port}\n`);
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** A cluster worker: fetches the primary's ephemeral CA when needed, then serves. */
async function worker(config: Config): Promise<void> {
  if (config.key.kind !== 'ephemeral') return serve(config);
  const material = await new Promise<EphemeralCaMaterial>((resolve) => {
    const onMessage = (msg: { type?: string; material?: EphemeralCaMaterial }) => {
      if (msg?.type === MATERIAL_REPLY && msg.material !== undefined) {
        process.off('message', onMessage);
        resolve(msg.material);
      }
    };
    process.on('message', onMessage);
    process.send!(MATERIAL_REQUEST);
  });
  return serve(config, material);
}

async function main(): Promise<void> {
  const config: Config = loadConfig(process.env, configText());
  if (config.workers <= 1) return serve(config);
  return cluster.isPrimary ? primary(config) : worker(config);
}

main().catch(fail);
