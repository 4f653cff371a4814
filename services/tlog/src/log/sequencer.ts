// The batch pool: gathers appends, sequences one batch at a time, commits it by compare-and-swap.
import { appendLeaves, hashLeaf } from '@signet/merkle';
import { type LogHead, type LogStore, type NewEntry, StorageError, type Tile } from '@signet/storage';
import { LogError } from '../errors.js';
import type { CheckpointSigner } from './checkpoint-signer.js';
import type { Timers } from './options.js';
import { type EdgeState, loadEdgeState, nextEdgeState, tilesAround } from './edge-state.js';
import { type TileOverlay, type TreeAccess, storageFailure, tileKey } from './tree-access.js';

/** What `Log.append` resolves with: the entry's place in the log and a proof against a signed head. */
export interface Appended {
  index: bigint;
  leafHash: Uint8Array;
  /** Unix milliseconds at which the entry's batch was sequenced. */
  integratedTime: number;
  treeSize: bigint;
  rootHash: Uint8Array;
  /** Inclusion proof of `index` in the tree of `treeSize`, leaf to root. */
  proof: Uint8Array[];
  /** Signed note (C2SP checkpoint) for exactly `treeSize` and `rootHash`. */
  checkpoint: string;
  /** The `extra` stored with the entry: the append's, or what `extraAtSequencing` made of it. */
  extra: Uint8Array | null;
}

/** An entry placed by the sequencer, before its batch is committed. */
export interface PlacedEntry {
  index: bigint;
  /** Unix milliseconds, as stored. */
  integratedTime: number;
  leafHash: Uint8Array;
  body: Uint8Array;
  /** The `extra` the append gave. */
  extra: Uint8Array | null;
}

/**
 * `LogOptions.extraAtSequencing`: the `extra` to store with an entry, computed once its index and
 * integration time are fixed and before its batch is committed (again on every commit attempt: a
 * retry may move the index). A rejection fails the whole batch, uncommitted.
 */
export type ExtraAtSequencing = (entry: PlacedEntry) => Promise<Uint8Array | null>;

/**
 * `LogOptions.bodyAtSequencing`: the entry as stored (`body` and `extra`), made from the appended
 * one (a template) once its index and integration time are fixed and before its batch is committed
 * (again on every commit attempt: a retry may move the index). The leaf hash is the returned
 * body's, so such a log does not look appends up by leaf hash before placing them: a body that
 * holds its own index is new by construction. The CT log writes static-ct-api's `leaf_index`
 * extension and signs the SCT this way. A rejection fails the whole batch, uncommitted.
 */
export type BodyAtSequencing = (entry: PlacedEntry) => Promise<{ body: Uint8Array; extra: Uint8Array | null }>;

/** One append waiting for its batch. */
export interface Waiter {
  body: Uint8Array;
  leafHash: Uint8Array;
  key: string;
  searchKeys: string[];
  extra: Uint8Array | null;
  arrivedAt: number;
  /**
   * Arrived at an idle sequencer (nothing in flight, or the batch in flight already being answered):
   * its batch is cut on the next turn of the event loop.
   */
  idle: boolean;
  settled: boolean;
  /** Part of the batch in flight. */
  batched: boolean;
  resolve: (a: Appended) => void;
  reject: (e: Error) => void;
  /** Appends of the same leaf in the same batch: they get ENTRY_EXISTS once this one is decided. */
  followers: Waiter[];
}

/** The sequencer's dependencies and limits (resolved LogOptions). */
export interface SequencerConfig {
  name: string;
  store: LogStore;
  access: TreeAccess;
  checkpoints: CheckpointSigner;
  now: () => number;
  timers: Timers;
  maxBatch: number;
  maxAgeMs: number;
  maxCommitAttempts: number;
  /** See `ExtraAtSequencing`; absent: the append's `extra` is stored as given. */
  extraAtSequencing?: ExtraAtSequencing | undefined;
  /** See `BodyAtSequencing`; absent: the append's body is stored as given. */
  bodyAtSequencing?: BodyAtSequencing | undefined;
  /** Called with every head this process commits. */
  onCommit: (head: LogHead) => void;
}

/** How long a lost CAS (or a foreign commit seen) keeps the sequencer in its yielding mode. */
const CONTENTION_MEMORY_MS = 2000;
/** Upper bound of the random wait after a lost compare-and-swap, in ms. */
const MAX_BACKOFF_MS = 8;

export const entryExists = (index: bigint): LogError =>
  new LogError('ENTRY_EXISTS', `an equivalent entry already exists in the log at index ${index}`, { index });

/**
 * One batch in flight at a time. A batch is cut when the sequencer is free and either it holds
 * `maxBatch` appends, or its oldest append reached an idle sequencer (cut on the next event-loop
 * turn: low latency at low load), or its oldest append has waited `maxAgeMs`. See
 * docs/design/sequencer.md for the commit protocol and why it never forks the log.
 */
export class Sequencer {
  private queue: Waiter[] = [];
  private busy = false;
  /** Every append of the batch in flight has its answer: appends arriving now did not wait behind it. */
  private answering = false;
  private unansweredInFlight = 0;
  private state: EdgeState | undefined;
  private timer: unknown;
  private immediate: NodeJS.Immediate | undefined;
  private flushAll = false;
  /** The last committed state this process knew, kept after `state` is dropped (reload hints). */
  private lastKnown: EdgeState | undefined;
  /** Until when this log counts as shared with another writer (it lost a CAS or saw foreign commits). */
  private contendedUntil = 0;
  /** While contended: no new batch before this time, so the other writer's retry can get through. */
  private notBefore = 0;
  /** The head of our last commit whose outcome is unknown: if it landed, it is not a foreign commit. */
  private unknownOutcome: LogHead | undefined;
  private drained: Array<() => void> = [];
  /** Appends accepted and not yet settled (queued or in the batch in flight). */
  outstanding = 0;

  constructor(private readonly cfg: SequencerConfig) {}

  /** Queues `w`; the caller has checked pushback and shutdown. */
  enqueue(w: Waiter): void {
    w.idle = !this.busy || this.answering;
    this.queue.push(w);
    this.outstanding++;
    this.schedule();
  }

  /** From now on cut batches without waiting for age; resolves once nothing is queued or in flight. */
  drain(): Promise<void> {
    this.flushAll = true;
    this.schedule();
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** Rejects everything queued or in flight (its outcome will be ignored) with `err`. */
  abandon(err: LogError): void {
    for (const w of this.queue.splice(0)) this.fail(w, err);
    this.inFlight?.forEach((w) => this.fail(w, err));
    this.clearTimers();
  }

  private inFlight: Waiter[] | undefined;

  private schedule(): void {
    if (this.busy || this.queue.length === 0) return;
    const first = this.queue[0]!;
    const hold = this.flushAll ? 0 : this.notBefore - this.cfg.now();
    if (hold > 0) {
      this.timer ??= this.cfg.timers.setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, hold);
      return;
    }
    if (this.flushAll || this.queue.length >= this.cfg.maxBatch) return this.start();
    if (first.idle) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        if (!this.busy && this.queue.length > 0) this.start();
      });
      return;
    }
    const wait = first.arrivedAt + this.cfg.maxAgeMs - this.cfg.now();
    if (wait <= 0) return this.start();
    this.timer ??= this.cfg.timers.setTimeout(() => {
      this.timer = undefined;
      // The wait is over by the timers' clock: cut the batch even if the injected `now` stands still
      // (a frozen test clock used to re-arm this timer forever). A batch start clears this timer, so
      // no hold (`notBefore`, set only by a commit) can have begun since it was armed.
      if (!this.busy && this.queue.length > 0) this.start();
    }, wait);
  }

  private clearTimers(): void {
    if (this.timer !== undefined) this.cfg.timers.clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private start(): void {
    this.clearTimers();
    this.busy = true;
    this.answering = false;
    const batch = this.queue.splice(0, this.cfg.maxBatch);
    this.inFlight = batch;
    this.unansweredInFlight = batch.length;
    for (const w of batch) w.batched = true;
    const leaders = new Map<string, Waiter>();
    for (const w of batch) {
      const leader = leaders.get(w.key);
      if (leader === undefined) leaders.set(w.key, w);
      else leader.followers.push(w);
    }
    void this.sequence([...leaders.values()])
      .catch((err: unknown) => this.failAll([...leaders.values()], storageFailure('sequencing', err)))
      .finally(() => {
        this.busy = false;
        this.inFlight = undefined;
        this.schedule();
        if (!this.busy && this.queue.length === 0) for (const d of this.drained.splice(0)) d();
      });
  }

  /** Sequences `live` (distinct leaf hashes) until each is committed or rejected. */
  private async sequence(live: Waiter[]): Promise<void> {
    const { store, name } = this.cfg;
    for (let attempt = 1; live.length > 0; attempt++) {
      live = live.filter((w) => !w.settled); // abandoned by close()
      if (live.length === 0) return;
      let st: EdgeState;
      let result: { size: bigint; root: Uint8Array; tiles: Tile[] } | undefined;
      let entries: NewEntry[];
      let checkpoint: string | undefined;
      try {
        st = this.state ??= await this.load();
        const bodyAt = this.cfg.bodyAtSequencing;
        if (attempt === 1 && bodyAt === undefined) {
          // Retries skip this query (a shorter retry wins the head more often); the entries table's
          // unique index still catches a leaf that the other writer logged meanwhile.
          const present = await store.readEntries(name, { leafHashes: live.map((w) => w.leafHash) });
          live = this.rejectPresent(live, present);
          if (live.length === 0) return;
        }
        const integratedTime = this.cfg.now();
        entries = live.map((w, i) => ({
          index: st.size + BigInt(i),
          leafHash: w.leafHash,
          body: w.body,
          integratedTime,
          extra: w.extra,
          searchKeys: w.searchKeys,
        }));
        if (bodyAt !== undefined) {
          // Before the tree and the checkpoint: the leaf hashes are those of the bodies made here.
          const made = await Promise.all(entries.map((e) => bodyAt(e)));
          entries.forEach((e, i) => {
            e.body = made[i]!.body;
            e.extra = made[i]!.extra;
            e.leafHash = hashLeaf(e.body);
          });
        }
        result = appendLeaves(st.size, (level, index) => this.edgeTile(st, level, index), entries.map((e) => e.leafHash));
        const extraAt = this.cfg.extraAtSequencing;
        if (extraAt !== undefined) {
          // Before the checkpoint: a failure here leaves nothing of this attempt in doubt.
          const extras = await Promise.all(entries.map((e) => extraAt(e)));
          entries.forEach((e, i) => (e.extra = extras[i]!));
        }
        checkpoint = await this.cfg.checkpoints.sign(result.size, result.root);
        await store.commit(name, st.size, { entries, tiles: result.tiles, head: { size: result.size, rootHash: result.root, checkpoint } });
      } catch (err) {
        if (err instanceof StorageError && err.code === 'HEAD_CONFLICT') {
          // Another process appended: rebuild on its head. Nothing of ours was written.
          this.state = undefined;
          this.contendedUntil = this.cfg.now() + CONTENTION_MEMORY_MS;
          if (attempt < this.cfg.maxCommitAttempts) {
            if (attempt >= 2) await this.backOff(attempt);
            continue;
          }
          this.failAll(live, storageFailure(`lost the head compare-and-swap ${attempt} times`, err));
          return;
        }
        if (err instanceof StorageError && err.code === 'DUPLICATE_ENTRY') {
          const dups = await store.readEntries(name, { leafHashes: err.leafHashes ?? [] }).catch(() => []);
          const before = live.length;
          live = this.rejectPresent(live, dups);
          if (live.length < before && attempt < this.cfg.maxCommitAttempts) continue;
        }
        // Unknown outcome: the commit may have landed. Forget our state; the next batch reloads it.
        this.state = undefined;
        if (checkpoint !== undefined) this.unknownOutcome = { size: result!.size, rootHash: result!.root, checkpoint };
        this.failAll(live, storageFailure('committing the batch', err));
        return;
      }
      await this.committed(st, result, checkpoint, entries, live);
      return;
    }
  }

  /**
   * After a second lost compare-and-swap in a row: wait a random 0..min(2^attempt, 8) ms before
   * rebuilding on the winner's head. Without it the loser retries in lock step with a winner that keeps committing,
   * and on a loaded machine can lose every round (livelock); the jitter breaks the rhythm, and the
   * winner's own yield after a contended commit (notBefore) opens the window the loser needs.
   * Math.random is scheduling jitter here, not data: nothing observable depends on its value.
   */
  private backOff(attempt: number): Promise<void> {
    const ms = Math.random() * Math.min(2 ** attempt, MAX_BACKOFF_MS);
    return new Promise((resolve) => this.cfg.timers.setTimeout(resolve, ms));
  }

  /** Resolves the waiters of a committed batch with proofs computed from the tiles it wrote. */
  private async committed(
    st: EdgeState,
    result: { size: bigint; root: Uint8Array; tiles: Tile[] },
    checkpoint: string,
    entries: NewEntry[],
    live: Waiter[],
  ): Promise<void> {
    const overlay: TileOverlay = new Map();
    for (const t of result.tiles) overlay.set(tileKey(t.level, t.index), this.cfg.access.cache.put(t.level, t.index, t.hashes));
    this.state = this.lastKnown = nextEdgeState(st, result);
    const now = this.cfg.now();
    if (now < this.contendedUntil) this.notBefore = now + this.cfg.maxAgeMs;
    const head = { size: result.size, rootHash: result.root, checkpoint };
    this.cfg.onCommit(head);
    let proofs: Uint8Array[][];
    try {
      proofs = await this.cfg.access.run(result.size, (r) => entries.map((e) => r.inclusion(e.index)), overlay);
    } catch (err) {
      // Committed but not acknowledged: allowed (the entry is in the log; the client retries → 409).
      this.failAll(live, storageFailure('computing inclusion proofs', err));
      return;
    }
    live.forEach((w, i) => {
      const e = entries[i]!;
      if (w.settled) return;
      this.settled(w);
      w.resolve({
        index: e.index,
        leafHash: e.leafHash,
        integratedTime: e.integratedTime,
        treeSize: head.size,
        rootHash: head.rootHash,
        proof: proofs[i]!,
        checkpoint,
        extra: e.extra,
      });
      for (const f of w.followers) this.fail(f, entryExists(e.index));
    });
  }

  private edgeTile(st: EdgeState, level: number, index: bigint): Uint8Array {
    const t = st.edge.get(tileKey(level, index));
    if (t === undefined) throw new LogError('STORAGE_FAILURE', `right-edge tile ${level}/${index} of size ${st.size} not loaded`);
    return t;
  }

  /** Reloads the committed state (speculatively reading tiles near the last known edge). */
  private async load(): Promise<EdgeState> {
    const { store, name, access } = this.cfg;
    const guess = this.lastKnown === undefined ? [] : tilesAround(this.lastKnown.size);
    const { state, head } = await loadEdgeState(store, name, access, guess);
    const ours = this.unknownOutcome?.checkpoint === head.checkpoint;
    this.unknownOutcome = undefined;
    if (this.lastKnown !== undefined && head.size !== this.lastKnown.size && !ours) {
      this.contendedUntil = this.cfg.now() + CONTENTION_MEMORY_MS; // someone else appended
    }
    this.cfg.onCommit(head);
    return (this.lastKnown = state);
  }

  /** Book-keeping before a waiter gets its answer. */
  private settled(w: Waiter): void {
    w.settled = true;
    this.outstanding--;
    if (w.batched && --this.unansweredInFlight === 0) this.answering = true;
  }

  /** Rejects (ENTRY_EXISTS) the waiters whose leaf is among `present`; returns the others. */
  private rejectPresent(live: Waiter[], present: { leafHash: Uint8Array; index: bigint }[]): Waiter[] {
    if (present.length === 0) return live;
    const at = new Map(present.map((e) => [Buffer.from(e.leafHash).toString('hex'), e.index]));
    return live.filter((w) => {
      const index = at.get(w.key);
      if (index === undefined) return true;
      this.fail(w, entryExists(index));
      return false;
    });
  }

  private failAll(ws: Waiter[], err: LogError): void {
    for (const w of ws) this.fail(w, err);
  }

  private fail(w: Waiter, err: LogError): void {
    if (!w.settled) {
      this.settled(w);
      w.reject(err);
    }
    for (const f of w.followers) this.fail(f, err);
    w.followers = [];
  }
}
