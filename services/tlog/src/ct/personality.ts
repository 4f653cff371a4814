// Opening the CT personality: a second `Log` on the shared store under its own name and key, the
// accepted roots, and the `CtLog` over them. The composition root (main.ts) calls this and
// registers `ctRoutes` (./http/routes.ts) with the returned log.
import { createHash } from 'node:crypto';
import { pemEncode, type Signer } from '@signet/pki';
import type { LogStore } from '@signet/storage';
import { LogError } from '../errors.js';
import { Log, type Timers } from '../log/index.js';
import { CtLog } from './ct-log.js';
import { loadAcceptedRoots } from './submission.js';
import { tlsAlgorithmsOf } from './tls.js';

/** Storage name of the CT log unless configured. */
export const DEFAULT_CT_LOG_NAME = 'ct';
/** URL prefix of the CT log unless configured: the log URL is `<base>/ct`. */
export const DEFAULT_CT_PREFIX = '/ct';

/** Options of `openCtPersonality`. */
export interface CtPersonalityOptions {
  /** The shared store (the caller owns it). */
  store: LogStore;
  /** The CT key, ECDSA P-256 or RSA-SHA256 (the caller owns it). Its SPKI hash is the LogID. */
  signer: Signer;
  /** PEM of the accepted roots (e.g. the CA's chain file; see `loadAcceptedRoots`). */
  rootsPem: string;
  /** Checkpoint origin and note key name: the log URL without scheme, e.g. `ct.example.com/ct`. */
  origin: string;
  /** Storage log name; default DEFAULT_CT_LOG_NAME. Must differ from the Rekor log's. */
  name?: string;
  /** Unix milliseconds, injected. */
  now: () => number;
  maxBatch?: number;
  maxAgeMs?: number;
  pipelineDepth?: number;
  maxPending?: number;
  closeTimeoutMs?: number;
  timers?: Timers;
}

/** An opened CT log. */
export interface CtPersonality {
  log: CtLog;
  engine: Log;
  /** RFC 6962 LogID: SHA-256 of the key's DER SPKI. */
  logId: Uint8Array;
  publicKeyDer: Uint8Array;
  publicKeyPem: string;
  /** Commits queued submissions and stops the engine; does not close the store or the signer. */
  close(): Promise<void>;
}

/**
 * Opens the CT log. Throws `LogError('BAD_CONFIG')` for an unsuitable key, unreadable roots or an
 * origin with spaces, `StorageError('LOG_ID_MISMATCH')` when the stored CT log has another key.
 */
export async function openCtPersonality(opts: CtPersonalityOptions): Promise<CtPersonality> {
  tlsAlgorithmsOf(opts.signer);
  if (opts.origin === '' || /[\s+]/.test(opts.origin)) throw new LogError('BAD_CONFIG', `CT origin ${JSON.stringify(opts.origin)} must be non-empty without spaces or "+"`);
  const roots = loadAcceptedRoots(opts.rootsPem, new Date(opts.now()));
  // The engine calls the CtLog's atSequencing, and the CtLog reads through the engine: the hook
  // is bound once the CtLog exists, before any append can reach the sequencer.
  let log: CtLog | undefined;
  const engine = await Log.open({
    name: opts.name ?? DEFAULT_CT_LOG_NAME,
    store: opts.store,
    signer: opts.signer,
    origin: opts.origin,
    noteKeyName: opts.origin,
    now: opts.now,
    bodyAtSequencing: (e) => log!.atSequencing(e),
    ...(opts.maxBatch !== undefined && { maxBatch: opts.maxBatch }),
    ...(opts.maxAgeMs !== undefined && { maxAgeMs: opts.maxAgeMs }),
    ...(opts.pipelineDepth !== undefined && { pipelineDepth: opts.pipelineDepth }),
    ...(opts.maxPending !== undefined && { maxPending: opts.maxPending }),
    ...(opts.closeTimeoutMs !== undefined && { closeTimeoutMs: opts.closeTimeoutMs }),
    ...(opts.timers !== undefined && { timers: opts.timers }),
  });
  log = new CtLog({ engine, signer: opts.signer, roots, origin: opts.origin, now: opts.now });
  return {
    log,
    engine,
    logId: new Uint8Array(createHash('sha256').update(opts.signer.publicKeyDer).digest()),
    publicKeyDer: opts.signer.publicKeyDer,
    publicKeyPem: pemEncode('PUBLIC KEY', opts.signer.publicKeyDer),
    close: () => engine.close(),
  };
}
