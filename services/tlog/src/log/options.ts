// The log engine's options, their defaults, and the timer interface tests inject.
import type { Signer } from '@signet/pki';
import type { LogStore } from '@signet/storage';
import type { BodyAtSequencing, ExtraAtSequencing } from './sequencer.js';
import type { AppendForwarder } from './forward.js';

/**
 * Most entries sequenced, signed and committed as one batch (one checkpoint signature, one
 * transaction). 256 fills exactly one level-0 tile; Tessera's default too.
 */
export const DEFAULT_MAX_BATCH = 256;
/**
 * Longest an entry that arrived while a batch was in flight waits for more company before its batch
 * is cut (entries reaching an idle sequencer go at once). Small, because every append waits for its
 * batch: at 64 closed-loop clients a pg commit already takes longer, so this rarely adds latency.
 */
export const DEFAULT_MAX_AGE_MS = 5;
/** Appends outstanding (queued or in flight) beyond which `append` answers PUSHBACK (Tessera: 4,096). */
export const DEFAULT_MAX_PENDING = 4096;
/**
 * How many times a batch is tried when it keeps losing the head compare-and-swap to another process
 * appending to the same log (then STORAGE_FAILURE). See docs/design/sequencer.md, "Two processes".
 */
export const DEFAULT_MAX_COMMIT_ATTEMPTS = 100;
/**
 * Batches in flight at once: with 2 or more, the next batch is prepared (duplicate query, SETs,
 * checkpoint) and its commit sent while the previous one's commit is still running. 1 = one batch at
 * a time: on a 2-core host with PostgreSQL on loopback, pipelining measured no faster (the batch
 * cycle waits for CPU, not for round trips); it is for a database whose round trip is long next to
 * its work. See docs/design/sequencer.md, "Pipelining".
 */
export const DEFAULT_PIPELINE_DEPTH = 1;
/** Largest accepted `pipelineDepth`. */
export const MAX_PIPELINE_DEPTH = 8;
/** How long a head read from the store is served to readers before it is read again. */
export const DEFAULT_HEAD_TTL_MS = 1000;
/** How long `close()` waits for queued appends to be committed before rejecting the rest. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/** `retryAfterSeconds` suggested with PUSHBACK. */
export const PUSHBACK_RETRY_AFTER_SECONDS = 1;
/** Largest entry body: C2SP entry bundles prefix each entry with a uint16 length. */
export const MAX_BODY_BYTES = 65_535;
/** Most entries one `entries({from, count})` call may ask for. */
export const MAX_ENTRIES_PER_READ = 1024;

/** Timers the sequencer uses for batch ages and the close deadline; tests inject a fake clock. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's own timers. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** How to open a `Log`. */
export interface LogOptions {
  /** Storage log name, e.g. 'rekor' or 'ct'. */
  name: string;
  /** Where the log lives; the caller owns it (`Log.close` does not close it). */
  store: LogStore;
  /** Signs checkpoints; its SPKI's SHA-256 is the log ID. The caller owns it. */
  signer: Signer;
  /** Checkpoint origin line (Rekor v1: `<host> - <treeID>`). */
  origin: string;
  /** Signed-note key name (Rekor v1: the hostname). No spaces or '+'. */
  noteKeyName: string;
  /**
   * 4-byte signed-note key hint. Default: for Ed25519 the C2SP ID SHA-256(name || 0x0A || 0x01 ||
   * key)[:4]; otherwise SHA-256(SPKI)[:4] (= Rekor's logID[:4]).
   */
  noteKeyId?: Uint8Array;
  /** Unix milliseconds, injected. */
  now: () => number;
  /** See DEFAULT_MAX_BATCH. */
  maxBatch?: number;
  /** See DEFAULT_MAX_AGE_MS. */
  maxAgeMs?: number;
  /** See DEFAULT_MAX_PENDING. */
  maxPending?: number;
  /** See DEFAULT_MAX_COMMIT_ATTEMPTS. */
  maxCommitAttempts?: number;
  /** See DEFAULT_PIPELINE_DEPTH. */
  pipelineDepth?: number;
  /** See DEFAULT_HEAD_TTL_MS. */
  headTtlMs?: number;
  /** See DEFAULT_CLOSE_TIMEOUT_MS. */
  closeTimeoutMs?: number;
  /**
   * Computes each entry's stored `extra` once the sequencer has placed it (index, integration time),
   * before the commit: the Rekor log stores the entry's SET this way. Only the process that
   * sequences calls it. Default: the append's `extra` is stored as given.
   */
  extraAtSequencing?: ExtraAtSequencing;
  /**
   * Makes each entry's stored body and `extra` from the appended ones once the sequencer has placed
   * it (index, integration time), before the commit; see `BodyAtSequencing`. The CT log writes each
   * leaf's own index into it this way. Only the process that sequences calls it (a log with
   * `forwardTo` never does). Not together with `extraAtSequencing`. Default: stored as appended.
   */
  bodyAtSequencing?: BodyAtSequencing;
  /** Bound of the tile cache in bytes; see DEFAULT_TILE_CACHE_BYTES. */
  tileCacheBytes?: number;
  /** Default: Node's timers. */
  timers?: Timers;
  /**
   * Send appends here instead of sequencing them in this process: a node:cluster worker forwards to
   * the primary, which runs the host's one sequencer for the log (docs/design/sequencer.md). Reads,
   * proofs and tiles are still served by this `Log`; pushback is decided by the sequencing side.
   */
  forwardTo?: AppendForwarder;
}
