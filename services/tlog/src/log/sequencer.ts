// The batch pool: gathers appends, prepares one batch at a time (up to pipelineDepth in flight), commits each by compare-and-swap.
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
  /** Arrived when a batch could be cut at once (`Sequencer.canCut`): its batch is cut on the next turn of the event loop. */
  idle: boolean;
  settled: boolean;
  /** The batch it was cut in (its count of unanswered appends). */
  batch?: { unanswered: number };
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
  /** Most batches cut and not yet finished at once (1: one batch at a time); see `Flight`. */
  pipelineDepth: number;
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
 * A batch cut and not yet finished. Batches are prepared (duplicate query, placing, `extraAt` /
 * `bodyAtSequencing`, checkpoint) one at a time, but the next one may be cut as soon as this one is
 * placed: it builds on `after` and its commit goes out while this one's is still in flight. Its
 * compare-and-swap names this batch's size *and* root, so it lands only on top of this batch; and
 * it is answered only after this one is finished, so heads and answers keep the commit order.
 */
interface Flight {
  /**
   * Appends of the batch not yet answered. At 0 the batch no longer counts against the depth, and
   * appends arriving now did not wait behind it (they count as idle).
   */
  unanswered: number;
  /** The batch's distinct leaves (their followers hang off them). */
  leaders: Map<string, Waiter>;
  /** The committed state once this batch lands; set when it is placed, unset if an attempt failed. */
  after: EdgeState | undefined;
  /** Settles (never rejects) once every append of the batch is answered or failed. */
  done: Promise<void>;
}

/**
 * Up to `pipelineDepth` batches in flight (see `Flight`), one of them being prepared. A batch is cut
 * when the sequencer can take one (nothing being prepared, fewer than the depth in flight; depth 1
 * while another writer is seen on the log) and either it holds `maxBatch` appends, or its oldest
 * append arrived when a batch could be cut at once (cut on the next event-loop turn: low latency at
 * low load), or its oldest append has waited `maxAgeMs`. See docs/design/sequencer.md for the
 * commit protocol and why it never forks the log.
 */
export class Sequencer {
  private queue: Waiter[] = [];
  /** Batches cut and not finished, oldest first. */
  private flights: Flight[] = [];
  /** The batch being prepared (no other batch is cut meanwhile: the next builds on its placement). */
  private preparing: Flight | undefined;
  /** The last committed state, for a batch cut with nothing in flight (undefined: reload it). */
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
    w.idle = this.canCut();
    this.queue.push(w);
    this.outstanding++;
    this.schedule();
  }

  /** From now on cut batches without waiting for age; resolves once nothing is queued or in flight. */
  drain(): Promise<void> {
    this.flushAll = true;
    this.schedule();
    if (this.flights.length === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** Rejects everything queued or in flight (its outcome will be ignored) with `err`. */
  abandon(err: LogError): void {
    for (const w of this.queue.splice(0)) this.fail(w, err);
    for (const f of this.flights) for (const w of f.leaders.values()) this.fail(w, err);
    this.clearTimers();
  }

  /** Whether a batch could be cut now (see the class comment). */
  private canCut(): boolean {
    if (this.preparing !== undefined && this.preparing.unanswered > 0) return false;
    const depth = this.cfg.now() < this.contendedUntil ? 1 : this.cfg.pipelineDepth;
    let busy = 0;
    for (const f of this.flights) if (f.unanswered > 0) busy++;
    return busy < depth;
  }

  private schedule(): void {
    if (this.queue.length === 0 || !this.canCut()) return;
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
        if (this.queue.length > 0 && this.canCut()) this.start();
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
      if (this.queue.length > 0 && this.canCut()) this.start();
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
    const batch = this.queue.splice(0, this.cfg.maxBatch);
    const prev = this.flights.at(-1);
    const leaders = new Map<string, Waiter>();
    let finish!: () => void;
    const flight: Flight = { unanswered: batch.length, leaders, after: undefined, done: new Promise<void>((resolve) => (finish = resolve)) };
    for (const w of batch) {
      w.batch = flight;
      // A leaf already in a batch in flight (its commit not yet visible to the duplicate query)
      // follows that batch's append: ENTRY_EXISTS once it lands, its error if it fails.
      const leader = leaders.get(w.key) ?? this.leaderInFlight(w.key);
      if (leader === undefined) leaders.set(w.key, w);
      else leader.followers.push(w);
    }
    this.flights.push(flight);
    this.preparing = flight;
    void this.sequence([...leaders.values()], flight, prev)
      .catch((err: unknown) => this.failAll([...leaders.values()], storageFailure('sequencing', err)))
      .finally(() => {
        this.flights.splice(this.flights.indexOf(flight), 1);
        if (this.preparing === flight) this.preparing = undefined;
        finish();
        this.schedule();
        if (this.flights.length === 0 && this.queue.length === 0) for (const d of this.drained.splice(0)) d();
      });
  }

  /** The unsettled append of `key` in a batch in flight, if any. */
  private leaderInFlight(key: string): Waiter | undefined {
    for (const f of this.flights) {
      const w = f.leaders.get(key);
      if (w !== undefined && !w.settled) return w;
    }
    return undefined;
  }

  /** The batch being prepared is placed (or gave up): the next one may be cut. */
  private placed(flight: Flight): void {
    if (this.preparing !== flight) return;
    this.preparing = undefined;
    this.schedule();
  }

  /**
   * Sequences `live` (distinct leaf hashes) until each is committed or rejected. The first attempt
   * builds on `prev` if that batch is still in flight and placed; retries build on the committed
   * state, once `prev` is finished.
   */
  private async sequence(live: Waiter[], flight: Flight, prev: Flight | undefined): Promise<void> {
    const { store, name } = this.cfg;
    for (let attempt = 1; live.length > 0; attempt++) {
      live = live.filter((w) => !w.settled); // abandoned by close()
      if (live.length === 0) return;
      let st: EdgeState;
      let result: { size: bigint; root: Uint8Array; tiles: Tile[] } | undefined;
      let entries: NewEntry[];
      let checkpoint: string | undefined;
      /** The batch this attempt is pipelined behind: its commit is answered only after that one. */
      let behind: Promise<void> | undefined;
      try {
        if (attempt === 1 && prev !== undefined && this.flights.includes(prev)) {
          if (prev.after !== undefined) behind = prev.done;
          else await prev.done;
        }
        st = behind !== undefined ? prev!.after! : (this.state ??= await this.load());
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
        if (this.preparing === flight) {
          flight.after = nextEdgeState(st, result);
          this.placed(flight);
        }
        const batch = { entries, tiles: result.tiles, head: { size: result.size, rootHash: result.root, checkpoint }, expectedRoot: st.root };
        try {
          await store.commit(name, st.size, batch);
        } finally {
          // Whatever our outcome, the batch ahead finishes first: its answers and head come first,
          // and a retry of ours builds on what it left.
          if (behind !== undefined) await behind;
        }
      } catch (err) {
        flight.after = undefined; // a batch cut from now on waits for this one's final outcome
        this.placed(flight);
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
    if (w.batch !== undefined) w.batch.unanswered--;
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
