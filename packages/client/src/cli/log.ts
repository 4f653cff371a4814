import { createHash } from 'node:crypto';
import {
  checkLogConsistency,
  ClientError,
  loadTrustedRoot,
  LogClient,
  logKeysOf,
  required,
  verifyLogEntry,
  type FetchedEntry,
} from '../index.js';
import { COMMON_OPTIONS, configFlags, output, SERVICE_OPTIONS, TRUST_OPTIONS, type Command, type Values } from './command.js';
import { EXIT, loadConfig, readInput, stateDirOf, type CliContext } from './context.js';
import { ProgressBar } from './progress.js';

const LOG_OPTIONS = {
  ...COMMON_OPTIONS,
  ...SERVICE_OPTIONS,
  ...TRUST_OPTIONS,
  index: { type: 'string' },
  uuid: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  email: { type: 'string' },
  sha256: { type: 'string' },
  artifact: { type: 'string' },
  'public-key': { type: 'string' },
  operator: { type: 'string', default: 'and' },
} as const;

async function setup(ctx: CliContext, v: Values) {
  const config = await loadConfig(ctx, configFlags(v));
  return { config, client: new LogClient(required(config, 'tlogUrl', 'tlog-url')), stateDir: stateDirOf(ctx, config) };
}

function index(v: Values, name: string): number {
  const raw = v[name];
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new ClientError('USAGE', `--${name} must be a non-negative integer`);
  return Number(raw);
}

async function fetchOne(client: LogClient, v: Values): Promise<FetchedEntry> {
  if (typeof v.uuid === 'string') return client.byUuid(v.uuid);
  if (typeof v.index === 'string') return client.byIndex(index(v, 'index'));
  throw new ClientError('USAGE', 'give --index N or --uuid ID');
}

function describeEntry(e: FetchedEntry): string[] {
  const body = JSON.parse(Buffer.from(e.body, 'base64').toString('utf8')) as { kind?: string; apiVersion?: string };
  return [
    `Entry ${e.entryId}`,
    `  index ${e.logIndex}, integrated ${new Date(e.integratedTime * 1000).toISOString()}, kind ${body.kind} ${body.apiVersion}`,
    `  log ID ${e.logID}`,
  ];
}

async function info(ctx: CliContext, v: Values): Promise<number> {
  const { client } = await setup(ctx, v);
  const i = await client.info();
  output(ctx, v, i, [`Tree size ${i.treeSize}`, `Root hash ${i.rootHash}`, `Tree ID ${i.treeID}`, '', i.signedTreeHead]);
  return EXIT.OK;
}

async function get(ctx: CliContext, v: Values): Promise<number> {
  const { client } = await setup(ctx, v);
  const entry = await fetchOne(client, v);
  output(ctx, v, entry, describeEntry(entry));
  return EXIT.OK;
}

async function search(ctx: CliContext, v: Values): Promise<number> {
  const { client } = await setup(ctx, v);
  let hash = typeof v.sha256 === 'string' ? `sha256:${v.sha256.replace(/^sha256:/, '')}` : undefined;
  if (typeof v.artifact === 'string') hash = `sha256:${createHash('sha256').update(await readInput(v.artifact, 'artifact')).digest('hex')}`;
  const publicKeyPem = typeof v['public-key'] === 'string' ? (await readInput(v['public-key'], 'public key')).toString('utf8') : undefined;
  if (!hash && !v.email && !publicKeyPem) throw new ClientError('USAGE', 'search needs --email, --sha256, --artifact or --public-key');
  if (v.operator !== 'and' && v.operator !== 'or') throw new ClientError('USAGE', '--operator is and or or');
  const ids = await client.search({
    ...(typeof v.email === 'string' ? { email: v.email } : {}),
    ...(hash ? { hash } : {}),
    ...(publicKeyPem ? { publicKeyPem } : {}),
    operator: v.operator,
  });
  output(ctx, v, ids, ids.length === 0 ? ['No entries found'] : ids);
  return EXIT.OK;
}

/**
 * `log verify`: checks the log's consistency with the last checkpoint this client saw, then the
 * entries asked for (one, or a range with a progress bar): SET, inclusion proof, checkpoint.
 */
async function verifyEntries(ctx: CliContext, v: Values): Promise<number> {
  const { config, client, stateDir } = await setup(ctx, v);
  const keys = logKeysOf(await loadTrustedRoot(config, stateDir));
  const logId = (await client.byIndex(0).catch(() => undefined))?.logID ?? keys[0]?.logId.toString('hex');
  if (!logId) throw new ClientError('NO_TRUST', 'the trusted root lists no transparency log');
  const consistency = await checkLogConsistency(client, keys, logId, stateDir);
  const lines = [
    consistency.previous
      ? `Log consistent: checkpoint at ${consistency.previous.size} extends to ${consistency.current.size}`
      : `Log checkpoint at ${consistency.current.size} verified (first seen; remembered for later consistency checks)`,
  ];
  let checked = 0;
  if (typeof v.index === 'string' || typeof v.uuid === 'string') {
    verifyLogEntry(await fetchOne(client, v), keys);
    checked = 1;
  } else if (typeof v.from === 'string' || typeof v.to === 'string') {
    const from = typeof v.from === 'string' ? index(v, 'from') : 0;
    const to = typeof v.to === 'string' ? index(v, 'to') : Number(consistency.current.size) - 1;
    if (to < from) throw new ClientError('USAGE', '--to must not be below --from');
    const bar = new ProgressBar(to - from + 1, 'Verifying entries', ctx.stderr, ctx.interactive);
    for (let start = from; start <= to; start += 10) {
      const batch = Array.from({ length: Math.min(10, to - start + 1) }, (_, i) => start + i);
      const entries = await client.byIndices(batch);
      if (entries.length !== batch.length) throw new ClientError('VERIFICATION_FAILED', `the log is missing entries in ${start}..${batch.at(-1)}`);
      for (const e of entries) verifyLogEntry(e, keys);
      checked += entries.length;
      bar.update(checked);
    }
    bar.done();
  }
  if (checked > 0) lines.push(`Verified ${checked} entr${checked === 1 ? 'y' : 'ies'}: signed entry timestamps, inclusion proofs and checkpoints`);
  output(ctx, v, { consistent: true, treeSize: consistency.current.size.toString(), verifiedEntries: checked }, lines);
  return EXIT.OK;
}

const SUBCOMMANDS: Record<string, (ctx: CliContext, v: Values) => Promise<number>> = { info, get, search, verify: verifyEntries };

export const logCommand: Command = {
  name: 'log',
  summary: 'inspect the transparency log: info | get | search | verify',
  usage: [
    'signet log info',
    'signet log get (--index N | --uuid ID)',
    'signet log search (--email E | --sha256 HEX | --artifact FILE | --public-key PEM) [--operator and|or]',
    'signet log verify [--index N | --uuid ID | --from A --to B]   (always checks consistency with the last checkpoint seen)',
  ].join('\n       '),
  options: LOG_OPTIONS,
  async run(ctx, v, [sub]) {
    const fn = sub ? SUBCOMMANDS[sub] : undefined;
    if (!fn) throw new ClientError('USAGE', `log needs a subcommand: ${Object.keys(SUBCOMMANDS).join(', ')}`);
    return fn(ctx, v);
  },
};
